import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../premises/emulator';
import { startMbusEmulator } from '../mbus/wired/emulator/mbus-emulator';
import { LIBMBUS_DIR } from '../mbus/wired/libmbus-frames';
import { captureIo } from './capture-io.test-support';
import { mbusCommand } from './mbus-command';
import { runCli } from './run-cli';

const MODE5 = '2E44931578563412330333637A2A0020255923C95AAA26D1B2E7493BC2AD013EC4A6F6D3529B520EDFF0EA6DEFC955B29D6D69EBF3EC8A';
const KEY = '0102030405060708090A0B0C0D0E0F11';

describe('hantool mbus decode', () => {
  it('decodes the OMS mode 5 telegram with its key', async () => {
    const io = captureIo();
    expect(await runCli(['mbus', 'decode', MODE5, '--key', KEY], [mbusCommand], io)).toBe(0);
    const json = JSON.parse(io.stdout[0]!);
    expect(json).toMatchObject({ id: '12345678', manufacturer: 'ELS', version: 51, medium: 'gas', accessNumber: 42, status: 0, decrypted: true });
    expect(json.records[0]).toMatchObject({ quantity: 'volume', value: 28504.27, unit: 'm3', storage: 0, tariff: 0, function: 'instantaneous' });
    expect(json.records[1]).toMatchObject({ value: '2008-05-31T23:50:00' });
  });

  it('exits 0 with the header, decrypted false and a reason without a key or with a wrong one', async () => {
    for (const extra of [[], ['--key', '000102030405060708090A0B0C0D0E0F']]) {
      const io = captureIo();
      expect(await runCli(['mbus', 'decode', MODE5, ...extra], [mbusCommand], io)).toBe(0);
      const json = JSON.parse(io.stdout[0]!);
      expect(json).toMatchObject({ id: '12345678', decrypted: false, records: [] });
      expect(json.reason).toMatch(extra.length ? /wrong key/ : /no key/);
    }
  });

  it('decodes a wired frame pasted with spaces', async () => {
    const io = captureIo();
    const hex = readFileSync(join(LIBMBUS_DIR, 'test-frames/kamstrup_multical_601.hex'), 'utf8').trim().split(/\s+/);
    expect(await runCli(['mbus', 'decode', ...hex], [mbusCommand], io)).toBe(0);
    const json = JSON.parse(io.stdout[0]!);
    expect(json).toMatchObject({ kind: 'wired', id: '06855817', manufacturer: 'KAM', medium: 'heat' });
    expect(json.records[26]).toMatchObject({ quantity: 'date', value: '2010-12-31' });
  });

  it.each([
    ['bad checksum', '6803036808017078 16', /checksum.*offset 7/],
    ['bad CRC', MODE5.slice(0, 20) + 'FF' + MODE5.slice(22), /CRC.*offset 10/],
    ['truncated', '68F7F768081172', /truncated.*offset 7/],
    ['not hex', 'zz', /hex digits/],
  ])('exits 2 on %s with the reason and offset on stderr', async (_name, hex, reason) => {
    const io = captureIo();
    expect(await runCli(['mbus', 'decode', ...hex.split(' ')], [mbusCommand], io)).toBe(2);
    expect(io.stdout).toEqual([]);
    expect(io.stderr).toHaveLength(1);
    expect(io.stderr[0]).toMatch(reason);
  });

  it('rejects a short key', async () => {
    const io = captureIo();
    expect(await runCli(['mbus', 'decode', MODE5, '--key', '0102'], [mbusCommand], io)).toBe(2);
    expect(io.stderr[0]).toMatch(/32 hex digits/);
  });
});

describe('hantool mbus scan / read against the bus emulator over TCP', () => {
  let emulator: RunningEmulator;
  let target: string;
  beforeAll(async () => {
    emulator = await startMbusEmulator();
    target = `tcp://127.0.0.1:${emulator.port}`;
  });
  afterAll(() => emulator.stop());

  it('scans primary addresses and reports the collision', async () => {
    const io = captureIo();
    expect(await runCli(['mbus', 'scan', target, '--from', '0', '--to', '6', '--timeout', '300'], [mbusCommand], io)).toBe(0);
    const json = JSON.parse(io.stdout[0]!);
    expect(json.meters.map((m: { primary: number; id: string }) => `${m.primary}:${m.id}`)).toEqual(['1:12345678', '2:1A2B3C4D', '4:00ABCDE0', '5:87654321']);
    expect(json.collisions).toEqual([3]);
  });

  it('reads every telegram of a multi-telegram meter, by primary address and by secondary id', async () => {
    for (const which of ['5', '87654321']) {
      const io = captureIo();
      expect(await runCli(['mbus', 'read', target, which, '--timeout', '300'], [mbusCommand], io)).toBe(0);
      const json = JSON.parse(io.stdout[0]!);
      expect(json.telegrams).toHaveLength(3);
      expect(json.telegrams[0]).toMatchObject({ id: '87654321', manufacturer: 'SBC' });
    }
  });

  it('exits 1 when no meter answers, 2 on bad input', async () => {
    const silent = captureIo();
    expect(await runCli(['mbus', 'read', target, '9', '--timeout', '100'], [mbusCommand], silent)).toBe(1);
    expect(silent.stderr[0]).toMatch(/no meter answers at primary address 9/);
    for (const args of [
      ['mbus', 'scan'],
      ['mbus', 'read', target, '251'],
      ['mbus', 'scan', target, '--from', '9', '--to', '2'],
      ['mbus', 'scan', '/dev/ttyUSB0', '--baud', '57600'],
    ]) {
      const io = captureIo();
      expect(await runCli(args, [mbusCommand], io)).toBe(2);
      expect(io.stdout).toEqual([]);
    }
  });
});
