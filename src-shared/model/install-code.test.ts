import { describe, expect, it } from 'vitest';
import { parseInstallCode } from './install-code';

const CODE16 = '83FED3407A939723A5C639B26916D505';

function ok(input: string) {
  const result = parseInstallCode(input);
  if (!result.ok) throw new Error(`expected ok for ${input}: ${result.error.message}`);
  return result.value;
}
function err(input: string) {
  const result = parseInstallCode(input);
  if (result.ok) throw new Error(`expected an error for ${input}`);
  return result.error;
}

describe('parseInstallCode', () => {
  it('accepts a 16-byte code with its CRC and reports the CRC as supplied', () => {
    expect(ok(CODE16 + 'C3B5')).toEqual({ ieee: null, installCode: CODE16, crc: 'C3B5', crcSupplied: true });
  });
  it('computes the CRC of a bare 16-byte code without one', () => {
    expect(ok(CODE16.toLowerCase())).toEqual({ ieee: null, installCode: CODE16, crc: 'C3B5', crcSupplied: false });
  });
  it.each([
    ['83FED3407A939723A5C639FF', '4C12'],
    ['83FED3407A939723', '97FC'],
    ['83FED3407A93', '2B70'],
  ])('accepts the published %s vector with CRC %s', (code, crc) => {
    expect(ok(code + crc)).toMatchObject({ installCode: code, crc, crcSupplied: true });
    expect(ok(code)).toMatchObject({ installCode: code, crc, crcSupplied: false });
  });
  it('reads 16 hex digits as a 6-byte code plus CRC when the last two bytes are its CRC', () => {
    expect(ok('83FED3407A932B70')).toMatchObject({ installCode: '83FED3407A93', crc: '2B70', crcSupplied: true });
  });
  it('reads 16 hex digits as an 8-byte code without CRC otherwise', () => {
    expect(ok('83FED3407A939723')).toMatchObject({ installCode: '83FED3407A939723', crc: '97FC', crcSupplied: false });
  });
  it('rejects a wrong CRC on an 18-byte code and names the expected CRC', () => {
    const error = err(CODE16 + 'C3B4');
    expect(error.code).toBe('BAD_CRC');
    expect(error.expectedCrc).toBe('C3B5');
    // The computed CRC is a diagnostic only: the message says the code was misread and never offers a fix.
    expect(error.message).toMatch(/misread/);
    expect(error.message).not.toContain('C3B5');
  });
  it('rejects a wrong CRC on a 14-byte input (12-byte code) naming the expected CRC', () => {
    expect(err('83FED3407A939723A5C639FF0000')).toMatchObject({ code: 'BAD_CRC', expectedCrc: '4C12' });
  });
  it('always checks a CRC written as <code>-<crc>', () => {
    expect(ok(`${CODE16}-C3B5`)).toMatchObject({ installCode: CODE16, crcSupplied: true });
    expect(err(`${CODE16}-0000`)).toMatchObject({ code: 'BAD_CRC', expectedCrc: 'C3B5' });
    // An 8-byte code with a dash-separated CRC is never reinterpreted as bare hex.
    expect(err('83FED3407A939723-97FD')).toMatchObject({ code: 'BAD_CRC', expectedCrc: '97FC' });
  });
  it('accepts dash- and space-grouped printed codes', () => {
    expect(ok('83FE-D340-7A93-9723-A5C6-39B2-6916-D505-C3B5')).toMatchObject({ installCode: CODE16, crcSupplied: true });
    expect(ok('83FE D340 7A93 9723 A5C6 39B2 6916 D505')).toMatchObject({ installCode: CODE16, crcSupplied: false });
  });
  it('parses the Z:<EUI64>$I:<code> label format and checks its CRC', () => {
    expect(ok(`Z:0011223344556677$I:${CODE16}C3B5`)).toEqual({ ieee: '0011223344556677', installCode: CODE16, crc: 'C3B5', crcSupplied: true });
    expect(ok(`z:0011223344556677$i:${CODE16}C3B5$D:ignored`)).toMatchObject({ ieee: '0011223344556677' });
    expect(err(`Z:0011223344556677$I:${CODE16}C3B4`)).toMatchObject({ code: 'BAD_CRC', expectedCrc: 'C3B5' });
  });
  it('parses the <EUI64>|<code> label format', () => {
    expect(ok(`0011223344556677|${CODE16}C3B5`)).toMatchObject({ ieee: '0011223344556677', installCode: CODE16 });
    expect(err(`00112233|${CODE16}C3B5`)).toMatchObject({ code: 'BAD_EUI64' });
  });
  it('rejects empty, non-hex and wrong-length input', () => {
    expect(err('  ').code).toBe('EMPTY');
    expect(err('83FED3407A93ZZ').code).toBe('NOT_HEX');
    expect(err('83FED3407A9').code).toBe('NOT_HEX');
    expect(err('83FED3407A9397').code).toBe('BAD_LENGTH');
  });

  it('reads an 8-byte code written in dashed groups as it reads the same digits without dashes', () => {
    const plain = parseInstallCode('1122334455667788');
    expect(plain.ok).toBe(true);
    expect(parseInstallCode('1122-3344-5566-7788')).toEqual(plain);
    expect(parseInstallCode('1122 3344 5566 7788')).toEqual(plain);
    // A dashed code whose last group is its CRC still has that CRC checked.
    expect(parseInstallCode('83FE-D340-7A93-9723-A5C6-39B2-6916-D505-C3B5')).toMatchObject({ ok: true, value: { crcSupplied: true } });
    expect(parseInstallCode('83FE-D340-7A93-9723-A5C6-39B2-6916-D505-C3B6')).toMatchObject({ ok: false, error: { code: 'BAD_CRC' } });
  });
});
