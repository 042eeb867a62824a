import { afterEach, describe, expect, it } from 'vitest';
import { IntlMessageFormat } from 'intl-messageformat';
import { setLocale, t } from './i18n';
import { messagesEn } from './messages-en';
import { messagesCy } from './messages-cy';

describe('message catalogue', () => {
  afterEach(() => setLocale('en'));

  it('parses every English and Welsh message as ICU', () => {
    for (const [key, source] of [...Object.entries(messagesEn), ...Object.entries(messagesCy)]) {
      expect(() => new IntlMessageFormat(source as string, 'en'), key).not.toThrow();
    }
  });

  it('formats plurals and falls back to English for untranslated Welsh keys', () => {
    expect(t('dongles.count', { count: 1 })).toBe('1 dongle');
    setLocale('cy');
    expect(t('dongles.count', { count: 2 })).toBe('2 ddongl');
    expect(t('jobs.new')).toBe('New job');
  });
});
