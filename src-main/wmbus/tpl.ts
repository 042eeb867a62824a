import { decodeRecords } from '../mbus/data-records';
import { decodeId, decodeManufacturer, mediumName } from '../mbus/header';
import type { DataRecord, DecodeError, TelegramHeader } from '../mbus/telegram';
import type { KeyLookup, MeterAddress } from './meter-address';
import { aesCbcDecrypt, aesCmac, deriveMode7Keys } from './security';

/** What the AFL (CI 0x90) carried that the TPL needs for mode 7. */
export interface AflInfo {
  /** Offset of the MCL byte; MCL, counter and message length are covered by the MAC. */
  readonly mclOffset?: number;
  readonly macCoveredEnd?: number;
  readonly messageCounter?: number;
  readonly macOffset?: number;
  readonly macLength: number;
}

export interface TplInput {
  readonly buf: Uint8Array;
  readonly ciOffset: number;
  readonly end: number;
  /** Offset of the link-layer M field (wireless: 2), whose M and A also form the short-header address. */
  readonly linkAddressOffset?: number;
  readonly keys?: KeyLookup;
  readonly afl?: AflInfo;
}

export interface TplOutput {
  readonly header?: TelegramHeader;
  readonly address?: MeterAddress;
  readonly securityMode: number;
  readonly encrypted: boolean;
  readonly decrypted: boolean;
  readonly decryptionError?: string;
  readonly records: DataRecord[];
  readonly moreRecordsFollow: boolean;
  readonly error?: DecodeError;
}

const FAIL_HEADER = (reason: string, offset: number): TplOutput => ({
  securityMode: 0, encrypted: false, decrypted: false, records: [], moreRecordsFollow: false, error: { reason, offset },
});

/**
 * Transport layer: CI 0x72 (long header), 0x7A (short header), 0x78 (none); then security mode 5 or 7 and the
 * data records. Offsets in the result refer to `buf`; decryption replaces ciphertext in a copy at the same offsets.
 */
export function decodeTpl(input: TplInput): TplOutput {
  const { ciOffset, end } = input;
  let buf = input.buf;
  const ci = buf[ciOffset]!;
  let p = ciOffset + 1;
  let addressOffset = input.linkAddressOffset; // M at +0, id at +2, version +6, type +7
  let accessNumber = 0;
  let status = 0;
  let cfg = 0;
  let hasHeader = true;
  if (ci === 0x72) {
    if (p + 12 > end) return FAIL_HEADER('truncated long transport header (12 bytes expected)', ciOffset);
    accessNumber = buf[p + 8]!;
    status = buf[p + 9]!;
    cfg = buf[p + 10]! | (buf[p + 11]! << 8);
    addressOffset = -1;
    p += 12;
  } else if (ci === 0x7a) {
    if (p + 4 > end) return FAIL_HEADER('truncated short transport header (4 bytes expected)', ciOffset);
    accessNumber = buf[p]!;
    status = buf[p + 1]!;
    cfg = buf[p + 2]! | (buf[p + 3]! << 8);
    p += 4;
  } else if (ci === 0x78) {
    hasHeader = false;
  } else {
    return FAIL_HEADER(`unsupported CI 0x${ci.toString(16).toUpperCase().padStart(2, '0')}`, ciOffset);
  }
  // Address used for the key lookup and the mode 5 IV: the TPL long header's when present, else the link layer's.
  let address: MeterAddress | undefined;
  let header: TelegramHeader | undefined;
  let ivAddr: Uint8Array | undefined; // M(2) ‖ id(4) ‖ version ‖ type as on the wire
  if (ci === 0x72) {
    const h = ciOffset + 1;
    ivAddr = Uint8Array.of(buf[h + 4]!, buf[h + 5]!, buf[h]!, buf[h + 1]!, buf[h + 2]!, buf[h + 3]!, buf[h + 6]!, buf[h + 7]!);
  } else if (addressOffset !== undefined && addressOffset >= 0) {
    ivAddr = buf.subarray(addressOffset, addressOffset + 8);
  }
  if (ivAddr) {
    const manufacturer = decodeManufacturer(ivAddr[0]! | (ivAddr[1]! << 8));
    address = { manufacturer, id: decodeId(ivAddr, 2), version: ivAddr[6]!, deviceType: ivAddr[7]! };
    if (hasHeader) {
      header = {
        id: address.id, manufacturer, version: address.version, medium: mediumName(address.deviceType),
        mediumCode: address.deviceType, accessNumber, status, ...(ci === 0x72 ? { signature: cfg } : {}),
      };
    }
  }
  let mode = hasHeader ? (cfg >> 8) & 0x1f : 0;
  // Wired meters fill the long header's signature with anything; only OMS modes 5/7 there mean encryption.
  if (input.linkAddressOffset === undefined && mode !== 5 && mode !== 7) mode = 0;
  const base = { header, address, securityMode: mode };
  if (mode === 0) {
    const r = decodeRecords(buf, p, end);
    return { ...base, encrypted: false, decrypted: true, records: r.records, moreRecordsFollow: r.moreRecordsFollow, ...(r.error ? { error: r.error } : {}) };
  }
  const notDecrypted = (reason: string): TplOutput => ({ ...base, encrypted: true, decrypted: false, decryptionError: reason, records: [], moreRecordsFollow: false });
  if (mode !== 5 && mode !== 7) return notDecrypted(`security mode ${mode} is not supported`);
  let kdfSelection = 0;
  if (mode === 7) {
    if (p >= end) return FAIL_HEADER('truncated: mode 7 configuration extension expected', p);
    kdfSelection = (buf[p]! >> 4) & 3;
    p++;
  }
  const blocks = (cfg >> 4) & 0x0f;
  const encLength = blocks === 0 ? Math.floor((end - p) / 16) * 16 : blocks * 16;
  if (p + encLength > end) return FAIL_HEADER(`truncated: ${encLength} encrypted bytes announced, ${end - p} present`, p);
  const key = address ? input.keys?.(address) : undefined;
  if (!key) return notDecrypted('no key for this meter');
  let plain: Buffer;
  if (mode === 5) {
    const iv = Buffer.alloc(16, accessNumber);
    if (ivAddr) iv.set(ivAddr, 0);
    plain = aesCbcDecrypt(key, iv, buf.subarray(p, p + encLength));
  } else {
    const afl = input.afl;
    if (!afl || afl.messageCounter === undefined) return notDecrypted('mode 7 without an AFL message counter');
    if (kdfSelection !== 1) return notDecrypted(`mode 7 key derivation ${kdfSelection} is not supported`);
    const idBytes = ivAddr!.subarray(2, 6);
    const keys = deriveMode7Keys(key, afl.messageCounter, idBytes);
    if (afl.macOffset !== undefined && afl.macLength > 0 && afl.mclOffset !== undefined) {
      const covered = Buffer.concat([buf.subarray(afl.mclOffset, afl.macCoveredEnd), buf.subarray(ciOffset, end)]);
      const mac = aesCmac(keys.mac, covered);
      if (!mac.subarray(0, afl.macLength).equals(buf.subarray(afl.macOffset, afl.macOffset + afl.macLength))) {
        return notDecrypted('MAC mismatch (wrong key or altered telegram)');
      }
    }
    plain = aesCbcDecrypt(keys.enc, Buffer.alloc(16), buf.subarray(p, p + encLength));
  }
  if (plain[0] !== 0x2f || plain[1] !== 0x2f) return notDecrypted('decryption check failed: plaintext does not start 2F2F (wrong key?)');
  const copy = Uint8Array.from(buf);
  copy.set(plain, p);
  buf = copy;
  const r = decodeRecords(buf, p, end);
  if (r.error && mode === 5) {
    // 2F2F alone gives false positives (wmbusmeters #383): the decrypted records must also parse.
    return notDecrypted(`decryption check failed: decrypted records are malformed at offset ${r.error.offset} (wrong key?)`);
  }
  return { ...base, encrypted: true, decrypted: true, records: r.records, moreRecordsFollow: r.moreRecordsFollow, ...(r.error ? { error: r.error } : {}) };
}
