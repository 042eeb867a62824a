/**
 * The locales an engineer can choose for dates, times and numbers. en-GB is the default (30/11/2026 09:13);
 * cy-GB for engineers working in Welsh (the same day-first dates); en-US for engineers trained on month-first
 * dates. Records never change with it: events and reports keep UTC, and a local time shown on screen carries
 * its offset from UTC.
 */
export const ENGINEER_LOCALES = ['en-GB', 'cy-GB', 'en-US'] as const;
export type EngineerLocale = (typeof ENGINEER_LOCALES)[number];
export const DEFAULT_ENGINEER_LOCALE: EngineerLocale = 'en-GB';

export function isEngineerLocale(value: unknown): value is EngineerLocale {
  return typeof value === 'string' && (ENGINEER_LOCALES as readonly string[]).includes(value);
}
