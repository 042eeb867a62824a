import { decodeRecords } from './data-records';
import type { DataRecord } from './telegram';
import { crcEn13757 } from './crc';

/**
 * OMS compact frames (CI 0x79): to save air time a meter sends only its data values, with a format signature and
 * a CRC of the full frame. Both are the EN 13757 CRC-16: the signature over the DIF/DIFE/VIF/VIFE bytes of every
 * record of the full frame, the full-frame CRC over the complete records (DIF…VIFE and data) as the full frame
 * would carry them — checked on the reconstructed records, as real Kamstrup meters compute it. The receiver must
 * have seen the full frame (CI 0x78/0x7A/0x72) first; formats are kept per meter (full address) and signature.
 */
export interface FormatTemplate {
  /** DIF…VIF(E) bytes of each record, in order. */
  readonly headers: readonly Uint8Array[];
  readonly dataLengths: readonly number[];
}

/** Data length per DIF data-field code; variable-length (0x0D) and special (0x0F) records cannot be compacted. */
const DATA_LENGTH = [0, 1, 2, 3, 4, 4, 6, 8, 0, 1, 2, 3, 4, -1, 6, -1];

/** Enough for every meter a walk-by in a large block hears; beyond it the least recently heard format goes. */
export const FORMAT_CACHE_CAPACITY = 2048;

/**
 * Known formats, bounded: a receiver left running hears new meters (and new formats) without end, so the cache
 * keeps at most `capacity` formats and evicts the least recently heard (a Map iterates in insertion order; a hit
 * or an update moves the entry to the end).
 */
export class FormatCache {
  readonly #formats = new Map<string, FormatTemplate>();
  readonly #capacity: number;

  constructor(capacity = FORMAT_CACHE_CAPACITY) {
    if (!(capacity >= 1)) throw new RangeError('a format cache holds at least one format');
    this.#capacity = capacity;
  }

  get(meter: string, signature: number): FormatTemplate | undefined {
    const key = `${meter}/${signature}`;
    const template = this.#formats.get(key);
    if (template) {
      this.#formats.delete(key);
      this.#formats.set(key, template);
    }
    return template;
  }

  set(meter: string, signature: number, template: FormatTemplate): void {
    const key = `${meter}/${signature}`;
    this.#formats.delete(key);
    this.#formats.set(key, template);
    if (this.#formats.size > this.#capacity) this.#formats.delete(this.#formats.keys().next().value!);
  }

  get size(): number {
    return this.#formats.size;
  }
}

/** The format of a decoded full frame, or undefined when a record cannot be part of a compact frame. */
export function learnFormat(buf: Uint8Array, records: readonly DataRecord[]): { signature: number; template: FormatTemplate } | undefined {
  if (records.length === 0) return undefined;
  const headers: Uint8Array[] = [];
  const dataLengths: number[] = [];
  for (const r of records) {
    const dataLength = DATA_LENGTH[buf[r.offset]! & 0x0f]!;
    if (dataLength < 0 || r.function === 'manufacturer' || r.function === 'more-records-follow') return undefined;
    headers.push(buf.slice(r.offset, r.offset + r.length - dataLength));
    dataLengths.push(dataLength);
  }
  const all = Buffer.concat(headers);
  return { signature: crcEn13757(all), template: { headers, dataLengths } };
}

/** The compact form of encoded records (signature, full-frame CRC, values): for emulated meters and tests. */
export function compactPayload(records: Uint8Array): Uint8Array {
  const decoded = decodeRecords(records, 0, records.length);
  const learned = decoded.error ? undefined : learnFormat(records, decoded.records);
  if (!learned) throw new RangeError('these records cannot be sent as a compact frame');
  const last = decoded.records[decoded.records.length - 1]!;
  const crc = crcEn13757(records, decoded.records[0]!.offset, last.offset + last.length);
  const data = Buffer.concat(decoded.records.map((r, i) => records.subarray(r.offset + r.length - learned.template.dataLengths[i]!, r.offset + r.length)));
  return Buffer.concat([Uint8Array.of(learned.signature & 0xff, learned.signature >> 8, crc & 0xff, crc >> 8), data]);
}

export type CompactResult = { readonly ok: true; readonly records: DataRecord[] } | { readonly ok: false; readonly reason: string; readonly offset: number };

/**
 * Expands a compact frame's data (from `dataStart` to `end`) with its known format, checks the full-frame CRC
 * over the reconstructed records and decodes them; record offsets point at each value in the compact frame.
 */
export function decodeCompact(buf: Uint8Array, dataStart: number, end: number, fullFrameCrc: number, template: FormatTemplate): CompactResult {
  let expected = 0;
  for (const length of template.dataLengths) expected += length;
  if (end - dataStart < expected)
    return { ok: false, reason: `compact frame carries ${end - dataStart} data bytes, its format needs ${expected}`, offset: dataStart };
  let fullLength = expected;
  for (const header of template.headers) fullLength += header.length;
  const full = new Uint8Array(fullLength);
  const valueOffsets: number[] = [];
  let p = dataStart;
  let q = 0;
  for (let i = 0; i < template.headers.length; i++) {
    const header = template.headers[i]!;
    const length = template.dataLengths[i]!;
    full.set(header, q);
    q += header.length;
    full.set(buf.subarray(p, p + length), q);
    q += length;
    valueOffsets.push(p);
    p += length;
  }
  if (crcEn13757(full) !== fullFrameCrc) return { ok: false, reason: 'compact frame: full-frame CRC mismatch (format or data changed)', offset: dataStart - 2 };
  const decoded = decodeRecords(full, 0, full.length);
  if (decoded.error) return { ok: false, reason: `compact frame: ${decoded.error.reason}`, offset: dataStart };
  const records = decoded.records.map((r, i) => ({ ...r, offset: valueOffsets[i]!, length: template.dataLengths[i]! }));
  return { ok: true, records };
}
