import { describe, expect, it } from 'vitest';
import { captureIo } from './capture-io.test-support';
import { mpanCommand } from './mpan-command';
import { runCli } from './run-cli';

describe('hantool mpan', () => {
  it('prints the parts of a 13-digit core', async () => {
    const io = captureIo();
    expect(await runCli(['mpan', '1234567890126'], [mpanCommand], io)).toBe(0);
    expect(io.stderr).toEqual([]);
    expect(JSON.parse(io.stdout[0]!)).toEqual({
      valid: true,
      core: '1234567890126',
      checkDigit: 6,
      distributorId: '12',
      distributorName: 'London (UK Power Networks)',
      warnings: [],
    });
  });
  it('adds the top-line fields for a 21-digit MPAN', async () => {
    const io = captureIo();
    expect(await runCli(['mpan', '018011001234567890126'], [mpanCommand], io)).toBe(0);
    expect(JSON.parse(io.stdout[0]!)).toMatchObject({ valid: true, profileClass: '01', meterTimeswitchCode: '801', lineLossFactorClass: '100' });
  });
  it('exits 2 saying the MPAN is not valid (never suggesting a digit), with nothing on stdout', async () => {
    const io = captureIo();
    expect(await runCli(['mpan', '1234567890121'], [mpanCommand], io)).toBe(2);
    expect(io.stdout).toEqual([]);
    expect(io.stderr).toHaveLength(1);
    expect(io.stderr[0]).toMatch(/not a valid MPAN.*re-read/i);
    expect(io.stderr[0]!.replace('1234567890121', '')).not.toMatch(/\d/);
  });
  it('exits 2 without an argument', async () => {
    const io = captureIo();
    expect(await runCli(['mpan'], [mpanCommand], io)).toBe(2);
    expect(io.stdout).toEqual([]);
  });
});
