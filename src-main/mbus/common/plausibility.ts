import type { RecordsResult } from './data-records';

/**
 * Mode 5 (and the ELL's 16-bit payload CRC) cannot prove a key right: a wrong key gives plaintext starting 2F2F
 * once in 65,536 tries, and random bytes often parse as records (issue 15 item 11: 5 wrong keys in 2,000,000
 * produced values such as a return temperature of 756,303,713 °C). So values from an unauthenticated decryption
 * are shown only when the records are what a meter writes: every record complete, every VIF and VIFE defined,
 * BCD digits decimal, dates valid or explicitly "not set", text printable, nothing after the records but 2F
 * fillers. Otherwise the bytes are shown as not decoded — never as values.
 */
export function plausibleRecords(r: RecordsResult): boolean {
  if (r.error || r.records.length === 0) return false;
  for (const record of r.records) {
    if (record.function === 'manufacturer' || record.function === 'more-records-follow') continue;
    if (record.quantity === 'reserved') return false;
    if (record.modifiers) {
      for (const m of record.modifiers) if (m.startsWith('vife-')) return false;
    }
    if (record.valueType === 'hex' && !record.modifiers?.some((m) => m.includes('compact-profile'))) return false;
    if (record.valueType === 'text' && typeof record.value === 'string' && !/^[\x20-\x7e]*$/.test(record.value)) return false;
    if (record.modifiers?.includes('time-out-of-range')) return false;
    if (typeof record.value === 'number' && !Number.isFinite(record.value)) return false;
  }
  return true;
}
