import { describe, expect, it } from 'vitest';
import { captureIo } from './capture-io.test-support';
import { installcodeCommand } from './installcode-command';
import { runCli } from './run-cli';

describe('hantool installcode', () => {
  it('prints the exact JSON for the published vector', async () => {
    const io = captureIo();
    expect(await runCli(['installcode', '83FED3407A939723A5C639B26916D505'], [installcodeCommand], io)).toBe(0);
    expect(io.stdout).toEqual([
      '{"valid":true,"ieee":null,"installCode":"83FED3407A939723A5C639B26916D505","crc":"C3B5","linkKey":"66B6900981E1EE3CA4206B6B861C02BB"}',
    ]);
  });
  it('reports the EUI-64 of a label', async () => {
    const io = captureIo();
    expect(await runCli(['installcode', 'Z:00124B0001ABCDEF$I:83FED3407A939723A5C639B26916D505C3B5'], [installcodeCommand], io)).toBe(0);
    expect(JSON.parse(io.stdout[0]!)).toMatchObject({ ieee: '00124B0001ABCDEF', crc: 'C3B5' });
  });
  it('exits 2 with the expected CRC on stderr and nothing on stdout for a wrong CRC', async () => {
    const io = captureIo();
    expect(await runCli(['installcode', '83FED3407A939723A5C639B26916D505-C3B6'], [installcodeCommand], io)).toBe(2);
    expect(io.stdout).toEqual([]);
    expect(io.stderr).toHaveLength(1);
    expect(io.stderr[0]).toContain('C3B5');
  });
  it('exits 2 without an argument', async () => {
    const io = captureIo();
    expect(await runCli(['installcode'], [installcodeCommand], io)).toBe(2);
    expect(io.stdout).toEqual([]);
  });
});
