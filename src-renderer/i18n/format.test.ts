import { afterEach, describe, expect, it } from 'vitest';
import { ENGINEER_LOCALES } from '../../src-shared/model/engineer-locale';
import { exampleDateTime, formatDateTime, formatNumber, formatTime, getFormatLocale, setFormatLocale, utcOffset } from './format';

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

  it('writes each locale the engineer can choose as that locale does, whatever the browser default is', () => {
    const written = Object.fromEntries(ENGINEER_LOCALES.map((locale) => [locale, exampleDateTime(locale)]));
    expect(written).toEqual({ 'en-GB': '30/11/2026 09:13', 'cy-GB': '30/11/2026 09:13', 'en-US': '11/30/2026 09:13' });
    // Showing an example never changes the chosen locale.
    expect(getFormatLocale()).toBe('en-GB');
    setFormatLocale('en-US');
    expect(formatDateTime(at, { offset: true })).toBe(`11/30/2026 09:13 ${utcOffset(at)}`);
    expect(formatTime(at, { seconds: true })).toBe('09:13:05');
  });

  it('falls back to en-GB for a language without a region or something that is not a locale', () => {
    for (const value of [undefined, 'en', 'fr', 'not a locale']) {
      setFormatLocale(value);
      expect(getFormatLocale()).toBe('en-GB');
    }
  });

  it('follows another chosen locale', () => {
    setFormatLocale('en-US');
    expect(formatDateTime(at)).toBe('11/30/2026 09:13');
    setFormatLocale('de-DE');
    expect(formatNumber(12345.5)).toBe('12.345,5');
  });
});
