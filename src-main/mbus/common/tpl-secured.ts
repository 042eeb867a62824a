import type { MeterAddress, KeyLookup } from './meter-address';
import type { DecodeError } from './telegram';
import { aesCbcDecrypt, aesCmac, asAesKey, cbcDecryptWith, deriveMode7Keys } from './security';

const ZERO_IV = new Uint8Array(16);

/** What the AFL (CI 0x90) carried that the TPL needs for mode 7. */
export interface AflInfo {
  /** Offset of the MCL byte; MCL and the message counter are covered by the MAC. */
  readonly mclOffset: number | undefined;
  readonly macCoveredEnd: number;
  readonly messageCounter: number | undefined;
  readonly macOffset: number | undefined;
  readonly macLength: number;
}

export interface SecuredInput {
  readonly buf: Uint8Array;
  /** First byte after the TPL header (mode 7: the configuration extension). */
  readonly p: number;
  readonly end: number;
  readonly ciOffset: number;
  readonly cfg: number;
  readonly mode: 5 | 7 | number;
  readonly accessNumber: number;
  /** Offsets in `buf` of the address's manufacturer, id and version (device type follows the version). */
  readonly manAt: number;
  readonly idAt: number;
  readonly verAt: number;
  readonly address: MeterAddress | undefined;
  readonly keys: KeyLookup | undefined;
  readonly afl: AflInfo | undefined;
}

export type SecuredResult =
  /** `plain` is a copy of the telegram with the encrypted blocks (start…encryptedEnd) replaced by plaintext. */
  | { readonly ok: true; readonly plain: Uint8Array; readonly start: number; readonly encryptedEnd: number }
  | { readonly ok: false; readonly reason: string; readonly start: number; readonly error?: undefined }
  | { readonly ok: false; readonly error: DecodeError; readonly reason?: undefined; readonly start: number };

/**
 * Security modes 5 (AES-CBC, IV from address and access number) and 7 (AES-CBC with keys derived per message,
 * AFL CMAC). Checks the key: the MAC for mode 7; for both, the plaintext must start 2F2F. Mode 5 has nothing
 * stronger, which the caller answers with the plausibility check and by naming the check in the UI.
 */
export function decryptTpl(s: SecuredInput): SecuredResult {
  let p = s.p;
  const { buf, end } = s;
  let kdfSelection = 0;
  if (s.mode === 7) {
    if (p >= end) return { ok: false, error: { reason: 'truncated: mode 7 configuration extension expected', offset: p }, start: p };
    kdfSelection = (buf[p]! >> 4) & 3;
    p++;
  }
  const blocks = (s.cfg >> 4) & 0x0f;
  const encLength = blocks === 0 ? Math.floor((end - p) / 16) * 16 : blocks * 16;
  if (p + encLength > end)
    return { ok: false, error: { reason: `truncated: ${encLength} encrypted bytes announced, ${end - p} present`, offset: p }, start: p };
  const material = s.address ? s.keys?.(s.address) : undefined;
  if (!material) return { ok: false, reason: 'no key for this meter', start: p };
  const key = asAesKey(material);
  let plain: Buffer;
  if (s.mode === 5) {
    // IV: M(2) ‖ id(4) ‖ version ‖ device type as on the wire, then the access number eight times.
    const iv = Buffer.alloc(16, s.accessNumber);
    iv[0] = buf[s.manAt]!;
    iv[1] = buf[s.manAt + 1]!;
    for (let i = 0; i < 4; i++) iv[2 + i] = buf[s.idAt + i]!;
    iv[6] = buf[s.verAt]!;
    iv[7] = buf[s.verAt + 1]!;
    plain = cbcDecryptWith(key, iv, buf.subarray(p, p + encLength));
  } else {
    const afl = s.afl;
    if (!afl || afl.messageCounter === undefined) return { ok: false, reason: 'mode 7 without an AFL message counter', start: p };
    if (kdfSelection !== 1) return { ok: false, reason: `mode 7 key derivation ${kdfSelection} is not supported`, start: p };
    const derived = deriveMode7Keys(key, afl.messageCounter, buf.subarray(s.idAt, s.idAt + 4));
    // Mode 7 is authenticated encryption: without a MAC of known length, ciphertext could be altered unseen.
    if (afl.macOffset === undefined || afl.mclOffset === undefined || afl.macLength < 4)
      return { ok: false, reason: 'mode 7 telegram without an AFL MAC of known length: refused (cannot be authenticated)', start: p };
    // MCL ‖ message counter, then the TPL from its CI: one buffer, copied once.
    const aflPart = afl.macCoveredEnd - afl.mclOffset;
    const covered = new Uint8Array(aflPart + end - s.ciOffset);
    for (let i = 0; i < aflPart; i++) covered[i] = buf[afl.mclOffset + i]!;
    covered.set(s.ciOffset === 0 && end === buf.length ? buf : buf.subarray(s.ciOffset, end), aflPart);
    const mac = aesCmac(derived.mac, covered);
    for (let i = 0; i < afl.macLength; i++) {
      if (mac[i] !== buf[afl.macOffset + i]) return { ok: false, reason: 'MAC mismatch (wrong key or altered telegram)', start: p };
    }
    // A one-off key: a CBC decipher context is cheaper to create than an ECB one plus the chaining in JS.
    plain = aesCbcDecrypt(derived.enc, ZERO_IV, buf.subarray(p, p + encLength));
  }
  if (plain[0] !== 0x2f || plain[1] !== 0x2f) {
    return { ok: false, reason: 'decryption check failed: plaintext does not start 2F2F (wrong key?)', start: p };
  }
  const copy = new Uint8Array(end);
  copy.set(end === buf.length ? buf : buf.subarray(0, end));
  copy.set(plain, p);
  return { ok: true, plain: copy, start: p, encryptedEnd: p + encLength };
}
