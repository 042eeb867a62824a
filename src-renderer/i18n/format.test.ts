import { afterEach, describe, expect, it } from 'vitest';
import { formatDateTime, formatNumber, formatTime, setFormatLocale, utcOffset } from './format';

describe('locale formatting', () => {
  afterEach(() => setFormatLocale(undefined));
  const at = new Date(2026, 10, 30, 9, 13, 5); // local time

  it('formats en-GB by default as 30/11/2026 09:13, whatever the browser default is', () => {
    expect(formatDateTime(at)).toBe('30/11/2026 09:13');
    expect(formatTime(at, { seconds: true })).toBe('09:13:05');
    expect(formatNumber(12345.678, { maximumFractionDigits: 3 })).toBe('12,345.678');
  });

  it('shows the offset from UTC where a time is local', () => {
    expect(formatDateTime(at, { offset: true })).toBe(`30/11/2026 09:13 ${utcOffset(at)}`);
    expect(utcOffset(at)).toMatch(/^UTC[+-]\d{2}:\d{2}$/);
  });

  it('follows another chosen locale', () => {
    setFormatLocale('en-US');
    expect(formatDateTime(at)).toBe('11/30/2026 09:13');
    setFormatLocale('de-DE');
    expect(formatNumber(12345.5)).toBe('12.345,5');
  });
});
