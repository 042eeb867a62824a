/**
 * Value information (VIF/VIFE) tables of EN 13757-3, precomputed into 128-entry arrays so decoding is a lookup.
 * Values are normalised to base units (Wh, J, m3, kg, s, W, °C, K, bar, V, A) as libmbus's normalised output does.
 */

export interface VifMeaning {
  readonly quantity: string;
  readonly unit: string;
  /** Decimal exponent applied to the raw value. */
  readonly exp: number;
  /** Extra multiplier for non-decimal units (minutes, hours, days → seconds). */
  readonly factor: number;
  /** How the data field is read: plain number, date/time, or raw (identifiers keep their digits). */
  readonly kind: 'number' | 'date' | 'date-time' | 'id' | 'text';
}

const TIME_FACTORS = [1, 60, 3600, 86400];

function m(quantity: string, unit: string, exp = 0, factor = 1, kind: VifMeaning['kind'] = 'number'): VifMeaning {
  return { quantity, unit, exp, factor, kind };
}

function fill(table: VifMeaning[], from: number, count: number, make: (n: number) => VifMeaning): void {
  for (let n = 0; n < count; n++) table[from + n] = make(n);
}

function buildPrimary(): VifMeaning[] {
  const t: VifMeaning[] = Array.from({ length: 128 }, () => m('reserved', ''));
  fill(t, 0x00, 8, (n) => m('energy', 'Wh', n - 3));
  fill(t, 0x08, 8, (n) => m('energy', 'J', n));
  fill(t, 0x10, 8, (n) => m('volume', 'm3', n - 6));
  fill(t, 0x18, 8, (n) => m('mass', 'kg', n - 3));
  fill(t, 0x20, 4, (n) => m('on-time', 's', 0, TIME_FACTORS[n]));
  fill(t, 0x24, 4, (n) => m('operating-time', 's', 0, TIME_FACTORS[n]));
  fill(t, 0x28, 8, (n) => m('power', 'W', n - 3));
  fill(t, 0x30, 8, (n) => m('power', 'J/h', n));
  fill(t, 0x38, 8, (n) => m('volume-flow', 'm3/h', n - 6));
  fill(t, 0x40, 8, (n) => m('volume-flow', 'm3/min', n - 7));
  fill(t, 0x48, 8, (n) => m('volume-flow', 'm3/s', n - 9));
  fill(t, 0x50, 8, (n) => m('mass-flow', 'kg/h', n - 3));
  fill(t, 0x58, 4, (n) => m('flow-temperature', '°C', n - 3));
  fill(t, 0x5c, 4, (n) => m('return-temperature', '°C', n - 3));
  fill(t, 0x60, 4, (n) => m('temperature-difference', 'K', n - 3));
  fill(t, 0x64, 4, (n) => m('external-temperature', '°C', n - 3));
  fill(t, 0x68, 4, (n) => m('pressure', 'bar', n - 3));
  t[0x6c] = m('date', '', 0, 1, 'date');
  t[0x6d] = m('date-time', '', 0, 1, 'date-time');
  t[0x6e] = m('hca-units', '');
  fill(t, 0x70, 4, (n) => m('averaging-duration', 's', 0, TIME_FACTORS[n]));
  fill(t, 0x74, 4, (n) => m('actuality-duration', 's', 0, TIME_FACTORS[n]));
  t[0x78] = m('fabrication-number', '', 0, 1, 'id');
  t[0x79] = m('enhanced-identification', '', 0, 1, 'id');
  t[0x7a] = m('bus-address', '');
  t[0x7e] = m('any', '');
  t[0x7f] = m('manufacturer-specific', '');
  return t;
}

/** Table FD (VIF 0xFD): extension codes (EN 13757-3:2018 table 14). */
function buildFd(): VifMeaning[] {
  const t: VifMeaning[] = Array.from({ length: 128 }, () => m('reserved', ''));
  fill(t, 0x00, 4, (n) => m('credit', 'currency', n - 3));
  fill(t, 0x04, 4, (n) => m('debit', 'currency', n - 3));
  t[0x08] = m('access-number', '');
  t[0x09] = m('medium', '');
  t[0x0a] = m('manufacturer', '');
  t[0x0b] = m('parameter-set-identification', '', 0, 1, 'id');
  t[0x0c] = m('model-version', '', 0, 1, 'id');
  t[0x0d] = m('hardware-version', '', 0, 1, 'id');
  t[0x0e] = m('firmware-version', '', 0, 1, 'id');
  t[0x0f] = m('software-version', '', 0, 1, 'id');
  t[0x10] = m('customer-location', '', 0, 1, 'id');
  t[0x11] = m('customer', '', 0, 1, 'id');
  t[0x12] = m('access-code-user', '', 0, 1, 'id');
  t[0x13] = m('access-code-operator', '', 0, 1, 'id');
  t[0x14] = m('access-code-system-operator', '', 0, 1, 'id');
  t[0x15] = m('access-code-developer', '', 0, 1, 'id');
  t[0x16] = m('password', '', 0, 1, 'id');
  t[0x17] = m('error-flags', '', 0, 1, 'id');
  t[0x18] = m('error-mask', '', 0, 1, 'id');
  t[0x1a] = m('digital-output', '', 0, 1, 'id');
  t[0x1b] = m('digital-input', '', 0, 1, 'id');
  t[0x1c] = m('baud-rate', 'Bd');
  t[0x1d] = m('response-delay', 'bit-times');
  t[0x1e] = m('retry', '');
  t[0x1f] = m('remote-control', '', 0, 1, 'id');
  t[0x20] = m('first-storage-number', '');
  t[0x21] = m('last-storage-number', '');
  t[0x22] = m('storage-block-size', '');
  fill(t, 0x24, 4, (n) => m('storage-interval', 's', 0, TIME_FACTORS[n]));
  t[0x28] = m('storage-interval', 'month');
  t[0x29] = m('storage-interval', 'year');
  fill(t, 0x2c, 4, (n) => m('duration-since-last-readout', 's', 0, TIME_FACTORS[n]));
  t[0x30] = m('start-of-tariff', '', 0, 1, 'date-time');
  fill(t, 0x31, 3, (n) => m('duration-of-tariff', 's', 0, TIME_FACTORS[n + 1]));
  fill(t, 0x34, 4, (n) => m('period-of-tariff', 's', 0, TIME_FACTORS[n]));
  t[0x38] = m('period-of-tariff', 'month');
  t[0x39] = m('period-of-tariff', 'year');
  t[0x3a] = m('dimensionless', '');
  fill(t, 0x40, 16, (n) => m('voltage', 'V', n - 9));
  fill(t, 0x50, 16, (n) => m('current', 'A', n - 12));
  t[0x60] = m('reset-counter', '');
  t[0x61] = m('cumulation-counter', '');
  t[0x62] = m('control-signal', '');
  t[0x63] = m('day-of-week', '');
  t[0x64] = m('week-number', '');
  t[0x65] = m('time-point-of-day-change', '');
  t[0x66] = m('parameter-activation-state', '');
  t[0x67] = m('special-supplier-information', '', 0, 1, 'id');
  fill(t, 0x68, 4, (n) => m('duration-since-last-cumulation', 's', 0, TIME_FACTORS[n]));
  fill(t, 0x6c, 4, (n) => m('battery-operating-time', 's', 0, TIME_FACTORS[n]));
  t[0x70] = m('battery-change-date-time', '', 0, 1, 'date-time');
  t[0x71] = m('rf-level', 'dBm');
  t[0x72] = m('daylight-saving', '', 0, 1, 'id');
  t[0x73] = m('listening-window', '', 0, 1, 'id');
  t[0x74] = m('remaining-battery-life', 's', 0, 86400);
  t[0x75] = m('meter-stop-count', '');
  t[0x76] = m('data-container', '', 0, 1, 'id');
  return t;
}

/** Table FB (VIF 0xFB): large-unit and non-metric extensions (EN 13757-3:2018 table 12). */
function buildFb(): VifMeaning[] {
  const t: VifMeaning[] = Array.from({ length: 128 }, () => m('reserved', ''));
  fill(t, 0x00, 2, (n) => m('energy', 'Wh', n + 5));
  fill(t, 0x08, 2, (n) => m('energy', 'J', n + 8));
  fill(t, 0x10, 2, (n) => m('volume', 'm3', n + 2));
  fill(t, 0x18, 2, (n) => m('mass', 'kg', n + 5));
  fill(t, 0x1a, 2, (n) => m('relative-humidity', '%', n - 1));
  t[0x21] = m('volume', 'ft3', -1);
  t[0x22] = m('volume', 'gal', -1);
  t[0x23] = m('volume', 'gal');
  t[0x24] = m('volume-flow', 'gal/min', -3);
  t[0x25] = m('volume-flow', 'gal/min');
  t[0x26] = m('volume-flow', 'gal/h');
  fill(t, 0x28, 2, (n) => m('power', 'W', n + 5));
  t[0x2a] = m('phase-u-u', '°', -1);
  t[0x2b] = m('phase-u-i', '°', -1);
  fill(t, 0x2c, 4, (n) => m('frequency', 'Hz', n - 3));
  fill(t, 0x30, 2, (n) => m('power', 'J/h', n + 8));
  fill(t, 0x34, 4, (n) => m('apparent-power', 'VA', n - 3));
  fill(t, 0x58, 4, (n) => m('flow-temperature', '°F', n - 3));
  fill(t, 0x5c, 4, (n) => m('return-temperature', '°F', n - 3));
  fill(t, 0x60, 4, (n) => m('temperature-difference', '°F', n - 3));
  fill(t, 0x64, 4, (n) => m('external-temperature', '°F', n - 3));
  fill(t, 0x70, 4, (n) => m('cold-warm-temperature-limit', '°F', n - 3));
  fill(t, 0x74, 4, (n) => m('cold-warm-temperature-limit', '°C', n - 3));
  fill(t, 0x78, 8, (n) => m('cumulative-max-power', 'W', n - 3));
  return t;
}

export const PRIMARY_VIF: readonly VifMeaning[] = buildPrimary();
export const FD_VIF: readonly VifMeaning[] = buildFd();
export const FB_VIF: readonly VifMeaning[] = buildFb();

/** Combinable (orthogonal) VIFE names, EN 13757-3 table 15; undefined entries are reserved. */
export const COMBINABLE_VIFE: readonly (string | undefined)[] = (() => {
  const t: (string | undefined)[] = new Array(128).fill(undefined);
  for (let n = 0; n < 16; n++) t[n] = 'error-code';
  const per = [
    'per-second',
    'per-minute',
    'per-hour',
    'per-day',
    'per-week',
    'per-month',
    'per-year',
    'per-revolution',
    'increment-per-input-pulse-0',
    'increment-per-input-pulse-1',
    'increment-per-output-pulse-0',
    'increment-per-output-pulse-1',
    'per-litre',
    'per-m3',
    'per-kg',
    'per-kelvin',
    'per-kwh',
    'per-gj',
    'per-kw',
    'per-kelvin-litre',
    'per-volt',
    'per-ampere',
    'multiplied-by-s',
    'multiplied-by-s-per-v',
    'multiplied-by-s-per-a',
    'start-date-time-of',
    'uncorrected',
    'accumulation-if-positive',
    'accumulation-if-negative',
    'non-metric',
    'at-base-conditions',
    'obis-declaration',
  ];
  per.forEach((name, i) => (t[0x20 + i] = name));
  // EN 13757-3:2013 additions: statistics and the compact profiles (a series of values in one LVAR record).
  t[0x12] = 'average';
  t[0x13] = 'inverse-compact-profile';
  t[0x14] = 'relative-deviation';
  t[0x1d] = 'standard-conform-data-content';
  t[0x1e] = 'compact-profile-with-register-numbers';
  t[0x1f] = 'compact-profile';
  t[0x40] = 'lower-limit';
  t[0x48] = 'upper-limit';
  t[0x41] = 'exceeds-lower-limit-count';
  t[0x49] = 'exceeds-upper-limit-count';
  for (let n = 0x42; n <= 0x47; n++) if (n !== 0x48) t[n] = 'limit-exceed-date';
  for (let n = 0x4a; n <= 0x4f; n++) t[n] = 'limit-exceed-date';
  for (let n = 0x50; n <= 0x5f; n++) t[n] = 'limit-exceed-duration';
  for (let n = 0x60; n <= 0x6f; n++) t[n] = 'limit-exceed-duration';
  for (let n = 0x70; n <= 0x77; n++) t[n] = 'correction-factor';
  for (let n = 0x78; n <= 0x7b; n++) t[n] = 'additive-correction';
  t[0x7c] = 'extension';
  t[0x7d] = 'correction-factor-1000';
  t[0x7e] = 'future-value';
  t[0x7f] = 'manufacturer-vife';
  return t;
})();
