import type { KeyLookup } from '../common/meter-address';
import { decodeTpl, undecodedBytes } from '../common/tpl';
import { decodeRecords } from '../common/data-records';
import { decodeId, mediumName } from '../common/header';
import type { DataRecord, DecodedTelegram, DecodeResult, TelegramHeader } from '../common/telegram';
import { isWholeLongFrame, parseFrame, type WiredFrame } from './wired-frame';

const APPLICATION_ERRORS = [
  'unspecified error',
  'unimplemented CI-field',
  'buffer too long, truncated',
  'too many records',
  'premature end of record',
  'more than 10 DIFEs',
  'more than 10 VIFEs',
  'reserved',
  'application busy',
  'too many readouts',
];

/**
 * Decodes one complete wired M-Bus frame (ACK, short, control or long). Never throws: malformed input gives
 * `{ok:false}` with the reason and the offset of the offending byte.
 */
export function decodeWired(input: Uint8Array, keys?: KeyLookup): DecodeResult {
  try {
    return decodeUnsafe(input, keys);
  } catch (error) {
    return { ok: false, error: { reason: `internal decoder error: ${error instanceof Error ? error.message : String(error)}`, offset: 0 } };
  }
}

function decodeUnsafe(input: Uint8Array, keys?: KeyLookup): DecodeResult {
  // A whole, valid long frame (what a bus read returns) goes straight to the application layer.
  if (isWholeLongFrame(input)) return decodeWithCi(input, 'long', input[4]!, input[5]!, input[6]!, keys);
  const parsed = parseFrame(input, 0);
  if (parsed.status === 'incomplete') {
    const need = input[0] === 0x68 && input.length >= 2 ? input[1]! + 6 : input[0] === 0x10 ? 5 : 4;
    return { ok: false, error: { reason: `truncated frame: ${input.length} of ${need} bytes`, offset: input.length } };
  }
  if (parsed.status === 'error') return { ok: false, error: parsed.error };
  if (parsed.length !== input.length) {
    // Tolerance: keep the frame (its checksum held) and show what follows it undecoded, as a log may join frames.
    const result = decodeFrame(input.subarray(0, parsed.length), parsed.frame, keys);
    if (!result.ok) return result;
    const reason = `${input.length - parsed.length} bytes after the end of the frame (stop byte 16) are not part of it`;
    const note = result.telegram.note ? `${result.telegram.note}; ${reason}` : reason;
    return { ok: true, telegram: { ...result.telegram, note, undecoded: undecodedBytes(input, parsed.length, input.length, reason) } };
  }
  return decodeFrame(input, parsed.frame, keys);
}

function decodeFrame(input: Uint8Array, frame: WiredFrame, keys: KeyLookup | undefined): DecodeResult {
  const base = { kind: 'wired', encrypted: false, decrypted: true, records: [] as DataRecord[], moreRecordsFollow: false } as const;
  if (frame.type === 'ack') return { ok: true, telegram: { ...base, frame: 'ack', cField: 0 } };
  if (frame.type === 'short') return { ok: true, telegram: { ...base, frame: 'short', cField: frame.c, address: frame.a } };
  return decodeWithCi(input, frame.type, frame.c, frame.a, frame.ci, keys);
}

function decodeWithCi(input: Uint8Array, type: 'long' | 'control', c: number, a: number, ci: number, keys: KeyLookup | undefined): DecodeResult {
  const ciOffset = 6;
  const end = input.length - 2;
  if (type === 'long' && (ci === 0x72 || ci === 0x7a || ci === 0x78)) {
    const tpl = decodeTpl({ buf: input, ciOffset, end, keys, linkAddressOffset: undefined, afl: undefined });
    if (tpl.error) return { ok: false, error: tpl.error };
    // Written out rather than spread: this is the hot path of every wired decode.
    const telegram: DecodedTelegram = {
      kind: 'wired',
      frame: 'long',
      cField: c,
      address: a,
      ci,
      header: tpl.header,
      encrypted: tpl.encrypted,
      decrypted: tpl.decrypted,
      decryptionError: tpl.decryptionError,
      decryptionCheck: tpl.decryptionCheck,
      records: tpl.records,
      moreRecordsFollow: tpl.moreRecordsFollow,
      note: tpl.note,
      undecoded: tpl.undecoded,
    };
    return { ok: true, telegram };
  }
  const frame: FrameFields = { type, c, a, ci };
  if (type === 'control') {
    // CI 0x70 without a code byte: an application error with no detail.
    if (ci === 0x70) return plainTelegram(frame, undefined, [], { code: 0, text: APPLICATION_ERRORS[0]! });
    return plainTelegram(frame, undefined, [], undefined);
  }
  if (ci === 0x70) {
    const code = end > ciOffset + 1 ? input[ciOffset + 1]! : 0;
    return plainTelegram(frame, undefined, [], { code, text: APPLICATION_ERRORS[code] ?? `application error ${code}` });
  }
  if (ci === 0x73 || ci === 0x77) return decodeFixed(input, frame, ciOffset, end);
  if (ci === 0x76) return { ok: false, error: { reason: 'CI 0x76 (most-significant-byte-first data) is not supported', offset: ciOffset } };
  if (ci === 0x51 || ci === 0x52 || ci === 0x50 || ci === 0x53 || ci === 0x54 || (ci >= 0xb8 && ci <= 0xbf)) {
    // Master → slave frames (data send, selection, reset, baud switch): records only for 0x51.
    const r = ci === 0x51 ? decodeRecords(input, ciOffset + 1, end) : { records: [], moreRecordsFollow: false, error: undefined };
    if (r.error) return { ok: false, error: r.error };
    return plainTelegram(frame, undefined, r.records, undefined);
  }
  return { ok: false, error: { reason: `unsupported CI 0x${ci.toString(16).toUpperCase().padStart(2, '0')}`, offset: ciOffset } };
}

/** Fixed data structure (CI 0x73/0x77, EN 1434-3): id, access number, status, medium/units, two counters. */
function decodeFixed(input: Uint8Array, frame: FrameFields, ciOffset: number, end: number): DecodeResult {
  const p = ciOffset + 1;
  if (end - p < 16) return { ok: false, error: { reason: 'truncated fixed data structure (16 bytes expected)', offset: end } };
  const status = input[p + 5]!;
  const mediumUnit = input[p + 6]! | (input[p + 7]! << 8);
  const mediumCode = MEDIUM_FROM_FIXED[((input[p + 7]! & 0xc0) >> 4) | ((input[p + 6]! & 0xc0) >> 6)]!;
  const binary = (status & 0x80) !== 0;
  const header = { id: decodeId(input, p), manufacturer: '', version: 0, medium: mediumName(mediumCode), mediumCode, accessNumber: input[p + 4]!, status };
  const records = [fixedCounter(input, p + 8, mediumUnit & 0x3f, 0, binary), fixedCounter(input, p + 12, (mediumUnit >> 8) & 0x3f, 1, binary)];
  return plainTelegram(frame, header, records, undefined);
}

interface FrameFields {
  readonly type: 'long' | 'control';
  readonly c: number;
  readonly a: number;
  readonly ci: number;
}

/** An unencrypted wired telegram, written out field by field (object spreads are slow on this path). */
function plainTelegram(
  frame: FrameFields,
  header: TelegramHeader | undefined,
  records: DataRecord[],
  applicationError: DecodedTelegram['applicationError'],
): DecodeResult {
  const telegram: DecodedTelegram = {
    kind: 'wired',
    frame: frame.type,
    cField: frame.c,
    address: frame.a,
    ci: frame.ci,
    header,
    encrypted: false,
    decrypted: true,
    records,
    moreRecordsFollow: false,
    applicationError,
  };
  return { ok: true, telegram };
}

/** A fixed-structure counter: 32-bit binary or 8 BCD digits (non-decimal digits are kept as hex). */
function fixedCounter(input: Uint8Array, at: number, unitCode: number, index: number, binary: boolean): DataRecord {
  let value: number | undefined;
  if (binary) value = (input[at]! | (input[at + 1]! << 8) | (input[at + 2]! << 16)) + input[at + 3]! * 0x1000000;
  else value = bcd8(input, at);
  return {
    offset: at,
    length: 4,
    function: 'instantaneous',
    storage: index,
    tariff: 0,
    subunit: 0,
    quantity: 'counter',
    unit: FIXED_UNITS[unitCode] ?? `unit-${unitCode}`,
    value: value ?? decodeId(input, at),
    valueType: value === undefined ? 'hex' : 'number',
  };
}

/** Eight BCD digits, least significant byte first; undefined when a digit is not decimal. */
function bcd8(input: Uint8Array, at: number): number | undefined {
  let v = 0;
  for (let i = 3; i >= 0; i--) {
    const b = input[at + i]!;
    if ((b & 0x0f) > 9 || b >> 4 > 9) return undefined;
    v = v * 100 + (b >> 4) * 10 + (b & 0x0f);
  }
  return v;
}

/** EN 1434-3 fixed-structure physical units (subset in use). */
const FIXED_UNITS: Record<number, string> = {
  0x00: 'h,min,s',
  0x01: 'D,M,Y',
  0x02: 'Wh',
  0x03: 'Wh*10',
  0x04: 'Wh*100',
  0x05: 'kWh',
  0x06: 'kWh*10',
  0x07: 'kWh*100',
  0x08: 'MWh',
  0x09: 'MWh*10',
  0x0a: 'MWh*100',
  0x0b: 'kJ',
  0x0c: 'kJ*10',
  0x0d: 'kJ*100',
  0x0e: 'MJ',
  0x0f: 'MJ*10',
  0x10: 'MJ*100',
  0x11: 'GJ',
  0x12: 'GJ*10',
  0x13: 'GJ*100',
  0x14: 'W',
  0x15: 'W*10',
  0x16: 'W*100',
  0x17: 'kW',
  0x18: 'kW*10',
  0x19: 'kW*100',
  0x1a: 'MW',
  0x1b: 'MW*10',
  0x1c: 'MW*100',
  0x1d: 'kJ/h',
  0x1e: 'kJ/h*10',
  0x1f: 'kJ/h*100',
  0x20: 'MJ/h',
  0x21: 'MJ/h*10',
  0x22: 'MJ/h*100',
  0x23: 'GJ/h',
  0x24: 'GJ/h*10',
  0x25: 'GJ/h*100',
  0x26: 'ml',
  0x27: 'ml*10',
  0x28: 'ml*100',
  0x29: 'l',
  0x2a: 'l*10',
  0x2b: 'l*100',
  0x2c: 'm3',
  0x2d: 'm3*10',
  0x2e: 'm3*100',
  0x2f: 'ml/h',
  0x30: 'ml/h*10',
  0x31: 'ml/h*100',
  0x32: 'l/h',
  0x33: 'l/h*10',
  0x34: 'l/h*100',
  0x35: 'm3/h',
  0x36: 'm3/h*10',
  0x37: 'm3/h*100',
  0x38: '°C*10^-3',
  0x39: 'units for HCA',
  0x3e: 'same as first counter',
};
/** The fixed structure's 4-bit medium is the EN 13757-3 device type 0x00–0x0F as it is. */
const MEDIUM_FROM_FIXED: readonly number[] = Array.from({ length: 16 }, (_, i) => i);
