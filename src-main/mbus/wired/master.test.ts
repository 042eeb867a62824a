import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLinkPair } from '../../link/memory-link';
import { TcpLink } from '../../link/tcp-link';
import { serveBusOnLink, VirtualBus } from './emulator/bus';
import { defaultSlaves } from './emulator/default-slaves';
import { startMbusEmulator } from './emulator/mbus-emulator';
import { VirtualSlave, type VirtualSlaveSpec } from './emulator/virtual-slave';
import { MbusMaster, type ScanProgress } from './master';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function tcpMaster(options: { echo?: boolean; timeoutMs?: number } = {}) {
  const emulator = await startMbusEmulator({ echo: options.echo });
  const link = new TcpLink('127.0.0.1', emulator.port);
  await link.open();
  cleanups.push(
    () => emulator.stop(),
    () => link.close(),
  );
  // Generous first-byte timeout: loopback answers in well under a millisecond, CI may be busy.
  return { emulator, master: new MbusMaster(link, { timeoutMs: options.timeoutMs ?? 400, interFrameDelayMs: 0, retries: 0, settleMs: 15 }) };
}

async function memoryMaster(slaves: VirtualSlaveSpec[] = defaultSlaves()) {
  const [a, b] = createMemoryLinkPair();
  await a.open();
  await b.open();
  const bus = new VirtualBus(slaves.map((s) => new VirtualSlave(s)));
  serveBusOnLink(bus, b);
  // In memory the reply arrives in the same macrotask as the request, so a short timeout is still deterministic.
  return { bus, master: new MbusMaster(a, { timeoutMs: 5, interFrameDelayMs: 0, retries: 0, settleMs: 1 }) };
}

describe('wired M-Bus master against the bus emulator over TCP', () => {
  it('primary scan finds every slave and reports the collision at address 3', async () => {
    const { master } = await tcpMaster();
    const progress: ScanProgress[] = [];
    const report = await master.scanPrimary({ from: 0, to: 8, onProgress: (p) => progress.push(p) });
    expect(report.slaves.map((s) => [s.primary, s.header.id])).toEqual([
      [1, '12345678'],
      [2, '1A2B3C4D'],
      [4, '00ABCDE0'],
      [5, '87654321'],
    ]);
    expect(report.collisions).toEqual([3]);
    expect(progress.at(-1)).toMatchObject({ done: 9, total: 9 });
  });

  it('does not report false collisions through an echoing level converter', async () => {
    const { master } = await tcpMaster({ echo: true });
    const report = await master.scanPrimary({ from: 1, to: 4 });
    expect(report.slaves.map((s) => s.primary)).toEqual([1, 2, 4]);
    expect(report.collisions).toEqual([3]);
  });

  it('reads a multi-telegram meter: all records of all three telegrams, FCB toggled', async () => {
    const { master } = await tcpMaster();
    await master.ping(5);
    const result = await master.read(5);
    expect(result.telegrams).toHaveLength(3);
    expect(result.telegrams.map((t) => t.moreRecordsFollow)).toEqual([true, true, false]);
    expect(result.records.map((r) => [r.quantity, r.storage])).toEqual([
      ['energy', 0],
      ['power', 0],
      ['energy', 1],
      ['date', 1],
      ['energy', 2],
      ['date', 2],
    ]);
    expect(result.records[3]!.value).toBe('2025-12-31');
  });

  it('repeats the same telegram when the FCB is not toggled (lost reply)', async () => {
    const { master } = await tcpMaster();
    await master.ping(5);
    const first = await master.exchange({ type: 'short', c: 0x7b, a: 5 });
    const again = await master.exchange({ type: 'short', c: 0x7b, a: 5 });
    const next = await master.exchange({ type: 'short', c: 0x5b, a: 5 });
    expect(first.kind === 'frame' && again.kind === 'frame' && Buffer.from(first.bytes).equals(Buffer.from(again.bytes))).toBe(true);
    expect(next.kind === 'frame' && first.kind === 'frame' && Buffer.from(first.bytes).equals(Buffer.from(next.bytes))).toBe(false);
  });

  it('secondary search finds every slave including ids with hex digits', async () => {
    // Every empty probe costs a full timeout, as on a real bus; 250 ms is far above loopback latency even on a busy CI.
    const { master } = await tcpMaster({ timeoutMs: 250 });
    const report = await master.scanSecondary();
    expect(report.slaves.map((s) => s.header.id).sort()).toEqual(['00ABCDE0', '12345678', '1A2B3C4D', '33100042', '47110815', '87654321']);
    expect(report.unresolved).toEqual([]);
  });

  it('sets a primary address by secondary id and reads the meter there', async () => {
    const { master } = await tcpMaster();
    await master.setPrimaryAddress('47110815', 30);
    await master.ping(30);
    const result = await master.read(30);
    expect(result.telegrams[0]!.header).toMatchObject({ id: '47110815', manufacturer: 'LUG' });
    const report = await master.scanPrimary({ from: 3, to: 3 });
    expect(report.slaves.map((s) => s.header.id)).toEqual(['33100042']);
    expect(report.collisions).toEqual([]);
  });
});

describe('wired M-Bus master over an in-memory bus', () => {
  it('scans the full primary range 0-250 with progress and finds the collision', async () => {
    const { master } = await memoryMaster();
    let last: ScanProgress | undefined;
    const report = await master.scanPrimary({ onProgress: (p) => (last = p) });
    expect(report.slaves.map((s) => s.primary)).toEqual([1, 2, 4, 5]);
    expect(report.collisions).toEqual([3]);
    expect(last).toMatchObject({ done: 251, total: 251, found: 4 });
  });

  it('secondary search separates near-twin ids down to the last digit, hex digits included', async () => {
    const twin = (id: string, manufacturer = 'KAM'): VirtualSlaveSpec => ({
      primary: 0,
      id,
      manufacturer,
      version: 1,
      medium: 7,
      telegrams: [() => [{ vif: [0x13], data: { type: 'int', bytes: 1, value: 1 } }]],
    });
    const { master } = await memoryMaster([twin('12345678'), twin('12345679'), twin('1234567A'), twin('1234567E'), twin('ABCDEABC')]);
    const report = await master.scanSecondary();
    expect(report.slaves.map((s) => s.header.id).sort()).toEqual(['12345678', '12345679', '1234567A', '1234567E', 'ABCDEABC']);
  });

  it('separates two slaves with the same id by their manufacturer nibbles', async () => {
    const twin = (manufacturer: string): VirtualSlaveSpec => ({
      primary: 0,
      id: '11112222',
      manufacturer,
      version: 1,
      medium: 7,
      telegrams: [() => []],
    });
    const { master } = await memoryMaster([twin('KAM'), twin('ELS')]);
    const report = await master.scanSecondary();
    expect(report.slaves.map((s) => s.header.manufacturer).sort()).toEqual(['ELS', 'KAM']);
  });

  it('cancels a secondary search', async () => {
    const { master } = await memoryMaster();
    const controller = new AbortController();
    const report = await master.scanSecondary({
      signal: controller.signal,
      onProgress: (p) => {
        if (p.done === 2) controller.abort();
      },
    });
    expect(report.cancelled).toBe(true);
  });

  it('sets a primary address by primary address', async () => {
    const { master, bus } = await memoryMaster();
    await master.setPrimaryAddress(1, 42);
    expect(bus.slaves[0]!.primary).toBe(42);
  });
});
