import { decodeRecords, type RecordsResult } from './data-records';
import { decodeId, decodeManufacturer, mediumName } from './header';
import { toHex } from './hex';
import type { DataRecord, DecodeError, DecryptionCheck, TelegramHeader, UndecodedBytes } from './telegram';
import { decodeCompact, type FormatCache, learnFormat } from './compact';
import { type KeyLookup, type MeterAddress, meterKey } from './meter-address';
import { plausibleRecords } from './plausibility';
import { unsupportedModeReason } from './security-modes';
import { type AflInfo, decryptTpl } from './tpl-secured';

export type { AflInfo } from './tpl-secured';

export interface TplInput {
  readonly buf: Uint8Array;
  readonly ciOffset: number;
  readonly end: number;
  /** Offset of the link-layer M field (wireless: 2), whose M and A also form the short-header address. */
  readonly linkAddressOffset: number | undefined;
  /** The link-layer address already decoded by the caller (wireless), reused rather than decoded twice. */
  readonly linkAddress?: MeterAddress;
  readonly keys: KeyLookup | undefined;
  readonly afl: AflInfo | undefined;
  /** Known compact-frame formats; given by receivers that keep state, absent for one-off decodes. */
  readonly formats?: FormatCache;
  /**
   * The payload came out of a decryption that only a 16-bit CRC checked (ELL): its records are shown as values
   * only when they are plausible (see plausibility.ts).
   */
  readonly unauthenticated?: boolean;
}

export interface TplOutput {
  readonly header: TelegramHeader | undefined;
  readonly address: MeterAddress | undefined;
  readonly securityMode: number;
  readonly encrypted: boolean;
  readonly decrypted: boolean;
  readonly decryptionError: string | undefined;
  readonly decryptionCheck: DecryptionCheck | undefined;
  readonly records: DataRecord[];
  readonly moreRecordsFollow: boolean;
  readonly error: DecodeError | undefined;
  /** What the engineer should know although nothing failed (see DecodedTelegram.note). */
  readonly note: string | undefined;
  readonly undecoded: UndecodedBytes | undefined;
}

interface Parsed {
  readonly header: TelegramHeader | undefined;
  readonly address: MeterAddress | undefined;
  readonly securityMode: number;
}

function out(
  parsed: Parsed,
  records: DataRecord[],
  extra: {
    encrypted?: boolean;
    decrypted?: boolean;
    decryptionError?: string;
    decryptionCheck?: DecryptionCheck;
    moreRecordsFollow?: boolean;
    note?: string;
    undecoded?: UndecodedBytes;
  },
): TplOutput {
  return {
    header: parsed.header,
    address: parsed.address,
    securityMode: parsed.securityMode,
    encrypted: extra.encrypted ?? false,
    decrypted: extra.decrypted ?? true,
    decryptionError: extra.decryptionError,
    decryptionCheck: extra.decryptionCheck,
    records,
    moreRecordsFollow: extra.moreRecordsFollow ?? false,
    error: undefined,
    note: extra.note,
    undecoded: extra.undecoded,
  };
}

function failHeader(reason: string, offset: number): TplOutput {
  return {
    header: undefined,
    address: undefined,
    securityMode: 0,
    encrypted: false,
    decrypted: false,
    decryptionError: undefined,
    decryptionCheck: undefined,
    records: [],
    moreRecordsFollow: false,
    error: { reason, offset },
    note: undefined,
    undecoded: undefined,
  };
}

export function undecodedBytes(buf: Uint8Array, offset: number, end: number, reason: string): UndecodedBytes {
  return { offset, length: end - offset, hex: toHex(buf, offset, end), reason };
}

function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}

/** CI codes whose payload EN 13757-7 leaves to the manufacturer (Techem, Diehl IZAR, Apator, …). */
export function isManufacturerCi(ci: number): boolean {
  return ci >= 0xa0 && ci <= 0xb7;
}

/**
 * Transport layer: CI 0x72 (long header), 0x7A (short header), 0x78 (none), 0x79 (compact); security modes 5
 * and 7; then the data records. Any other CI (manufacturer-specific 0xA0–0xB7 and the rest) is not an error: the
 * payload is returned undecoded with its reason, so the meter's link-layer header still reaches the walk-by list.
 * Offsets refer to `buf`; decryption replaces ciphertext in a copy at the same offsets.
 */
export function decodeTpl(input: TplInput): TplOutput {
  const { ciOffset, end } = input;
  const buf = input.buf;
  const ci = buf[ciOffset]!;
  let p = ciOffset + 1;
  let accessNumber = 0;
  let status = 0;
  let cfg = 0;
  let hasHeader = true;
  // Where the address's manufacturer, id and version (device type follows) sit in `buf`: the long header's own,
  // else the link layer's. Read in place: no copy on the hot path.
  let manAt = -1;
  let idAt = -1;
  let verAt = -1;
  if (ci === 0x72) {
    if (p + 12 > end) return failHeader('truncated long transport header (12 bytes expected)', ciOffset);
    accessNumber = buf[p + 8]!;
    status = buf[p + 9]!;
    cfg = buf[p + 10]! | (buf[p + 11]! << 8);
    idAt = p;
    manAt = p + 4;
    verAt = p + 6;
    p += 12;
  } else if (ci === 0x7a) {
    if (p + 4 > end) return failHeader('truncated short transport header (4 bytes expected)', ciOffset);
    accessNumber = buf[p]!;
    status = buf[p + 1]!;
    cfg = buf[p + 2]! | (buf[p + 3]! << 8);
    p += 4;
  } else {
    hasHeader = false; // 0x78, 0x79 and CIs whose payload is not decoded here
  }
  if (manAt < 0 && input.linkAddressOffset !== undefined) {
    manAt = input.linkAddressOffset;
    idAt = manAt + 2;
    verAt = manAt + 6;
  }
  let address: MeterAddress | undefined;
  let header: TelegramHeader | undefined;
  if (manAt >= 0) {
    address =
      ci !== 0x72 && input.linkAddress
        ? input.linkAddress
        : {
            manufacturer: decodeManufacturer(buf[manAt]! | (buf[manAt + 1]! << 8)),
            id: decodeId(buf, idAt),
            version: buf[verAt]!,
            deviceType: buf[verAt + 1]!,
          };
    if (hasHeader) {
      header = {
        id: address.id,
        manufacturer: address.manufacturer,
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
  const parsed: Parsed = { header, address, securityMode: mode };
  if (ci !== 0x72 && ci !== 0x7a && ci !== 0x78 && ci !== 0x79) {
    const reason = isManufacturerCi(ci) ? `manufacturer-specific payload, CI 0x${hex2(ci)}` : `CI 0x${hex2(ci)} is not decoded`;
    return out(parsed, [], { note: reason, undecoded: undecodedBytes(buf, ciOffset + 1, end, reason) });
  }
  if (ci === 0x79) return compactFrame(buf, p, end, parsed, input.formats);
  if (mode === 0) return plainRecords(input, parsed, buf, p, end, input.unauthenticated === true);
  if (mode !== 5 && mode !== 7) {
    const reason = unsupportedModeReason(mode);
    return out(parsed, [], { encrypted: true, decrypted: false, decryptionError: reason, undecoded: undecodedBytes(buf, p, end, reason) });
  }
  const secured = decryptTpl({ buf, p, end, ciOffset, cfg, mode, accessNumber, manAt, idAt, verAt, address, keys: input.keys, afl: input.afl });
  if (!secured.ok) {
    if (secured.error) return failHeader(secured.error.reason, secured.error.offset);
    const replay = alreadyPlain(parsed, buf, secured.start, end, mode);
    if (replay) return replay;
    return out(parsed, [], {
      encrypted: true,
      decrypted: false,
      decryptionError: secured.reason,
      undecoded: undecodedBytes(buf, secured.start, end, 'encrypted data'),
    });
  }
  const { plain, start, encryptedEnd } = secured;
  const check: DecryptionCheck = mode === 7 ? 'mac' : 'plaintext-markers';
  const inner = decodeRecords(plain, start, encryptedEnd);
  if (mode === 5 && !plausibleRecords(inner)) {
    // 2F2F matched, but the content is not what a meter writes: a manufacturer's layout or a wrong key.
    const reason = 'decrypted (2F2F markers match), but the content is not standard data records: shown as bytes, not values';
    return out(parsed, [], { encrypted: true, decrypted: true, decryptionCheck: check, note: reason, undecoded: undecodedBytes(plain, start, end, reason) });
  }
  let records = inner.records;
  let note: string | undefined;
  let undecoded: UndecodedBytes | undefined;
  let moreRecordsFollow = inner.moreRecordsFollow;
  if (inner.error) ({ note, undecoded } = strayBytes(plain, start, encryptedEnd, inner));
  if (encryptedEnd < end && !moreRecordsFollow) {
    // OMS lets a meter append unencrypted records after the encrypted blocks.
    const tail = decodeRecords(plain, encryptedEnd, end);
    records = records.concat(tail.records);
    moreRecordsFollow = tail.moreRecordsFollow;
    const plainNote = `${end - encryptedEnd} bytes after the encrypted blocks were sent unencrypted`;
    note = note ? `${note}; ${plainNote}` : plainNote;
    if (tail.error && !undecoded) {
      const stray = strayBytes(plain, encryptedEnd, end, tail);
      undecoded = stray.undecoded;
      note = `${note}; ${stray.note}`;
    }
  }
  if (input.formats && address && !inner.error && encryptedEnd === end) remember(input.formats, address, plain, records);
  return out(parsed, records, { encrypted: true, decrypted: true, decryptionCheck: check, moreRecordsFollow, note, undecoded });
}

/**
 * A log of an already decrypted telegram (wmbusmeters and stick software write them so): the header still says
 * mode 5 or 7 but the payload is plaintext — 2F2F then records that pass the plausibility gate, which ciphertext
 * does about once in 10^8. Decoded, and said plainly: it was not decrypted here and nothing authenticated it.
 */
function alreadyPlain(parsed: Parsed, buf: Uint8Array, start: number, end: number, mode: number): TplOutput | undefined {
  if (buf[start] !== 0x2f || buf[start + 1] !== 0x2f) return undefined;
  const r = decodeRecords(buf, start, end);
  if (!plausibleRecords(r)) return undefined;
  const note = `the header says security mode ${mode}, but the payload is already plaintext (a log of a decrypted telegram): decoded as it is, unauthenticated`;
  return out(parsed, r.records, { encrypted: false, decrypted: true, decryptionCheck: 'plaintext-markers', moreRecordsFollow: r.moreRecordsFollow, note });
}

/** Unencrypted records (or the inner TPL of an ELL-decrypted payload, when `unauthenticated`). */
function plainRecords(input: TplInput, parsed: Parsed, buf: Uint8Array, p: number, end: number, unauthenticated: boolean): TplOutput {
  const r = decodeRecords(buf, p, end);
  if (unauthenticated && !plausibleRecords(r)) {
    const reason = 'decrypted (payload CRC matches), but the content is not standard data records: shown as bytes, not values';
    return out(parsed, [], { note: reason, undecoded: undecodedBytes(buf, p, end, reason) });
  }
  if (r.error) {
    const stray = strayBytes(buf, p, end, r);
    return out(parsed, r.records, { note: stray.note, undecoded: stray.undecoded });
  }
  if (input.formats && parsed.address) remember(input.formats, parsed.address, buf, r.records);
  return out(parsed, r.records, { moreRecordsFollow: r.moreRecordsFollow });
}

/**
 * Tolerance: records before bytes that do not parse are kept (real meters append stray bytes, e.g. evo868's
 * FFFF); the rest is shown undecoded with the reason. CRCs and MACs are checked before this and stay strict.
 */
function strayBytes(buf: Uint8Array, start: number, end: number, r: RecordsResult): { note: string; undecoded: UndecodedBytes } {
  const last = r.records[r.records.length - 1];
  const from = last ? last.offset + last.length : start;
  const what = r.records.length === 0 ? 'the payload is not standard data records' : `${end - from} bytes after the last record are not records`;
  const reason = `${what} (${r.error!.reason} at offset ${r.error!.offset})`;
  return {
    note: r.records.length === 0 ? reason : `${reason}; the ${r.records.length} records before them are kept`,
    undecoded: undecodedBytes(buf, from, end, reason),
  };
}

function remember(formats: FormatCache, address: MeterAddress, buf: Uint8Array, records: readonly DataRecord[]): void {
  const learned = learnFormat(buf, records);
  if (learned) formats.set(meterKey(address), learned.signature, learned.template);
}

/** CI 0x79: format signature (2), full-frame CRC (2), then the values of a format learnt from a full frame. */
function compactFrame(buf: Uint8Array, p: number, end: number, parsed: Parsed, formats: FormatCache | undefined): TplOutput {
  if (p + 4 > end) return failHeader('truncated compact frame header (format signature and full-frame CRC)', p);
  const signature = buf[p]! | (buf[p + 1]! << 8);
  const fullFrameCrc = buf[p + 2]! | (buf[p + 3]! << 8);
  const template = formats && parsed.address ? formats.get(meterKey(parsed.address), signature) : undefined;
  const sig = signature.toString(16).toUpperCase().padStart(4, '0');
  if (!template) {
    const note = `compact frame with format ${sig}: waiting for a full frame from this meter to learn its format`;
    return out(parsed, [], { note, undecoded: undecodedBytes(buf, p + 4, end, note) });
  }
  const result = decodeCompact(buf, p + 4, end, fullFrameCrc, template);
  // Strict: a CRC that does not hold never yields values, but the meter keeps its header.
  if (!result.ok) return out(parsed, [], { note: result.reason, undecoded: undecodedBytes(buf, p + 4, end, result.reason) });
  let used = p + 4;
  for (const length of template.dataLengths) used += length;
  if (used === end) return out(parsed, result.records, {});
  const note = `${end - used} bytes after the compact frame's values are not part of its format`;
  return out(parsed, result.records, { note, undecoded: undecodedBytes(buf, used, end, note) });
}
