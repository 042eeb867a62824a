import { describe, expect, it } from 'vitest';
import { silentLogger } from '../util/logger';
import { DongleDiscovery, type DiscoverySources, type DongleChange, type SerialPortInfo } from './dongle-discovery';

function fakeSources(initial: SerialPortInfo[]): DiscoverySources & { ports: SerialPortInfo[] } {
  const state = {
    ports: initial,
    listSerial: async () => [...state.ports],
    listHid: async () => ({ devices: [], availability: { available: false, reason: 'libusb-1.0 is not installed' } }),
  };
  return state;
}

const cc2531: SerialPortInfo = { path: '/dev/ttyACM0', vendorId: '0451', productId: '16a8', manufacturer: 'Texas Instruments' };
const ftdi: SerialPortInfo = { path: '/dev/ttyUSB0', vendorId: '0403', productId: '6001', manufacturer: 'FTDI' };

describe('DongleDiscovery', () => {
  it('classifies listed ports and reports HID as unavailable with the reason', async () => {
    const discovery = new DongleDiscovery({ log: silentLogger, sources: fakeSources([cc2531, ftdi]) });
    const list = await discovery.list();
    expect(list.dongles.map((d) => d.classification.kind)).toEqual(['zigbee-coordinator', 'serial-device']);
    expect(list.hid).toEqual({ available: false, reason: 'libusb-1.0 is not installed' });
    expect(discovery.hasRealDongle()).toBe(true);
  });

  it('emits added and removed when devices are plugged and unplugged', async () => {
    const sources = fakeSources([ftdi]);
    const discovery = new DongleDiscovery({ log: silentLogger, sources });
    const changes: DongleChange[] = [];
    discovery.onChange((c) => changes.push(c));
    await discovery.list();
    sources.ports = [cc2531];
    await discovery.list();
    expect(changes.map((c) => `${c.type} ${c.dongle.path}`)).toEqual(['added /dev/ttyUSB0', 'removed /dev/ttyUSB0', 'added /dev/ttyACM0']);
  });

  it('lists TCP adapters entered by hand and marks ports in use', async () => {
    const discovery = new DongleDiscovery({ log: silentLogger, sources: fakeSources([cc2531]), inUse: () => new Set(['/dev/ttyACM0']) });
    const tcp = discovery.addTcpAdapter({ address: '192.0.2.10:6638', kind: 'zigbee-coordinator', driver: 'zstack' });
    expect(tcp.path).toBe('tcp://192.0.2.10:6638');
    const list = await discovery.list();
    expect(list.dongles.find((d) => d.id === 'tcp:192.0.2.10:6638')?.classification.driver).toBe('zstack');
    expect(list.dongles.find((d) => d.path === '/dev/ttyACM0')?.inUse).toBe(true);
  });

  it('keeps listing serial ports when enumeration of one source fails', async () => {
    const discovery = new DongleDiscovery({
      log: silentLogger,
      sources: { listSerial: async () => Promise.reject(new Error('boom')), listHid: async () => ({ devices: [], availability: { available: true } }) },
      emulated: () => [
        {
          id: 'emulated:zigbee',
          source: 'emulated',
          path: 'tcp://127.0.0.1:1',
          inUse: false,
          classification: { kind: 'zigbee-coordinator', certainty: 'identified', label: 'Z-Stack (emulated)', candidates: [] },
        },
      ],
    });
    const list = await discovery.list();
    expect(list.trainingPremises).toBe(true);
    expect(list.dongles).toHaveLength(1);
    expect(discovery.hasRealDongle()).toBe(false);
  });
});

describe('ports in use', () => {
  it('marks a port a link holds open as in use, and frees it when the link closes', async () => {
    const { createServer } = await import('node:net');
    const { TcpLink } = await import('../link/tcp-link');
    const { claimedPorts } = await import('../link/port-claims');
    const server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const discovery = new DongleDiscovery({ log: silentLogger, sources: fakeSources([]), inUse: claimedPorts });
    discovery.addTcpAdapter({ address: `127.0.0.1:${port}`, kind: 'mbus-converter' });
    const link = new TcpLink('127.0.0.1', port);
    await link.open();
    expect((await discovery.list()).dongles[0]?.inUse).toBe(true);
    await link.close();
    expect((await discovery.list()).dongles[0]?.inUse).toBe(false);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('shares one enumeration among 10,000 concurrent calls and survives a failing HID source', async () => {
    let serialCalls = 0;
    const sources: DiscoverySources = {
      listSerial: async () => {
        serialCalls++;
        await new Promise((resolve) => setTimeout(resolve, 5));
        return [cc2531];
      },
      listHid: () => Promise.reject(new Error('EMFILE: too many open files')),
    };
    const discovery = new DongleDiscovery({ log: silentLogger, sources });
    const lists = await Promise.all(Array.from({ length: 10_000 }, () => discovery.list()));
    expect(serialCalls).toBe(1);
    expect(lists.every((list) => list.dongles.length === 1)).toBe(true);
    expect(lists[0]!.hid).toMatchObject({ available: false, reason: expect.stringContaining('HID enumeration failed') });
    await discovery.list();
    expect(serialCalls).toBe(2);
  });
});
