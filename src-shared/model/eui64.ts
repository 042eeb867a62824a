import { z } from 'zod';

/**
 * EUI-64s are stored and exchanged as 16 upper-case hex digits without separators; engineers may type them
 * with dashes, colons or spaces (DUIS shows them dashed), so input is normalised first.
 */
export function normaliseEui64(input: string): string {
  return input.replace(/[\s:-]/g, '').toUpperCase();
}

export const EUI64_PATTERN = /^[0-9A-F]{16}$/;

/** Accepts any common spelling and yields the canonical form. */
export const eui64Schema = z
  .string()
  .transform(normaliseEui64)
  .refine((value) => EUI64_PATTERN.test(value), { message: 'EUI-64 must be 16 hex digits (e.g. 00124B0001ABCDEF)' });
