import { IntlMessageFormat } from 'intl-messageformat';
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

/** Formats a catalogue message; the catalogue is the only source of user-facing text. */
export function t(key: MessageKey, values?: Record<string, string | number>): string {
  const own = catalogues[locale]?.[key];
  const source = own ?? messagesEn[key];
  const cacheKey = `${own ? locale : 'en'}:${key}`;
  let format = compiled.get(cacheKey);
  if (!format) {
    format = new IntlMessageFormat(source, own ? locale : 'en');
    compiled.set(cacheKey, format);
  }
  return String(format.format(values));
}
