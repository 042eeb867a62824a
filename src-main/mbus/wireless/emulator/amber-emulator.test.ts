import { afterEach, describe, expect, it } from 'vitest';
import { TcpLink } from '../../../link/tcp-link';
import { KeyStore } from '../../common/key-store';
import { type HeardMeter, WirelessReceiver } from '../receiver';
import { AmberStick } from '../sticks/amber';
import { probeStick } from '../sticks/probe-stick';
import type { ReceivedTelegram, WmbusStick } from '../sticks/stick';
import { startAmberEmulator } from './amber-emulator';
import { defaultRadioMeters } from './virtual-meters';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function connectedStick(): Promise<WmbusStick> {
  const emulator = await startAmberEmulator({ intervalMs: 10 });
  const link = new TcpLink('127.0.0.1', emulator.port);
  await link.open();
  cleanups.push(() => emulator.stop());
  const stick = await probeStick(link, { vendorId: '0403', productId: '6001' });
  if (!stick) throw new Error('stick not identified');
  cleanups.push(() => stick.close());
  return stick;
}

/** Collects telegrams until every meter was heard at least `rounds` times. */
function collect(stick: WmbusStick, receiver: WirelessReceiver, rounds: number): Promise<HeardMeter[]> {
  const expected = defaultRadioMeters().length;
  return new Promise((resolve) => {
    const unsubscribe = stick.onTelegram((t: ReceivedTelegram) => {
      receiver.accept(t);
      const meters = receiver.meters();
      if (meters.length === expected && meters.every((m) => m.count >= rounds)) {
        unsubscribe();
        resolve(meters);
      }
    });
  });
}

describe('Amber stick emulator over TCP', () => {
  it('is identified as an AMB8465 by the active probe and accepts T1 mode', async () => {
    const stick = await connectedStick();
    expect(stick).toMatchObject({ kind: 'amber', model: 'AMB8465' });
    await (stick as unknown as { initialise(mode: string): Promise<void> }).initialise('T1');
  });

  it('encrypted telegrams decrypt with the right keys; meters sharing an id stay apart', async () => {
    const stick = await connectedStick();
    const keys = new KeyStore();
    for (const m of defaultRadioMeters()) if (m.key) keys.set(m.address, Buffer.from(m.key, 'hex'));
    const receiver = new WirelessReceiver(keys.lookup);
    const meters = await collect(stick, receiver, 2);
    const byKey = new Map(meters.map((m) => [`${m.address.manufacturer}-${m.address.id}`, m]));
    expect(byKey.size).toBe(5);
    const gas = byKey.get('ELS-12345678')!;
    expect(gas).toMatchObject({ encrypted: true, decrypted: true, medium: 'gas' });
    expect(gas.records[0]).toMatchObject({ quantity: 'volume', unit: 'm3' });
    expect(gas.records[0]!.value as number).toBeGreaterThan(28504);
    expect(byKey.get('KAM-76543210')).toMatchObject({ encrypted: true, decrypted: true, medium: 'cold-water' });
    expect(byKey.get('KAM-76543210')!.records).toHaveLength(3);
    expect(byKey.get('LUG-20242024')).toMatchObject({ encrypted: false, decrypted: true });
    expect(byKey.get('DME-12345678')).toMatchObject({ encrypted: false, medium: 'water' });
    for (const m of meters) {
      expect(m.rssiDbm).toBeGreaterThanOrEqual(-100);
      expect(m.rssiDbm).toBeLessThanOrEqual(-40);
    }
    expect(receiver.rejected).toBe(0);
  });

  it('reports encrypted telegrams as undecryptable with wrong keys or none', async () => {
    const stick = await connectedStick();
    const keys = new KeyStore();
    const wrong = Buffer.from('FFEEDDCCBBAA99887766554433221100', 'hex');
    for (const m of defaultRadioMeters()) if (m.key && m.security === 5) keys.set(m.address, wrong);
    const receiver = new WirelessReceiver(keys.lookup);
    const meters = await collect(stick, receiver, 1);
    const gas = meters.find((m) => m.address.manufacturer === 'ELS')!;
    expect(gas).toMatchObject({ encrypted: true, decrypted: false, records: [] });
    expect(gas.reason).toMatch(/wrong key/);
    const water = meters.find((m) => m.address.manufacturer === 'KAM')!;
    expect(water).toMatchObject({ encrypted: true, decrypted: false });
    expect(water.reason).toMatch(/no key/);
  });

  it('initialise writes non-volatile parameters only when they differ', async () => {
    for (const factoryParams of [false, true]) {
      const sets: number[] = [];
      const emulator = await startAmberEmulator({ intervalMs: 1000, factoryParams, onSet: (address) => sets.push(address) });
      const link = new TcpLink('127.0.0.1', emulator.port);
      await link.open();
      const stick = new AmberStick(link);
      try {
        await stick.initialise('C1');
        expect(sets).toEqual(factoryParams ? [0x45] : []);
      } finally {
        await stick.close();
        await emulator.stop();
      }
    }
  });

  it('RSSI varies between telegrams', async () => {
    const stick = await connectedStick();
    const values = new Set<number>();
    await new Promise<void>((resolve) => {
      const unsubscribe = stick.onTelegram((t) => {
        if (t.rssiDbm !== undefined) values.add(t.rssiDbm);
        if (values.size >= 5) {
          unsubscribe();
          resolve();
        }
      });
    });
    expect(values.size).toBeGreaterThanOrEqual(5);
  });
});
