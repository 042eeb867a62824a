/**
 * MPRN (Meter Point Reference Number) validation for GB gas supplies: digits only, 6 to 10 digits long
 * (DUIS carries it as MPxN; the domain notes give at most 10 digits). No check digit is verified here because
 * no published algorithm applies to every MPRN.
 */

export const MPRN_MIN_DIGITS = 6;
export const MPRN_MAX_DIGITS = 10;

export type MprnResult = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly error: string };

/** Validates an MPRN; spaces are ignored. */
export function parseMprn(input: string): MprnResult {
  const text = input.replace(/\s+/g, '');
  if (text.length === 0) return { ok: false, error: `MPRN is empty (expected ${MPRN_MIN_DIGITS} to ${MPRN_MAX_DIGITS} digits)` };
  const bad = [...text].find((c) => !/\d/.test(c));
  if (bad !== undefined) return { ok: false, error: `MPRN must be digits only (found ${JSON.stringify(bad)})` };
  if (text.length < MPRN_MIN_DIGITS || text.length > MPRN_MAX_DIGITS) {
    return { ok: false, error: `MPRN must be ${MPRN_MIN_DIGITS} to ${MPRN_MAX_DIGITS} digits; got ${text.length}` };
  }
  return { ok: true, value: text };
}
