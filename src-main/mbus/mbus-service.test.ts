import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HeardDroppedView, HeardMeterView, ScanProgressView } from '../../src-shared/ipc/channels/mbus';
import { FileSecretStore } from '../secrets/file-secret-store';
import { silentLogger } from '../util/logger';
import { startAmberEmulator } from './wireless/emulator/amber-emulator';
import { startMbusEmulator } from './wired/emulator/mbus-emulator';
import { MbusService } from './mbus-service';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function service(heard: HeardMeterView[] = [], progress: ScanProgressView[] = []) {
  const wired = await startMbusEmulator();
  const wireless = await startAmberEmulator({ intervalMs: 10 });
  const dataDir = mkdtempSync(join(tmpdir(), 'han-mbus-'));
  const secrets = await FileSecretStore.open(dataDir);
  const s = await MbusService.start({
    log: silentLogger,
    dataDir,
    secrets,
    wired: { target: { kind: 'tcp', host: '127.0.0.1', port: wired.port }, training: true, master: { timeoutMs: 250, interFrameDelayMs: 0, retries: 0 } },
    wireless: { target: { kind: 'tcp', host: '127.0.0.1', port: wireless.port }, training: true },
    onHeard: (m) => heard.push(m),
    onProgress: (p) => progress.push(p),
  });
  cleanups.push(
    () => rmSync(dataDir, { recursive: true, force: true }),
    () => wired.stop(),
    () => wireless.stop(),
    () => s.close(),
  );
  return { s, dataDir };
}

describe('M-Bus service (what the M-Bus screen calls)', () => {
  it('scans, reads with a byte breakdown, and sets a primary address', async () => {
    const progress: ScanProgressView[] = [];
    const { s } = await service([], progress);
    expect(s.status()).toMatchObject({ wired: { training: true }, wireless: { stick: 'AMB8465' } });
    const scan = await s.scanPrimary({ from: 0, to: 5 });
    expect(scan.meters.map((m) => m.primary)).toEqual([1, 2, 4, 5]);
    expect(scan.collisions).toEqual([3]);
    expect(progress.at(-1)).toMatchObject({ kind: 'primary', done: 6, total: 6 });
    const read = await s.read({ primary: 1 });
    const telegram = read.telegrams[0]!;
    expect(telegram.meter).toMatchObject({ id: '12345678', manufacturer: 'KAM', primary: 1 });
    expect(telegram.breakdown.map((b) => b.label)).toContain('identification number');
    expect(telegram.breakdown.reduce((n, b) => n + b.length, 0)).toBe(telegram.hex.length / 2);
    const multi = await s.read({ secondary: '87654321' });
    expect(multi.telegrams).toHaveLength(3);
    expect(await s.setPrimary({ target: '1A2B3C4D', newAddress: 20 })).toBe(true);
    expect((await s.read({ primary: 20 })).telegrams[0]!.meter?.id).toBe('1A2B3C4D');
  });

  it('lists wireless meters heard; a key entered decrypts the last telegram and is kept encrypted on disk', async () => {
    const heard: HeardMeterView[] = [];
    const { s, dataDir } = await service(heard);
    await expect.poll(() => s.heard().length, { timeout: 15_000 }).toBe(5);
    const gas = s.heard().find((m) => m.meter.manufacturer === 'ELS')!;
    expect(gas).toMatchObject({ encrypted: true, decrypted: false, hasKey: false });
    const updated = await s.setKey({ manufacturer: 'ELS', id: '12345678', version: 0x33, deviceType: 3 }, '0102030405060708090A0B0C0D0E0F11');
    expect(updated).toMatchObject({ decrypted: true, hasKey: true });
    expect(updated!.lastTelegram.records[0]).toMatchObject({ quantity: 'volume', unit: 'm3' });
    const file = readFileSync(join(dataDir, 'wmbus-keys.json'), 'utf8');
    expect(file).not.toContain('0102030405060708090A0B0C0D0E0F11');
    expect(heard.length).toBeGreaterThan(0);
  });

  it('decodes a pasted telegram and reports malformed ones as errors', async () => {
    const { s } = await service();
    const view = s.decode('2C44A7320613996707047A821000202F2F0C06000000000C14000000000C22224101000B5A4102000B5E4000F0');
    expect(view.meter).toMatchObject({ id: '67991306', manufacturer: 'LUG' });
    expect(() => s.decode('2C44A732')).toThrow(/offset/);
  });
});

describe('M-Bus service walk-by bound', () => {
  it('keeps the most recently heard meters within its capacity and tells how many were dropped', async () => {
    const wireless = await startAmberEmulator({ intervalMs: 10 });
    const dropped: HeardDroppedView[] = [];
    const s = await MbusService.start({
      log: silentLogger,
      wireless: { target: { kind: 'tcp', host: '127.0.0.1', port: wireless.port }, training: true },
      walkByCapacity: 3,
      onHeardDropped: (d) => dropped.push(d),
    });
    cleanups.push(
      () => wireless.stop(),
      () => s.close(),
    );
    // The training stick sends five meters in turn: two of them are always the least recently heard.
    await expect.poll(() => s.status().walkBy?.dropped ?? 0, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    expect(s.heard()).toHaveLength(3);
    expect(s.status().walkBy).toMatchObject({ capacity: 3 });
    expect(dropped.at(-1)).toMatchObject({ capacity: 3, dropped: s.status().walkBy!.dropped });
    expect(dropped.flatMap((d) => d.keys).length).toBe(dropped.at(-1)!.dropped);
  });
});

describe('M-Bus service without the training premises', () => {
  it('connects a gateway and a stick chosen by the engineer', async () => {
    const wired = await startMbusEmulator();
    const wireless = await startAmberEmulator({ intervalMs: 10 });
    const s = await MbusService.start({ log: silentLogger });
    cleanups.push(
      () => wired.stop(),
      () => wireless.stop(),
      () => s.close(),
    );
    expect(s.status()).toEqual({});
    await expect(s.scanPrimary({ from: 0, to: 1 })).rejects.toThrow(/No wired M-Bus master/);
    expect(await s.connectWired(`tcp://127.0.0.1:${wired.port}`)).toMatchObject({ wired: { target: `tcp://127.0.0.1:${wired.port}`, training: false } });
    expect((await s.read({ primary: 1 })).telegrams[0]!.meter?.id).toBe('12345678');
    // A double click: the second connect is refused while the first is opening the stick.
    const [first, second] = await Promise.allSettled([s.connectWireless(`127.0.0.1:${wireless.port}`), s.connectWireless(`127.0.0.1:${wireless.port}`)]);
    expect(first).toMatchObject({ status: 'fulfilled', value: { wireless: { stick: 'AMB8465', training: false } } });
    expect(second).toMatchObject({ status: 'rejected', reason: { code: 'BUSY' } });
    await expect.poll(() => s.heard().length, { timeout: 15_000 }).toBe(5);
    await expect(s.connectWired('/dev/ttyUSB0', 57600)).rejects.toThrow(/speeds/);
  });
});
