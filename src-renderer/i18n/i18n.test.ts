import { afterEach, describe, expect, it } from 'vitest';
import { IntlMessageFormat } from 'intl-messageformat';
import { setFormatLocale } from './format';
import { setLocale, t } from './i18n';
import { messagesEn } from './messages-en';
import { messagesCy } from './messages-cy';

describe('message catalogue', () => {
  afterEach(() => {
    setLocale('en');
    setFormatLocale(undefined);
  });

  it('parses every English and Welsh message as ICU', () => {
    for (const [key, source] of [...Object.entries(messagesEn), ...Object.entries(messagesCy)]) {
      expect(() => new IntlMessageFormat(source as string, 'en'), key).not.toThrow();
    }
  });

  it('formats the numbers inside messages in the engineer’s locale, with the message language’s plural rules', () => {
    expect(t('jobs.detail.chainOk', { count: 12345 })).toBe('Record intact: 12,345 events, hash chain verified');
    // A region whose numbers differ shows that the message follows the chosen locale, not a fixed "en".
    setFormatLocale('de-DE');
    expect(t('jobs.detail.chainOk', { count: 12345 })).toBe('Record intact: 12.345 events, hash chain verified');
    // Welsh dates, English words: the English ordinal rules still apply (4th, not the Welsh "few" category's 4rd).
    setFormatLocale('cy-GB');
    expect(t('error.item', { position: 4, message: 'x' })).toBe('4th device: x');
    expect(t('error.item', { position: 2, message: 'x' })).toBe('2nd device: x');
  });

  it('formats plurals and falls back to English for untranslated Welsh keys', () => {
    expect(t('dongles.count', { count: 1 })).toBe('1 dongle');
    setLocale('cy');
    expect(t('dongles.count', { count: 2 })).toBe('2 ddongl');
    expect(t('jobs.new')).toBe('New job');
  });
});
