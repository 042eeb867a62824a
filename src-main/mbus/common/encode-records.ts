import type { RecordFunction } from './telegram';
import { encodeId, encodeManufacturer } from './header';

/**
 * Encoder for data records and RSP_UD frames: the emulators speak with it and the tests round-trip through it.
 * Values are given raw (unscaled), as a meter would put them on the wire.
 */
export type RecordData =
  | { readonly type: 'int'; readonly bytes: 1 | 2 | 3 | 4 | 6 | 8; readonly value: number }
  | { readonly type: 'bcd'; readonly digits: 2 | 4 | 6 | 8 | 12; readonly value: number }
  | { readonly type: 'real'; readonly value: number }
  | { readonly type: 'date'; readonly value: string }
  | { readonly type: 'date-time'; readonly value: string }
  | { readonly type: 'text'; readonly value: string }
  | { readonly type: 'none' };

export interface RecordSpec {
  readonly function?: Exclude<RecordFunction, 'manufacturer' | 'more-records-follow'>;
  readonly storage?: number;
  readonly tariff?: number;
  readonly subunit?: number;
  /** VIF and VIFE bytes exactly as sent (extension bits included). */
  readonly vif: readonly number[];
  readonly data: RecordData;
}

const FUNCTION_BITS = { instantaneous: 0, maximum: 1, minimum: 2, error: 3 } as const;
const INT_CODES = { 1: 1, 2: 2, 3: 3, 4: 4, 6: 6, 8: 7 } as const;
const BCD_CODES = { 2: 9, 4: 0xa, 6: 0xb, 8: 0xc, 12: 0xe } as const;

export function encodeRecord(spec: RecordSpec): Uint8Array {
  const out: number[] = [];
  const { data } = spec;
  let dataField: number;
  let payload: number[];
  switch (data.type) {
    case 'int': {
      dataField = INT_CODES[data.bytes];
      let v = BigInt.asUintN(8 * data.bytes, BigInt(Math.trunc(data.value)));
      payload = [];
      for (let i = 0; i < data.bytes; i++) {
        payload.push(Number(v & 0xffn));
        v >>= 8n;
      }
      break;
    }
    case 'bcd': {
      dataField = BCD_CODES[data.digits];
      const negative = data.value < 0;
      const digits = String(Math.abs(Math.trunc(data.value))).padStart(data.digits, '0');
      if (digits.length > data.digits) throw new RangeError(`${data.value} needs more than ${data.digits} BCD digits`);
      payload = [];
      for (let i = data.digits - 2; i >= 0; i -= 2) payload.push(parseInt(digits.slice(i, i + 2), 16));
      if (negative) payload[payload.length - 1] = (payload[payload.length - 1]! & 0x0f) | 0xf0;
      break;
    }
    case 'real': {
      dataField = 5;
      const b = Buffer.alloc(4);
      b.writeFloatLE(data.value);
      payload = [...b];
      break;
    }
    case 'date': {
      dataField = 2;
      const [y, mo, d] = data.value.split('-').map(Number) as [number, number, number];
      const yy = y % 100;
      payload = [(d & 0x1f) | ((yy & 7) << 5), (mo & 0x0f) | ((yy >> 3) << 4)];
      break;
    }
    case 'date-time': {
      dataField = 4;
      const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(data.value);
      if (!match) throw new RangeError(`bad date-time ${data.value}`);
      const [y, mo, d, h, mi] = match.slice(1).map(Number) as [number, number, number, number, number];
      const yy = y % 100;
      payload = [mi & 0x3f, h & 0x1f, (d & 0x1f) | ((yy & 7) << 5), (mo & 0x0f) | ((yy >> 3) << 4)];
      break;
    }
    case 'text': {
      dataField = 0x0d;
      payload = [data.value.length, ...[...data.value].reverse().map((c) => c.charCodeAt(0) & 0xff)];
      break;
    }
    case 'none':
      dataField = 0;
      payload = [];
      break;
  }
  const storage = spec.storage ?? 0;
  const tariff = spec.tariff ?? 0;
  const subunit = spec.subunit ?? 0;
  const dif = dataField | (FUNCTION_BITS[spec.function ?? 'instantaneous'] << 4) | ((storage & 1) << 6);
  out.push(dif);
  let restStorage = storage >> 1;
  let restTariff = tariff;
  let restSubunit = subunit;
  let difIndex = 0;
  while (restStorage || restTariff || restSubunit) {
    out[out.length - 1] |= 0x80;
    out.push((restStorage & 0x0f) | ((restTariff & 3) << 4) | ((restSubunit & 1) << 6));
    restStorage >>= 4;
    restTariff >>= 2;
    restSubunit >>= 1;
    if (++difIndex > 10) throw new RangeError('storage/tariff/subunit too large for 10 DIFEs');
  }
  out.push(...spec.vif, ...payload);
  return Uint8Array.from(out);
}

export interface RecordsOptions {
  readonly moreRecordsFollow?: boolean;
  /** Manufacturer-specific bytes after a 0x0F (or 0x1F when more records follow). */
  readonly manufacturerData?: Uint8Array;
}

export function encodeRecords(records: readonly RecordSpec[], options: RecordsOptions = {}): Uint8Array {
  const parts = records.map(encodeRecord);
  if (options.moreRecordsFollow || options.manufacturerData) {
    parts.push(Uint8Array.of(options.moreRecordsFollow ? 0x1f : 0x0f));
    if (options.manufacturerData) parts.push(options.manufacturerData);
  }
  return Buffer.concat(parts);
}

export interface LongHeader {
  readonly id: string;
  readonly manufacturer: string;
  readonly version: number;
  readonly medium: number;
  readonly accessNumber: number;
  readonly status: number;
  readonly signature?: number;
}

export function encodeLongHeader(h: LongHeader): Uint8Array {
  const out = new Uint8Array(12);
  encodeId(h.id, out, 0);
  const m = encodeManufacturer(h.manufacturer);
  out[4] = m & 0xff;
  out[5] = m >> 8;
  out[6] = h.version;
  out[7] = h.medium;
  out[8] = h.accessNumber & 0xff;
  out[9] = h.status;
  out[10] = (h.signature ?? 0) & 0xff;
  out[11] = (h.signature ?? 0) >> 8;
  return out;
}
