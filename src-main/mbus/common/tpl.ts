import { decodeRecords } from './data-records';
import { decodeId, decodeManufacturer, mediumName } from './header';
import type { DataRecord, DecodeError, TelegramHeader } from './telegram';
import { decodeCompact, type FormatCache, learnFormat } from './compact';
import { type KeyLookup, type MeterAddress, meterKey } from './meter-address';
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

export interface TplInput {
  readonly buf: Uint8Array;
  readonly ciOffset: number;
  readonly end: number;
  /** Offset of the link-layer M field (wireless: 2), whose M and A also form the short-header address. */
  readonly linkAddressOffset: number | undefined;
  readonly keys: KeyLookup | undefined;
  readonly afl: AflInfo | undefined;
  /** Known compact-frame formats; given by receivers that keep state, absent for one-off decodes. */
  readonly formats?: FormatCache;
}

export interface TplOutput {
  readonly header: TelegramHeader | undefined;
  readonly address: MeterAddress | undefined;
  readonly securityMode: number;
  readonly encrypted: boolean;
  readonly decrypted: boolean;
  readonly decryptionError: string | undefined;
  readonly records: DataRecord[];
  readonly moreRecordsFollow: boolean;
  readonly error: DecodeError | undefined;
  /** Why records are missing without an error (a compact frame whose format is not known yet). */
  readonly note?: string;
}

function output(
  header: TelegramHeader | undefined,
  address: MeterAddress | undefined,
  securityMode: number,
  encrypted: boolean,
  decrypted: boolean,
  decryptionError: string | undefined,
  records: DataRecord[],
  moreRecordsFollow: boolean,
  error: DecodeError | undefined,
): TplOutput {
  return { header, address, securityMode, encrypted, decrypted, decryptionError, records, moreRecordsFollow, error };
}

function failHeader(reason: string, offset: number): TplOutput {
  return output(undefined, undefined, 0, false, false, undefined, [], false, { reason, offset });
}

/**
 * Transport layer: CI 0x72 (long header), 0x7A (short header), 0x78 (none); then security mode 5 or 7 and the
 * data records. Offsets in the result refer to `buf`; decryption replaces ciphertext in a copy at the same offsets.
 * Written without spreads or closures: it runs once per telegram in the hot path.
 */
export function decodeTpl(input: TplInput): TplOutput {
  const { ciOffset, end } = input;
  let buf = input.buf;
  const ci = buf[ciOffset]!;
  let p = ciOffset + 1;
  let accessNumber = 0;
  let status = 0;
  let cfg = 0;
  let hasHeader = true;
  // M(2) ‖ id(4) ‖ version ‖ type as on the wire (the mode 5 IV prefix), at `addrAt` in `addrBuf`.
  let addrBuf: Uint8Array | undefined;
  let addrAt = 0;
  if (ci === 0x72) {
    if (p + 12 > end) return failHeader('truncated long transport header (12 bytes expected)', ciOffset);
    accessNumber = buf[p + 8]!;
    status = buf[p + 9]!;
    cfg = buf[p + 10]! | (buf[p + 11]! << 8);
    addrBuf = Uint8Array.of(buf[p + 4]!, buf[p + 5]!, buf[p]!, buf[p + 1]!, buf[p + 2]!, buf[p + 3]!, buf[p + 6]!, buf[p + 7]!);
    p += 12;
  } else if (ci === 0x7a) {
    if (p + 4 > end) return failHeader('truncated short transport header (4 bytes expected)', ciOffset);
    accessNumber = buf[p]!;
    status = buf[p + 1]!;
    cfg = buf[p + 2]! | (buf[p + 3]! << 8);
    p += 4;
  } else if (ci === 0x78 || ci === 0x79) {
    hasHeader = false;
  } else {
    return failHeader(`unsupported CI 0x${ci.toString(16).toUpperCase().padStart(2, '0')}`, ciOffset);
  }
  if (!addrBuf && input.linkAddressOffset !== undefined) {
    addrBuf = buf;
    addrAt = input.linkAddressOffset;
  }
  let address: MeterAddress | undefined;
  let header: TelegramHeader | undefined;
  if (addrBuf) {
    const manufacturer = decodeManufacturer(addrBuf[addrAt]! | (addrBuf[addrAt + 1]! << 8));
    address = { manufacturer, id: decodeId(addrBuf, addrAt + 2), version: addrBuf[addrAt + 6]!, deviceType: addrBuf[addrAt + 7]! };
    if (hasHeader) {
      header = {
        id: address.id,
        manufacturer,
        version: address.version,
        medium: mediumName(address.deviceType),
        mediumCode: address.deviceType,
        accessNumber,
        status,
        signature: ci === 0x72 ? cfg : undefined,
      };
    }
  }
  let mode = hasHeader ? (cfg >> 8) & 0x1f : 0;
  // Wired meters fill the long header's signature with anything; only OMS modes 5/7 there mean encryption.
  if (input.linkAddressOffset === undefined && mode !== 5 && mode !== 7) mode = 0;
  if (ci === 0x79) return compactFrame(buf, p, end, header, address, input.formats);
  if (mode === 0) {
    const r = decodeRecords(buf, p, end);
    if (input.formats && address && !r.error) remember(input.formats, address, buf, r.records);
    return output(header, address, 0, false, true, undefined, r.records, r.moreRecordsFollow, r.error);
  }
  if (mode !== 5 && mode !== 7) return output(header, address, mode, true, false, `security mode ${mode} is not supported`, [], false, undefined);
  let kdfSelection = 0;
  if (mode === 7) {
    if (p >= end) return failHeader('truncated: mode 7 configuration extension expected', p);
    kdfSelection = (buf[p]! >> 4) & 3;
    p++;
  }
  const blocks = (cfg >> 4) & 0x0f;
  const encLength = blocks === 0 ? Math.floor((end - p) / 16) * 16 : blocks * 16;
  if (p + encLength > end) return failHeader(`truncated: ${encLength} encrypted bytes announced, ${end - p} present`, p);
  const material = address ? input.keys?.(address) : undefined;
  if (!material) return output(header, address, mode, true, false, 'no key for this meter', [], false, undefined);
  const key = asAesKey(material);
  let plain: Buffer;
  if (mode === 5) {
    const iv = Buffer.alloc(16, accessNumber);
    if (addrBuf) iv.set(addrBuf.subarray(addrAt, addrAt + 8), 0);
    plain = cbcDecryptWith(key, iv, buf.subarray(p, p + encLength));
  } else {
    const afl = input.afl;
    if (!afl || afl.messageCounter === undefined)
      return output(header, address, mode, true, false, 'mode 7 without an AFL message counter', [], false, undefined);
    if (kdfSelection !== 1) return output(header, address, mode, true, false, `mode 7 key derivation ${kdfSelection} is not supported`, [], false, undefined);
    const derived = deriveMode7Keys(key, afl.messageCounter, addrBuf!.subarray(addrAt + 2, addrAt + 6));
    // Mode 7 is authenticated encryption: without a MAC of known length, ciphertext could be altered unseen.
    if (afl.macOffset === undefined || afl.mclOffset === undefined || afl.macLength < 4)
      return output(
        header,
        address,
        mode,
        true,
        false,
        'mode 7 telegram without an AFL MAC of known length: refused (cannot be authenticated)',
        [],
        false,
        undefined,
      );
    const covered = Buffer.concat([buf.subarray(afl.mclOffset, afl.macCoveredEnd), buf.subarray(ciOffset, end)]);
    const mac = aesCmac(derived.mac, covered);
    for (let i = 0; i < afl.macLength; i++) {
      if (mac[i] !== buf[afl.macOffset + i])
        return output(header, address, mode, true, false, 'MAC mismatch (wrong key or altered telegram)', [], false, undefined);
    }
    // A one-off key: a CBC decipher context is cheaper to create than an ECB one plus the chaining in JS.
    plain = aesCbcDecrypt(derived.enc, ZERO_IV, buf.subarray(p, p + encLength));
  }
  if (plain[0] !== 0x2f || plain[1] !== 0x2f) {
    return output(header, address, mode, true, false, 'decryption check failed: plaintext does not start 2F2F (wrong key?)', [], false, undefined);
  }
  const copy = new Uint8Array(end);
  copy.set(buf.subarray(0, end));
  copy.set(plain, p);
  buf = copy;
  const r = decodeRecords(buf, p, end);
  if (r.error && mode === 5) {
    // 2F2F alone gives false positives (wmbusmeters #383): the decrypted records must also parse.
    return output(
      header,
      address,
      mode,
      true,
      false,
      `decryption check failed: decrypted records are malformed at offset ${r.error.offset} (wrong key?)`,
      [],
      false,
      undefined,
    );
  }
  if (input.formats && address && !r.error) remember(input.formats, address, buf, r.records);
  return output(header, address, mode, true, true, undefined, r.records, r.moreRecordsFollow, r.error);
}

function remember(formats: FormatCache, address: MeterAddress, buf: Uint8Array, records: readonly DataRecord[]): void {
  const learned = learnFormat(buf, records);
  if (learned) formats.set(meterKey(address), learned.signature, learned.template);
}

/** CI 0x79: format signature (2), data CRC (2), then the values of a format learnt from a full frame. */
function compactFrame(
  buf: Uint8Array,
  p: number,
  end: number,
  header: TelegramHeader | undefined,
  address: MeterAddress | undefined,
  formats: FormatCache | undefined,
): TplOutput {
  if (p + 4 > end) return failHeader('truncated compact frame header (format signature and data CRC)', p);
  const signature = buf[p]! | (buf[p + 1]! << 8);
  const dataCrc = buf[p + 2]! | (buf[p + 3]! << 8);
  const template = formats && address ? formats.get(meterKey(address), signature) : undefined;
  const sig = signature.toString(16).toUpperCase().padStart(4, '0');
  if (!template) {
    const note = `compact frame with format ${sig}: waiting for a full frame from this meter to learn its format`;
    return { ...output(header, address, 0, false, true, undefined, [], false, undefined), note };
  }
  const result = decodeCompact(buf, p + 4, end, dataCrc, template);
  if (!result.ok) return failHeader(result.reason, result.offset);
  return output(header, address, 0, false, true, undefined, result.records, false, undefined);
}
