import { describe, expect, it } from 'vitest';
import { captureIo } from './capture-io.test-support';
import { parseChannels, hanScanCommand } from './han-scan-command';
import { runCli } from './run-cli';

describe('hantool han scan', () => {
  it('reads channel lists and ranges, ascending and without repeats', () => {
    expect(parseChannels('11-26')).toHaveLength(16);
    expect(parseChannels('25,11-12, 11')).toEqual([11, 12, 25]);
  });

  it.each([
    [['han', 'scan', 'energy', '--channels', '10-12'], /channels are 11-26/],
    [['han', 'scan', 'energy', '--channels', 'all'], /--channels takes channels 11-26/],
    [['han', 'scan', 'noise'], /energy or beacons/],
    [['han', 'scan', 'beacons', '--port'], /--port needs a value/],
    [['han', 'scan', 'energy', '--adapter', 'xbee', '--port', 'tcp://127.0.0.1:1'], /--adapter is one of/],
    [['han', 'join'], /unknown subcommand "join"/],
  ])('refuses %j with a one-line reason and exit 2', async (argv, reason) => {
    const io = captureIo();
    expect(await runCli(argv, [hanScanCommand], io)).toBe(2);
    expect(io.stdout).toEqual([]);
    expect(io.stderr.join('\n')).toMatch(reason);
  });

  it('says plainly that an adapter without a scan cannot scan (exit 1, nothing on stdout)', async () => {
    const io = captureIo();
    expect(await runCli(['han', 'scan', 'energy', '--adapter', 'deconz', '--port', 'tcp://127.0.0.1:1'], [hanScanCommand], io)).toBe(1);
    expect(io.stdout).toEqual([]);
    expect(io.stderr.join('\n')).toMatch(/deCONZ.*cannot run an energy scan from this app/);
  });
});
