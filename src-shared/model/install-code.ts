import { installCodeCrcHex } from './install-code-crc';

/**
 * Install-code parsing for the device log. Accepted forms:
 * - bare hex (spaces ignored): 6/8/12/16-byte code with or without its 2-byte CRC;
 * - `<code>-<crc>` (dash-grouped hex whose last group is the 4-digit CRC);
 * - labels `Z:<EUI64>$I:<code>[$...]` and `<EUI64>|<code>`.
 * Bare hex is ambiguous (16 digits = 6-byte code + CRC or 8-byte code alone), so: if the last two bytes are the
 * CRC of the 6/8/12/16 bytes before them it is a code with its CRC; otherwise if the whole is 6/8/12/16 bytes it is
 * a code without CRC (we compute it); otherwise it is an error naming the expected CRC where one can be computed.
 * A CRC written separately is always checked, and a wrong CRC is never silently repaired.
 */

export const INSTALL_CODE_LENGTHS: readonly number[] = [6, 8, 12, 16];

export interface ParsedInstallCode {
  /** EUI-64 from a label, 16 upper-case hex digits; null for a bare code. */
  readonly ieee: string | null;
  /** The code without its CRC, upper-case hex. */
  readonly installCode: string;
  /** The two CRC bytes as appended to the code (e.g. "C3B5"). */
  readonly crc: string;
  /** True when the input carried the CRC (and it was checked); false when we computed it. */
  readonly crcSupplied: boolean;
}

export type InstallCodeErrorCode = 'EMPTY' | 'NOT_HEX' | 'BAD_LENGTH' | 'BAD_CRC' | 'BAD_EUI64';

export interface InstallCodeError {
  readonly code: InstallCodeErrorCode;
  readonly message: string;
  /** The CRC the code needs, when one can be computed. */
  readonly expectedCrc?: string;
}

export type InstallCodeResult = { readonly ok: true; readonly value: ParsedInstallCode } | { readonly ok: false; readonly error: InstallCodeError };

const HEX = /^[0-9A-F]*$/;
const EUI64 = /^[0-9A-F]{16}$/;

function bytesOf(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (b) => parseInt(b, 16));
}

function crcOf(hex: string): string {
  return installCodeCrcHex(bytesOf(hex));
}

function failure(code: InstallCodeErrorCode, message: string, expectedCrc?: string): InstallCodeResult {
  return { ok: false, error: expectedCrc ? { code, message, expectedCrc } : { code, message } };
}

function success(ieee: string | null, installCode: string, crc: string, crcSupplied: boolean): InstallCodeResult {
  return { ok: true, value: { ieee, installCode, crc, crcSupplied } };
}

/** A CRC that does not match means a misread code or CRC: the computed CRC is a diagnostic (`expectedCrc`), never the fix. */
const MISREAD = 'The install code was misread: its CRC (the last 4 digits) does not match the code. Re-scan the label or type the code again from the device.';

function wrongCrc(code: string): InstallCodeResult {
  return failure('BAD_CRC', MISREAD, crcOf(code));
}

function lengthMessage(bytes: number): string {
  return `An install code is 6, 8, 12 or 16 bytes (optionally followed by its 2-byte CRC); got ${bytes} byte${bytes === 1 ? '' : 's'}.`;
}

/** A code and a CRC written separately: both must be well formed and the CRC must match. */
function parseSeparateCrc(ieee: string | null, code: string, crc: string): InstallCodeResult {
  if (!HEX.test(code) || !HEX.test(crc) || code.length % 2 !== 0) return failure('NOT_HEX', 'An install code is written in hexadecimal digits (0-9, A-F).');
  if (!INSTALL_CODE_LENGTHS.includes(code.length / 2)) return failure('BAD_LENGTH', lengthMessage(code.length / 2));
  if (crc.length !== 4) return failure('BAD_CRC', MISREAD, crcOf(code));
  return crc === crcOf(code) ? success(ieee, code, crc, true) : wrongCrc(code);
}

/** Bare hex per the parsing rule in the header comment. */
function parseBareHex(ieee: string | null, hex: string): InstallCodeResult {
  if (hex.length === 0) return failure('EMPTY', 'Enter an install code.');
  if (!HEX.test(hex) || hex.length % 2 !== 0) return failure('NOT_HEX', 'An install code is written in hexadecimal digits (0-9, A-F), two per byte.');
  const bytes = hex.length / 2;
  const body = hex.slice(0, -4);
  const tail = hex.slice(-4);
  const bodyLengthOk = INSTALL_CODE_LENGTHS.includes(bytes - 2);
  if (bodyLengthOk && crcOf(body) === tail) return success(ieee, body, tail, true);
  if (INSTALL_CODE_LENGTHS.includes(bytes)) return success(ieee, hex, crcOf(hex), false);
  if (bodyLengthOk) return wrongCrc(body);
  return failure('BAD_LENGTH', lengthMessage(bytes));
}

function parseLabelCode(ieee: string, code: string): InstallCodeResult {
  if (!EUI64.test(ieee)) return failure('BAD_EUI64', `The EUI-64 on the label must be 16 hexadecimal digits; got "${ieee}".`);
  return parseCodePart(ieee, code);
}

function parseCodePart(ieee: string | null, text: string): InstallCodeResult {
  const compact = text.replace(/\s+/g, '');
  const groups = compact.split('-');
  if (groups.length > 1) {
    const crc = groups[groups.length - 1]!;
    const code = groups.slice(0, -1).join('');
    // "83FE-D340-…-C3B5": the last group is the CRC when the rest is a whole code; otherwise dashes only group digits.
    if (crc.length === 4 && INSTALL_CODE_LENGTHS.includes(code.length / 2)) {
      const separate = parseSeparateCrc(ieee, code, crc);
      // "1122-3344-5566-7788" is an 8-byte code in groups, as "1122334455667788" is: when the last group is not
      // the CRC of the rest, the digits are read exactly as they would be without the dashes.
      const whole = code + crc;
      if (!separate.ok && separate.error.code === 'BAD_CRC' && INSTALL_CODE_LENGTHS.includes(whole.length / 2)) return parseBareHex(ieee, whole);
      return separate;
    }
    if (groups.length === 2 && crc.length === 4) return parseSeparateCrc(ieee, code, crc);
    return parseBareHex(ieee, groups.join(''));
  }
  return parseBareHex(ieee, compact);
}

/** Parses and validates an install code or label as typed or scanned (case-insensitive, surrounding spaces ignored). */
export function parseInstallCode(input: string): InstallCodeResult {
  const text = input.trim().toUpperCase();
  if (text.length === 0) return failure('EMPTY', 'Enter an install code.');
  const zLabel = /^Z:([^$]*)\$I:([^$]*)(\$.*)?$/.exec(text);
  if (zLabel) return parseLabelCode(zLabel[1]!.trim(), zLabel[2]!);
  const pipe = /^([^|]*)\|([^|]*)$/.exec(text);
  if (pipe) return parseLabelCode(pipe[1]!.trim(), pipe[2]!);
  return parseCodePart(null, text);
}
