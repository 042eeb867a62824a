import type { DataRecord, DecodeError, RecordFunction } from './telegram';
import { hex2, reversedHex, toHex } from './hex';
import { COMBINABLE_VIFE, FB_VIF, FD_VIF, PRIMARY_VIF, type VifMeaning } from './vif-tables';

/** Limits from EN 13757-3 (and libmbus): more than this many extension bytes is a malformed record. */
const MAX_DIFE = 10;
const MAX_VIFE = 10;

/** Data length in bytes per DIF data-field code (0x0D variable and 0x0F special handled apart). */
const DATA_LENGTH = [0, 1, 2, 3, 4, 4, 6, 8, 0, 1, 2, 3, 4, -1, 6, -1];
const FUNCTIONS: readonly RecordFunction[] = ['instantaneous', 'maximum', 'minimum', 'error'];

export interface RecordsResult {
  readonly records: DataRecord[];
  readonly moreRecordsFollow: boolean;
  readonly error?: DecodeError;
}

const TEXT_MEANING: VifMeaning = { quantity: 'plain-text-unit', unit: '', exp: 0, factor: 1, kind: 'number' };
const RESERVED_MEANING: VifMeaning = { quantity: 'reserved', unit: '', exp: 0, factor: 1, kind: 'number' };
const MANUFACTURER_MEANING: VifMeaning = { quantity: 'manufacturer-specific', unit: '', exp: 0, factor: 1, kind: 'number' };

/**
 * Decodes the data records between `start` and `end` (exclusive). Never throws: a malformed record ends the walk
 * with `error` (offset = the record's DIF) and the records decoded so far.
 */
export function decodeRecords(buf: Uint8Array, start: number, end: number): RecordsResult {
  const records: DataRecord[] = [];
  let p = start;
  while (p < end) {
    const recordStart = p;
    const dif = buf[p++]!;
    if (dif === 0x2f) continue; // idle filler
    const dataField = dif & 0x0f;
    if (dataField === 0x0f) {
      if (dif === 0x0f || dif === 0x1f) {
        const more = dif === 0x1f;
        records.push(rawRecord(buf, recordStart, p, end, more ? 'more-records-follow' : 'manufacturer'));
        return { records, moreRecordsFollow: more };
      }
      if (dif === 0x7f) continue; // global readout request: a master→slave marker without data
      return failure(records, `reserved special DIF 0x${hex2(dif)}`, recordStart);
    }
    let storage = (dif >> 6) & 1;
    let tariff = 0;
    let subunit = 0;
    let ext = dif & 0x80;
    let n = 0;
    while (ext) {
      if (p >= end) return failure(records, 'premature end of record: DIFE expected', recordStart);
      if (n === MAX_DIFE) return failure(records, `more than ${MAX_DIFE} DIFEs`, p);
      const dife = buf[p++]!;
      storage |= (dife & 0x0f) << (1 + 4 * n);
      tariff |= ((dife >> 4) & 3) << (2 * n);
      subunit |= ((dife >> 6) & 1) << n;
      ext = dife & 0x80;
      n++;
    }
    if (p >= end) return failure(records, 'premature end of record: VIF expected', recordStart);
    const vif = buf[p++]!;
    let meaning: VifMeaning;
    let textUnit: string | undefined;
    let modifiers: string[] | undefined;
    let correction = 0;
    let correctionFactor = 1;
    const vifCode = vif & 0x7f;
    if (vifCode === 0x7c) {
      if (p >= end) return failure(records, 'premature end of record: plain-text VIF length expected', recordStart);
      const len = buf[p++]!;
      if (p + len > end) return failure(records, 'premature end of record: plain-text VIF truncated', recordStart);
      textUnit = reversedAscii(buf, p, len);
      p += len;
      meaning = TEXT_MEANING;
    } else if (vifCode === 0x7f) {
      meaning = MANUFACTURER_MEANING;
    } else if ((vifCode === 0x7d || vifCode === 0x7b) && vif & 0x80) {
      if (p >= end) return failure(records, 'premature end of record: extension VIFE expected', recordStart);
      meaning = (vifCode === 0x7d ? FD_VIF : FB_VIF)[buf[p]! & 0x7f]!;
    } else if (vifCode === 0x7d || vifCode === 0x7b) {
      meaning = RESERVED_MEANING; // an extension VIF without its VIFE: seen in the wild, kept as a plain number
    } else {
      meaning = PRIMARY_VIF[vifCode]!;
    }
    // VIFE chain: after 0x7D/0x7B the first VIFE selects the table entry; the rest are combinable.
    if (vif & 0x80) {
      let count = 0;
      let first = meaning !== RESERVED_MEANING && (vifCode === 0x7d || vifCode === 0x7b);
      let manufacturerVifes = vifCode === 0x7f;
      let more = true;
      while (more) {
        if (p >= end) return failure(records, 'premature end of record: VIFE expected', recordStart);
        if (count === MAX_VIFE) return failure(records, `more than ${MAX_VIFE} VIFEs`, p);
        const vife = buf[p++]!;
        count++;
        more = (vife & 0x80) !== 0;
        if (first) {
          first = false;
          continue;
        }
        if (manufacturerVifes) continue;
        const code = vife & 0x7f;
        if (code === 0x7f) manufacturerVifes = true;
        if (code >= 0x70 && code <= 0x77) correction += code - 0x70 - 6;
        else if (code === 0x7d) correctionFactor *= 1000;
        const name = COMBINABLE_VIFE[code] ?? `vife-${hex2(code)}`;
        (modifiers ??= []).push(name);
      }
    }
    // Data
    let length = DATA_LENGTH[dataField]!;
    let value: number | string | null = null;
    let valueType: DataRecord['valueType'] = 'number';
    if (dataField === 0x0d) {
      if (p >= end) return failure(records, 'premature end of record: LVAR expected', recordStart);
      const lvar = buf[p++]!;
      if (lvar <= 0xbf) {
        length = lvar;
        if (p + length > end) return failure(records, `premature end of data: record needs ${length} bytes`, recordStart);
        // A compact profile carries its series of values as binary data, not text.
        const profile = modifiers !== undefined && modifiers.some((m) => m.endsWith('compact-profile') || m === 'compact-profile-with-register-numbers');
        value = profile ? toHex(buf, p, p + length) : reversedAscii(buf, p, length);
        valueType = profile ? 'hex' : 'text';
      } else if (lvar <= 0xdf) {
        length = lvar & 0x0f;
        if (p + length > end) return failure(records, `premature end of data: record needs ${length} bytes`, recordStart);
        const digits = bcdValue(buf, p, length);
        value = typeof digits === 'number' && lvar >= 0xd0 ? -digits : digits;
      } else if (lvar <= 0xef) {
        length = lvar - 0xe0;
        if (p + length > end) return failure(records, `premature end of data: record needs ${length} bytes`, recordStart);
        value = length <= 6 && length > 0 ? readInt(buf, p, length) : reversedHex(buf, p, length);
        valueType = typeof value === 'number' ? 'number' : 'hex';
      } else if (lvar <= 0xf6) {
        length = lvar <= 0xf4 ? 4 * (lvar - 0xec) : lvar === 0xf5 ? 48 : 64;
        if (p + length > end) return failure(records, `premature end of data: record needs ${length} bytes`, recordStart);
        value = reversedHex(buf, p, length);
        valueType = 'hex';
      } else {
        return failure(records, `reserved LVAR 0x${hex2(lvar)}`, p - 1);
      }
    } else {
      if (p + length > end) return failure(records, `premature end of data: record needs ${length} bytes`, recordStart);
      if (length === 0) {
        valueType = 'none';
      } else if (meaning.kind === 'date' || meaning.kind === 'date-time') {
        const decoded = decodeDateTime(buf, p, length);
        if (decoded) {
          value = decoded.invalid ? null : decoded.value;
          valueType = decoded.type;
          if (decoded.invalid) (modifiers ??= []).push(decoded.invalid === 'not-set' ? 'time-invalid' : 'time-out-of-range');
        } else value = readNumber(buf, p, dataField, length);
      } else if (meaning.kind === 'id' && dataField >= 0x09) {
        value = reversedHex(buf, p, length);
        valueType = 'text';
      } else {
        value = readNumber(buf, p, dataField, length);
      }
    }
    p += length;
    if (typeof value === 'number' && valueType === 'number') value = scale(value, meaning.exp + correction, meaning.factor * correctionFactor);
    else if (typeof value === 'string' && valueType === 'number') valueType = 'hex';
    records.push({
      offset: recordStart,
      length: p - recordStart,
      function: FUNCTIONS[(dif >> 4) & 3]!,
      storage,
      tariff,
      subunit,
      quantity: meaning.quantity,
      unit: textUnit ?? meaning.unit,
      value,
      valueType,
      modifiers,
    });
  }
  return { records, moreRecordsFollow: false };
}

function failure(records: DataRecord[], reason: string, offset: number): RecordsResult {
  return { records, moreRecordsFollow: false, error: { reason, offset } };
}

function rawRecord(buf: Uint8Array, start: number, dataStart: number, end: number, fn: RecordFunction): DataRecord {
  return {
    offset: start,
    length: end - start,
    function: fn,
    storage: 0,
    tariff: 0,
    subunit: 0,
    quantity: 'manufacturer-specific',
    unit: '',
    value: toHex(buf, dataStart, end),
    valueType: 'hex',
    modifiers: undefined,
  };
}

/** Avoids 0.1 * 3 style artefacts: divide by an exact power of ten rather than multiplying by a fraction. */
function scale(raw: number, exp: number, factor: number): number {
  const v = raw * factor;
  if (exp === 0) return v;
  return exp < 0 ? v / POW10[-exp]! : v * POW10[exp]!;
}

const POW10 = Array.from({ length: 40 }, (_, i) => 10 ** i);

function readNumber(buf: Uint8Array, p: number, dataField: number, length: number): number | string {
  switch (dataField) {
    case 0x05:
      return readFloat32(buf, p);
    case 0x09:
    case 0x0a:
    case 0x0b:
    case 0x0c:
    case 0x0e:
      return bcdValue(buf, p, length);
    default:
      return readInt(buf, p, length);
  }
}

/**
 * Little-endian two's-complement integer of 1–8 bytes, in plain arithmetic (no BigInt: this is the hot path of
 * every record). 64-bit values beyond 2^53 lose precision: high word × 2^32 is exact, the sum rounds once.
 */
function readInt(buf: Uint8Array, p: number, length: number): number {
  switch (length) {
    case 1:
      return (buf[p]! << 24) >> 24;
    case 2:
      return ((buf[p]! | (buf[p + 1]! << 8)) << 16) >> 16;
    case 3:
      return ((buf[p]! | (buf[p + 1]! << 8) | (buf[p + 2]! << 16)) << 8) >> 8;
    case 4:
      return buf[p]! | (buf[p + 1]! << 8) | (buf[p + 2]! << 16) | (buf[p + 3]! << 24);
    case 6:
      return uint32(buf, p) + (((buf[p + 4]! | (buf[p + 5]! << 8)) << 16) >> 16) * 0x1_0000_0000;
    case 8:
      return uint32(buf, p) + (buf[p + 4]! | (buf[p + 5]! << 8) | (buf[p + 6]! << 16) | (buf[p + 7]! << 24)) * 0x1_0000_0000;
    default: {
      // 5 bytes (LVAR E5): sign-extend from bit 39.
      let v = 0;
      for (let i = length - 1; i >= 0; i--) v = v * 256 + buf[p + i]!;
      const bits = 8 * length;
      return v >= POW2[bits - 1]! ? v - POW2[bits]! : v;
    }
  }
}

/** IEEE 754 single, little-endian, through one scratch view (no Buffer per value). */
function readFloat32(buf: Uint8Array, p: number): number {
  FLOAT_VIEW.setUint32(0, uint32(buf, p), true);
  return FLOAT_VIEW.getFloat32(0, true);
}

const FLOAT_VIEW = new DataView(new ArrayBuffer(4));

function uint32(buf: Uint8Array, p: number): number {
  return (buf[p]! | (buf[p + 1]! << 8) | (buf[p + 2]! << 16) | (buf[p + 3]! << 24)) >>> 0;
}

const POW2 = Array.from({ length: 65 }, (_, i) => 2 ** i);

/** Packed BCD, least significant byte first; a top nibble 0xF marks a negative value (EN 13757-3 annex). */
function bcdValue(buf: Uint8Array, p: number, length: number): number | string {
  let v = 0;
  let negative = false;
  for (let i = length - 1; i >= 0; i--) {
    const b = buf[p + i]!;
    let hi = b >> 4;
    const lo = b & 0x0f;
    if (i === length - 1 && hi === 0x0f) {
      negative = true;
      hi = 0;
    }
    if (hi > 9 || lo > 9) return reversedHex(buf, p, length);
    v = v * 100 + hi * 10 + lo;
  }
  return negative ? -v : v;
}

type DateInvalid = 'not-set' | 'out-of-range' | undefined;

/** Types G (2 bytes), F (4), I (6) and J (3); an invalid date is "not-set" (IV bit, all ones) or "out-of-range". */
function decodeDateTime(buf: Uint8Array, p: number, length: number): { value: string; type: 'date' | 'date-time' | 'time'; invalid?: DateInvalid } | undefined {
  if (length === 2) {
    const b0 = buf[p]!,
      b1 = buf[p + 1]!;
    const day = b0 & 0x1f,
      month = b1 & 0x0f,
      year = ((b0 & 0xe0) >> 5) | ((b1 & 0xf0) >> 1);
    // Type G has no IV bit: a day or month out of range (FFFF is common) marks the date as not set.
    const invalid = b0 === 0xff && b1 === 0xff ? 'not-set' : validDate(day, month) ? undefined : 'out-of-range';
    return { value: `${fullYear(year)}-${pad2(month)}-${pad2(day)}`, type: 'date', invalid };
  }
  if (length === 4) {
    const b0 = buf[p]!,
      b1 = buf[p + 1]!,
      b2 = buf[p + 2]!,
      b3 = buf[p + 3]!;
    const minute = b0 & 0x3f,
      hour = b1 & 0x1f,
      day = b2 & 0x1f,
      month = b3 & 0x0f;
    const year = ((b2 & 0xe0) >> 5) | ((b3 & 0xf0) >> 1);
    const invalid = b0 & 0x80 || (b0 & b1 & b2 & b3) === 0xff ? 'not-set' : validDate(day, month) && hour <= 23 && minute <= 59 ? undefined : 'out-of-range';
    return { value: `${fullYear(year)}-${pad2(month)}-${pad2(day)}T${pad2(hour)}:${pad2(minute)}:00`, type: 'date-time', invalid };
  }
  if (length === 6) {
    const second = buf[p]! & 0x3f,
      minute = buf[p + 1]! & 0x3f,
      hour = buf[p + 2]! & 0x1f;
    const b3 = buf[p + 3]!,
      b4 = buf[p + 4]!;
    const day = b3 & 0x1f,
      month = b4 & 0x0f,
      year = ((b3 & 0xe0) >> 5) | ((b4 & 0xf0) >> 1);
    const invalid = validDate(day, month) && hour <= 23 && minute <= 59 && second <= 59 ? undefined : 'out-of-range';
    return { value: `${fullYear(year)}-${pad2(month)}-${pad2(day)}T${pad2(hour)}:${pad2(minute)}:${pad2(second)}`, type: 'date-time', invalid };
  }
  if (length === 3) {
    const second = buf[p]! & 0x3f,
      minute = buf[p + 1]! & 0x3f,
      hour = buf[p + 2]! & 0x1f;
    return { value: `${pad2(hour)}:${pad2(minute)}:${pad2(second)}`, type: 'time', invalid: undefined };
  }
  return undefined;
}

function validDate(day: number, month: number): boolean {
  return day >= 1 && day <= 31 && month >= 1 && month <= 12;
}

/** Two-digit years: 81–99 are 19xx, 0–80 are 20xx (the convention libmbus and most head-ends use). */
function fullYear(year: number): string {
  return YEARS[year]!;
}

const YEARS: readonly string[] = Array.from({ length: 128 }, (_, year) => String(year > 80 ? 1900 + year : 2000 + year));

/** Date fields are at most 63: two-digit strings from a table rather than built per record. */
function pad2(n: number): string {
  return PAD2[n]!;
}

const PAD2: readonly string[] = Array.from({ length: 64 }, (_, i) => String(i).padStart(2, '0'));

/** M-Bus text is sent last character first. */
function reversedAscii(buf: Uint8Array, p: number, length: number): string {
  let s = '';
  for (let i = p + length - 1; i >= p; i--) s += String.fromCharCode(buf[i]!);
  return s;
}
