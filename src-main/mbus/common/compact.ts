import { decodeRecords } from './data-records';
import type { DataRecord } from './telegram';
import { crcEn13757 } from './crc';

/**
 * OMS compact frames (CI 0x79): to save air time a meter sends only its data values, with a format signature
 * (CRC of the DIF/VIF sequence of its full frame) and a CRC of the data. The receiver must have seen the full
 * frame (CI 0x78/0x7A/0x72) first; formats are kept per meter (full address) and signature.
 */
export interface FormatTemplate {
  /** DIF…VIF(E) bytes of each record, in order. */
  readonly headers: readonly Uint8Array[];
  readonly dataLengths: readonly number[];
}

/** Data length per DIF data-field code; variable-length (0x0D) and special (0x0F) records cannot be compacted. */
const DATA_LENGTH = [0, 1, 2, 3, 4, 4, 6, 8, 0, 1, 2, 3, 4, -1, 6, -1];

export class FormatCache {
  readonly #formats = new Map<string, FormatTemplate>();

  get(meter: string, signature: number): FormatTemplate | undefined {
    return this.#formats.get(`${meter}/${signature}`);
  }

  set(meter: string, signature: number, template: FormatTemplate): void {
    this.#formats.set(`${meter}/${signature}`, template);
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

/** The compact form of encoded records (signature, data CRC, values): for emulated meters and tests. */
export function compactPayload(records: Uint8Array): Uint8Array {
  const decoded = decodeRecords(records, 0, records.length);
  const learned = decoded.error ? undefined : learnFormat(records, decoded.records);
  if (!learned) throw new RangeError('these records cannot be sent as a compact frame');
  const data = Buffer.concat(decoded.records.map((r, i) => records.subarray(r.offset + r.length - learned.template.dataLengths[i]!, r.offset + r.length)));
  const crc = crcEn13757(data);
  return Buffer.concat([Uint8Array.of(learned.signature & 0xff, learned.signature >> 8, crc & 0xff, crc >> 8), data]);
}

export type CompactResult = { readonly ok: true; readonly records: DataRecord[] } | { readonly ok: false; readonly reason: string; readonly offset: number };

/**
 * Expands a compact frame's data (from `dataStart` to `end`) with its known format and decodes the records;
 * record offsets point at each value in the compact frame.
 */
export function decodeCompact(buf: Uint8Array, dataStart: number, end: number, dataCrc: number, template: FormatTemplate): CompactResult {
  const expected = template.dataLengths.reduce((a, b) => a + b, 0);
  if (end - dataStart !== expected)
    return { ok: false, reason: `compact frame carries ${end - dataStart} data bytes, its format ${expected}`, offset: dataStart };
  if (crcEn13757(buf, dataStart, end) !== dataCrc) return { ok: false, reason: 'compact frame data CRC mismatch', offset: dataStart - 2 };
  const parts: Uint8Array[] = [];
  const valueOffsets: number[] = [];
  let p = dataStart;
  template.headers.forEach((header, i) => {
    const length = template.dataLengths[i]!;
    parts.push(header, buf.subarray(p, p + length));
    valueOffsets.push(p);
    p += length;
  });
  const full = Buffer.concat(parts);
  const decoded = decodeRecords(full, 0, full.length);
  if (decoded.error) return { ok: false, reason: `compact frame: ${decoded.error.reason}`, offset: dataStart };
  return {
    ok: true,
    records: decoded.records.map((r, i) => ({ ...r, offset: valueOffsets[i]!, length: template.dataLengths[i]! })),
  };
}
