import type { MessageKey } from './messages-en';

/**
 * Welsh (Cymraeg). Partial: untranslated keys fall back to English. ICU plural rules for cy have six categories
 * (zero, one, two, few, many, other), which intl-messageformat handles.
 */
export const messagesCy: Partial<Record<MessageKey, string>> = {
  'nav.jobs': 'Swyddi',
  'nav.settings': 'Gosodiadau',
  'dongles.count': '{count, plural, zero {Dim donglau} one {# dongl} two {# ddongl} few {# dongl} many {# dongl} other {# dongl}}',
};
