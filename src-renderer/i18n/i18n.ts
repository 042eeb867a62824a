import { IntlMessageFormat } from 'intl-messageformat';
import { getFormatLocale } from './format';
import { messagesCy } from './messages-cy';
import { messagesEn, type MessageKey } from './messages-en';

const catalogues: Record<string, Partial<Record<MessageKey, string>>> = { en: messagesEn, cy: messagesCy };
const compiled = new Map<string, IntlMessageFormat>();
let locale = 'en';

export function setLocale(next: string): void {
  locale = next in catalogues ? next : 'en';
}

export function currentLocale(): string {
  return locale;
}

/**
 * The locale a message is formatted in: the message's own language (its plural and ordinal rules) with the region of
 * the engineer's chosen locale (its numbers), so "1,234 events" follows the engineer, never the browser.
 */
function messageLocale(language: string): string {
  const region = getFormatLocale().split('-')[1];
  return region ? `${language}-${region}` : language;
}

/** Formats a catalogue message; the catalogue is the only source of user-facing text. */
export function t(key: MessageKey, values?: Record<string, string | number>): string {
  const own = catalogues[locale]?.[key];
  const source = own ?? messagesEn[key];
  const messageIn = messageLocale(own ? locale : 'en');
  const cacheKey = `${messageIn}:${key}`;
  let format = compiled.get(cacheKey);
  if (!format) {
    format = new IntlMessageFormat(source, messageIn);
    compiled.set(cacheKey, format);
  }
  return String(format.format(values));
}
