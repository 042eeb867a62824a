import type { RecordsResult } from './data-records';
import type { DataRecord } from './telegram';

/**
 * Mode 5 (and the ELL's 16-bit payload CRC) cannot prove a key right: a wrong key gives plaintext starting 2F2F
 * once in 65,536 tries, and random bytes often parse as records (issue 15 item 11: 5 wrong keys in 2,000,000
 * produced values such as a return temperature of 756,303,713 °C). So values from an unauthenticated decryption
 * are shown only when the records are what a meter writes; otherwise the bytes are shown undecoded, never as
 * values. The limits sit well outside what the 427 wmbusmeters and 76 libmbus telegrams carry (storage ≤ 510,
 * at most one combinable VIFE besides a time marker, tariff ≤ 10, temperatures up to 9999.99 as "no value"):
 * - at least two standard records, the first an instantaneous value of storage 0 (how every decrypted corpus
 *   telegram starts: meters lead with their current register);
 * - every record complete, nothing after the records but 2F fillers or manufacturer data;
 * - every VIF and VIFE defined, at most 2 combinable VIFEs and none repeated; storage ≤ 1023, tariff ≤ 15;
 * - BCD digits decimal, dates valid or explicitly "not set", text printable;
 * - a date VIF holds a date, a date-time VIF a date-time;
 * - physics: durations from 0 to 10^10 s, temperatures from −273.15 to 10,000 °C, pressures within ±10,000 bar,
 *   identifiers not negative, no register beyond 10^15 or below 10^-9 (other than 0).
 */
export function plausibleRecords(r: RecordsResult): boolean {
  if (r.error || r.records.length === 0) return false;
  const first = r.records[0]!;
  if (first.function !== 'instantaneous' || first.storage !== 0) return false;
  let standard = 0;
  for (const record of r.records) {
    if (record.function === 'manufacturer' || record.function === 'more-records-follow') continue;
    if (!plausibleRecord(record)) return false;
    standard++;
  }
  return standard >= MIN_STANDARD_RECORDS;
}

/** Every encrypted corpus telegram carries at least 3; random bytes that parse are mostly one or two records. */
const MIN_STANDARD_RECORDS = 2;

const MAX_STORAGE = 1023;
const MAX_TARIFF = 15;
const MAX_MODIFIERS = 2;

function plausibleRecord(record: DataRecord): boolean {
  if (record.quantity === 'reserved' || record.storage > MAX_STORAGE || record.tariff > MAX_TARIFF) return false;
  let combinable = 0;
  let profile = false;
  const modifiers = record.modifiers ?? [];
  for (const [i, m] of modifiers.entries()) {
    if (m.startsWith('vife-') || m === 'time-out-of-range' || modifiers.indexOf(m) !== i) return false;
    if (m.includes('compact-profile')) profile = true;
    if (m !== 'time-invalid') combinable++;
  }
  if (combinable > MAX_MODIFIERS) return false;
  if (record.valueType === 'hex' && !profile) return false;
  if (record.valueType === 'text' && typeof record.value === 'string' && !/^[\x20-\x7e]*$/.test(record.value)) return false;
  // A date VIF carries a type G date, a date-time VIF a type F or I; anything else is not a meter's record.
  if (record.quantity === 'date' && record.valueType !== 'date' && record.valueType !== 'none') return false;
  if (record.quantity === 'date-time' && record.valueType !== 'date-time' && record.valueType !== 'none') return false;
  const v = record.value;
  if (typeof v !== 'number' || record.valueType !== 'number') return true;
  return plausibleNumber(record.quantity, v);
}

/** Identifiers are counts of nothing: never negative, any size. */
const IDENTIFIERS = new Set(['fabrication-number', 'enhanced-identification', 'bus-address', 'model-version', 'customer-location', 'customer']);
/** 317 years in seconds: no meter has run or averaged longer. */
const MAX_DURATION_S = 1e10;
/** Beyond 12 BCD digits at the largest decimal scale a register can carry. */
const MAX_MAGNITUDE = 1e15;
/** Below the smallest decimal scale (10^-9) only a 32-bit real read from random bytes lands. */
const MIN_MAGNITUDE = 1e-9;

function plausibleNumber(quantity: string, v: number): boolean {
  if (!Number.isFinite(v)) return false;
  const range = rangeOf(quantity);
  if (range === 'identifier') return v >= 0;
  if (Math.abs(v) > MAX_MAGNITUDE || (v !== 0 && Math.abs(v) < MIN_MAGNITUDE)) return false;
  if (range === 'duration') return v >= 0 && v <= MAX_DURATION_S;
  if (range === 'temperature') return v >= -273.15 && v <= 10_000;
  if (range === 'difference-or-pressure') return Math.abs(v) <= 10_000;
  return true;
}

type Range = 'identifier' | 'duration' | 'temperature' | 'difference-or-pressure' | 'any';

/** Quantities come from the VIF tables (a few dozen names): each is classified once, not per record. */
const RANGES = new Map<string, Range>();

function rangeOf(quantity: string): Range {
  let range = RANGES.get(quantity);
  if (range === undefined) {
    if (IDENTIFIERS.has(quantity)) range = 'identifier';
    else if (quantity.endsWith('-time') || quantity.endsWith('-duration')) range = 'duration';
    else if (quantity.endsWith('temperature')) range = 'temperature';
    else if (quantity === 'temperature-difference' || quantity === 'pressure') range = 'difference-or-pressure';
    else range = 'any';
    // Bounded: plain-text units are not quantities; only table names reach here, but never let it grow unseen.
    if (RANGES.size < 512) RANGES.set(quantity, range);
  }
  return range;
}
