/**
 * MPAN (Meter Point Administration Number) validation for GB electricity supplies.
 *
 * The 13-digit core is: distributor id (2 digits) + unique id (10 digits) + check digit. The check digit is the
 * published mod-11 algorithm: multiply the first 12 digits by the primes 3 5 7 13 17 19 23 29 31 37 41 43, sum,
 * then (sum mod 11) mod 10. The 21-digit "full" MPAN printed on bills adds a top line in front of the core:
 * profile class (2 digits), meter timeswitch code (3 digits) and line loss factor class (3 characters).
 */

const WEIGHTS = [3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43] as const;

/**
 * Distributor ids that are public and well established: the 14 GB DNO areas (10–23) and the early IDNOs.
 * Ids not in this table are a warning, not an error, because Elexon keeps assigning new IDNO ids.
 */
export const GB_DISTRIBUTORS: Readonly<Record<string, string>> = {
  '10': 'Eastern England (UK Power Networks)',
  '11': 'East Midlands (National Grid Electricity Distribution)',
  '12': 'London (UK Power Networks)',
  '13': 'Merseyside and North Wales (SP Energy Networks, Manweb)',
  '14': 'West Midlands (National Grid Electricity Distribution)',
  '15': 'North East England (Northern Powergrid)',
  '16': 'North West England (Electricity North West)',
  '17': 'North of Scotland (SSEN Distribution)',
  '18': 'Central and Southern Scotland (SP Energy Networks)',
  '19': 'South East England (UK Power Networks)',
  '20': 'Southern England (SSEN Distribution)',
  '21': 'South Wales (National Grid Electricity Distribution)',
  '22': 'South West England (National Grid Electricity Distribution)',
  '23': 'Yorkshire (Northern Powergrid)',
  '24': 'Independent Power Networks (IDNO)',
  '25': 'ESP Electricity (IDNO)',
  '26': 'Energetics Electricity (IDNO)',
  '27': 'The Electricity Network Company (IDNO)',
  '29': 'Harlaxton Energy Networks (IDNO)',
};

export interface MpanParts {
  /** The 13-digit core. */
  readonly core: string;
  readonly checkDigit: number;
  /** First two digits of the core. */
  readonly distributorId: string;
  /** Name from GB_DISTRIBUTORS, when known. */
  readonly distributorName?: string;
  /** Only for the 21-character full form. */
  readonly profileClass?: string;
  readonly meterTimeswitchCode?: string;
  readonly lineLossFactorClass?: string;
  readonly warnings: readonly string[];
}

export type MpanResult = { readonly ok: true; readonly value: MpanParts } | { readonly ok: false; readonly error: string };

/** Check digit of a 12-digit core body. Throws on input that is not 12 digits (a programming error). */
export function mpanCheckDigit(body12: string): number {
  if (!/^\d{12}$/.test(body12)) throw new RangeError('mpanCheckDigit needs exactly 12 digits');
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(body12[i]) * WEIGHTS[i]!;
  return (sum % 11) % 10;
}

/** Removes the spaces bills print between the MPAN's boxes. */
export function normaliseMpan(input: string): string {
  return input.replace(/\s+/g, '');
}

function describeBadCharacters(text: string, allowed: RegExp): string | undefined {
  const bad = [...text].find((c) => !allowed.test(c));
  return bad === undefined ? undefined : JSON.stringify(bad);
}

function parseCore(core: string): MpanResult {
  const bad = describeBadCharacters(core, /\d/);
  if (bad) return { ok: false, error: `MPAN core must be digits only (found ${bad})` };
  const expected = mpanCheckDigit(core.slice(0, 12));
  const actual = Number(core[12]);
  if (expected !== actual) {
    // Never name the digit that would pass: it gives a valid MPAN for a different supply.
    return {
      ok: false,
      error: `${core} is not a valid MPAN: its check digit does not match. Re-read the MPAN from the meter or the customer's bill.`,
    };
  }
  const distributorId = core.slice(0, 2);
  const distributorName = GB_DISTRIBUTORS[distributorId];
  const warnings = distributorName
    ? []
    : [`distributor id ${distributorId} is not a GB distributor this tool knows (10–23 are the DNOs; IDNO ids are assigned by Elexon)`];
  return {
    ok: true,
    value: { core, checkDigit: expected, distributorId, ...(distributorName ? { distributorName } : {}), warnings },
  };
}

/**
 * Validates a 13-digit MPAN core or a 21-character full MPAN (spaces are ignored). Errors say what is wrong;
 * a failed check says to re-read the number and never offers the digit that would make it pass.
 */
export function parseMpan(input: string): MpanResult {
  const text = normaliseMpan(input);
  if (text.length === 0) return { ok: false, error: 'MPAN is empty (expected 13 or 21 digits)' };
  if (text.length === 13) return parseCore(text);
  if (text.length === 21) {
    const top = text.slice(0, 8);
    const core = text.slice(8);
    const profileClass = top.slice(0, 2);
    const meterTimeswitchCode = top.slice(2, 5);
    const lineLossFactorClass = top.slice(5, 8);
    const badPc = describeBadCharacters(profileClass, /\d/);
    if (badPc) return { ok: false, error: `MPAN profile class (digits 1–2) must be digits (found ${badPc})` };
    const badMtc = describeBadCharacters(meterTimeswitchCode, /\d/);
    if (badMtc) return { ok: false, error: `MPAN meter timeswitch code (digits 3–5) must be digits (found ${badMtc})` };
    // LLFCs are normally digits, but some distributors publish alphanumeric ones.
    const badLlfc = describeBadCharacters(lineLossFactorClass, /[0-9A-Z]/);
    if (badLlfc) {
      return { ok: false, error: `MPAN line loss factor class (characters 6–8) must be digits or capital letters (found ${badLlfc})` };
    }
    const parsed = parseCore(core);
    if (!parsed.ok) return parsed;
    const warnings = [...parsed.value.warnings];
    if (Number(profileClass) > 8) warnings.push(`profile class ${profileClass} is outside the published range 00–08`);
    return { ok: true, value: { ...parsed.value, profileClass, meterTimeswitchCode, lineLossFactorClass, warnings } };
  }
  const bad = describeBadCharacters(text, /\d/);
  const detail = bad ? `, and contains ${bad}` : '';
  return { ok: false, error: `MPAN must be 13 digits (core) or 21 (full MPAN); got ${text.length}${detail}` };
}
