import { DEFAULT_ENGINEER_LOCALE } from '../../src-shared/model/engineer-locale';

/**
 * Dates, times and numbers in the engineer's locale (en-GB unless chosen otherwise), never the browser's default.
 * Records stay in UTC; where a time is shown in local time its offset from UTC is shown with it.
 */
let formatLocale: string = DEFAULT_ENGINEER_LOCALE;

/** Sets the locale every formatter (and the ICU messages' numbers) uses; a language without a region gets en-GB. */
export function setFormatLocale(locale: string | undefined): void {
  formatLocale = locale && /^[a-z]{2,3}-[A-Z]{2}$/.test(locale) ? locale : DEFAULT_ENGINEER_LOCALE;
}

export function getFormatLocale(): string {
  return formatLocale;
}

function parts(date: Date, options: Intl.DateTimeFormatOptions): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of new Intl.DateTimeFormat(formatLocale, options).formatToParts(date)) out[part.type] = part.value;
  return out;
}

/** "UTC+01:00" for a date's local offset. */
export function utcOffset(date: Date): string {
  const minutes = -date.getTimezoneOffset();
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** "30/11/2026 09:13" (en-GB): the locale's date and 24-hour time, no comma. */
export function formatDateTime(value: string | number | Date, options: { seconds?: boolean; offset?: boolean } = {}): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  const date_ = new Intl.DateTimeFormat(formatLocale, { day: '2-digit', month: '2-digit', year: 'numeric' }).format(date);
  const time = formatTime(date, options);
  return `${date_} ${time}`;
}

/** "09:13" or "09:13:05"; with `offset`, "09:13 UTC+00:00". */
export function formatTime(value: string | number | Date, options: { seconds?: boolean; offset?: boolean } = {}): string {
  const date = new Date(value);
  const p = parts(date, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', ...(options.seconds ? { second: '2-digit' } : {}) });
  const time = options.seconds ? `${p.hour}:${p.minute}:${p.second}` : `${p.hour}:${p.minute}`;
  return options.offset ? `${time} ${utcOffset(date)}` : time;
}

export function formatNumber(value: number, options: Intl.NumberFormatOptions = {}): string {
  return new Intl.NumberFormat(formatLocale, options).format(value);
}

/** How a locale writes a date and time, for the locale picker: `formatDateTime` of 30/11/2026 09:13 in that locale. */
export function exampleDateTime(locale: string): string {
  const chosen = formatLocale;
  formatLocale = locale;
  try {
    return formatDateTime(new Date(2026, 10, 30, 9, 13));
  } finally {
    formatLocale = chosen;
  }
}
