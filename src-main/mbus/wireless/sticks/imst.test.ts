import { describe, expect, it } from 'vitest';
import { installCodeCrc } from '../../../../src-shared/model/install-code-crc';
import { createMemoryLinkPair } from '../../../link/memory-link';
import { encodeHci, HCI, HciParser, Im871aStick } from './imst';
import { probeStick } from './probe-stick';
import type { ReceivedTelegram } from './stick';

describe('iM871A HCI codec', () => {
  it('frames a PING request with its CRC', () => {
    const bytes = encodeHci(HCI.DEVMGMT, HCI.PING_REQ);
    // A5 start, 81 = CRC flag (8) | endpoint DEVMGMT (1), 01 PING_REQ, 00 length, then CRC-16/X-25 low byte first
    expect(Buffer.from(bytes.subarray(0, 4)).toString('hex')).toBe('a5810100');
    expect(new HciParser().push(bytes)).toEqual([{ endpoint: 1, flags: 8, msgId: 1, payload: new Uint8Array(0) }]);
  });

  it('rejects a corrupted CRC and resyncs on the next frame', () => {
    const bad = encodeHci(HCI.DEVMGMT, HCI.PING_RSP, Uint8Array.of(1));
    bad[4] ^= 0xff;
    const good = encodeHci(HCI.DEVMGMT, HCI.PING_RSP);
    const parser = new HciParser();
    const frames = parser.push(Buffer.concat([bad, good]));
    expect(frames.map((f) => f.msgId)).toEqual([HCI.PING_RSP]);
    expect(parser.badCrcs).toBe(1);
  });

  it('reads the timestamp and RSSI attachments', () => {
    // A5, E2 = flags CRC|RSSI|timestamp (8|4|2) + endpoint RADIOLINK, 03 WMBUSMSG_IND, 01 length, 44 payload,
    // 01000000 timestamp (LE), 40 RSSI, then the CRC over E2..40
    const body = Uint8Array.of(0xe2, 0x03, 0x01, 0x44, 0x01, 0x00, 0x00, 0x00, 0x40);
    const crc = installCodeCrc(body);
    const [frame] = new HciParser().push(Uint8Array.of(0xa5, ...body, crc & 0xff, crc >> 8));
    expect(frame).toMatchObject({ endpoint: HCI.RADIOLINK, msgId: HCI.WMBUSMSG_IND, timestamp: 1, rssi: 0x40, payload: Uint8Array.of(0x44) });
  });
});

describe('iM871A driver against a scripted module', () => {
  it('is identified by probe (after the Amber probe goes unanswered), set to T1, and delivers telegrams', async () => {
    const [host, module] = createMemoryLinkPair();
    await host.open();
    await module.open();
    const parser = new HciParser();
    const configs: Uint8Array[] = [];
    module.onData((chunk) => {
      for (const f of parser.push(chunk)) {
        if (f.msgId === HCI.PING_REQ) void module.write(encodeHci(HCI.DEVMGMT, HCI.PING_RSP));
        if (f.msgId === HCI.GET_DEVICEINFO_REQ) void module.write(encodeHci(HCI.DEVMGMT, HCI.GET_DEVICEINFO_RSP, Uint8Array.of(0x33, 0x01)));
        if (f.msgId === HCI.SET_CONFIG_REQ) {
          configs.push(f.payload);
          void module.write(encodeHci(HCI.DEVMGMT, HCI.SET_CONFIG_RSP, Uint8Array.of(0)));
        }
      }
    });
    const stick = await probeStick(host, { vendorId: '0403', productId: '6001' }, { timeoutMs: 50 });
    expect(stick?.kind).toBe('imst');
    expect(stick?.model).toBe('iM871A');
    await stick!.setMode('T1');
    expect(configs[0]![2]).toBe(3); // link mode T1
    const got: ReceivedTelegram[] = [];
    stick!.onTelegram((t) => got.push(t));
    // WMBUSMSG_IND starts at C: 44 C, 2D2C M, 78563412 id, 01 version, 07 type, 78 CI
    await module.write(encodeHci(HCI.RADIOLINK, HCI.WMBUSMSG_IND, Uint8Array.of(0x44, 0x2d, 0x2c, 0x78, 0x56, 0x34, 0x12, 0x01, 0x07, 0x78)));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(got).toHaveLength(1);
    expect(got[0]!.bytes[0]).toBe(10); // rebuilt L-field
    await stick!.close();
  });
});

describe('stick probe', () => {
  it('finds nothing on a silent link', async () => {
    const [host, other] = createMemoryLinkPair();
    await host.open();
    await other.open();
    expect(await probeStick(host, {}, { timeoutMs: 20 })).toBeUndefined();
    expect(new Im871aStick(host).kind).toBe('imst');
  });
});
