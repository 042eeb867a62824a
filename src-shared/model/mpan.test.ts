import { describe, expect, it } from 'vitest';
import { mpanCheckDigit, parseMpan } from './mpan';
import { parseMprn } from './mprn';

describe('mpanCheckDigit', () => {
  it('computes the worked example by hand', () => {
    // 1·3 + 2·5 + 3·7 + 4·13 + 5·17 + 6·19 + 7·23 + 8·29 + 9·31 + 0·37 + 1·41 + 2·43 = 1084; 1084 mod 11 = 6; 6 mod 10 = 6
    expect(mpanCheckDigit('123456789012')).toBe(6);
  });
  it('maps a remainder of 10 to check digit 0', () => {
    // 1·3 + 4·43 = 175; 175 mod 11 = 10; 10 mod 10 = 0
    expect(mpanCheckDigit('100000000004')).toBe(0);
  });
  it('rejects a body that is not 12 digits', () => {
    expect(() => mpanCheckDigit('12345')).toThrow(RangeError);
  });
});

describe('parseMpan', () => {
  it('accepts a valid 13-digit core and names its distributor', () => {
    const r = parseMpan('1234567890126');
    expect(r).toEqual({
      ok: true,
      value: { core: '1234567890126', checkDigit: 6, distributorId: '12', distributorName: 'London (UK Power Networks)', warnings: [] },
    });
  });
  it('accepts a core with the spaces printed on bills', () => {
    const r = parseMpan('12 3456 7890 126');
    expect(r.ok && r.value.core).toBe('1234567890126');
  });
  it('accepts the 21-digit full form and splits the top line', () => {
    const r = parseMpan('01 801 100 1234567890126');
    expect(r).toMatchObject({
      ok: true,
      value: { core: '1234567890126', profileClass: '01', meterTimeswitchCode: '801', lineLossFactorClass: '100', warnings: [] },
    });
  });
  it('warns (does not fail) for an unknown distributor id', () => {
    const body = '991234567890';
    const r = parseMpan(body + String(mpanCheckDigit(body)));
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.distributorId).toBe('99');
      expect(r.value.warnings.join(' ')).toMatch(/distributor id 99/);
    }
  });
  it('warns for a profile class outside 00–08', () => {
    const r = parseMpan('09801100' + '1234567890126');
    expect(r.ok && r.value.warnings.join(' ')).toMatch(/profile class 09/);
  });
  // Offering the digit that would pass gives a valid MPAN for a different supply: the message never names one.
  it('rejects a wrong check digit without suggesting a digit', () => {
    const r = parseMpan('1234567890127');
    expect(r).toEqual({ ok: false, error: expect.stringContaining('is not a valid MPAN') });
    expect(!r.ok && r.error).toMatch(/re-read/i);
    expect(!r.ok && r.error.replace('1234567890127', '')).not.toMatch(/\d/);
  });
  it('rejects a wrong check digit in the full form', () => {
    const r = parseMpan('018011001234567890120');
    expect(!r.ok && r.error).toMatch(/not a valid MPAN/);
    expect(!r.ok && r.error.replace('1234567890120', '')).not.toMatch(/\d/);
  });
  it.each([
    ['', /empty/],
    ['12345', /13 digits.*21.*got 5/],
    ['12345678901234', /got 14/],
    ['12345678901A6', /digits only.*"A"/],
    ['0A801100' + '1234567890126', /profile class.*"A"/],
    ['018X1100' + '1234567890126', /timeswitch.*"X"/],
    ['01801a00' + '1234567890126', /line loss.*"a"/],
  ])('rejects %j saying what is wrong', (input, message) => {
    const r = parseMpan(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });
});

describe('parseMprn', () => {
  it.each(['123456', '1234567890', '7654321'])('accepts %s', (mprn) => {
    expect(parseMprn(mprn)).toEqual({ ok: true, value: mprn });
  });
  it.each([
    ['', /empty/],
    ['12345', /6 to 10 digits; got 5/],
    ['12345678901', /6 to 10 digits; got 11/],
    ['12345X', /digits only.*"X"/],
  ])('rejects %j saying what is wrong', (input, message) => {
    const r = parseMprn(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });
});
