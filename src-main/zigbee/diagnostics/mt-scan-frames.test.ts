import { describe, expect, it } from 'vitest';
import { BEACON_NOTIFY_TRUNCATED, BEACON_NOTIFY_TWO, DISCOVERY_11_15_20_25_D4, ENERGY_SCAN_ALL_D3 } from './__vectors__/mt-scan-vectors';
import { channelMask, discoveryRequest, energyScanRequest, maskChannels, parseBeaconNotify, parseNwkUpdateNotify } from './mt-scan-frames';
import { energyReadings } from './zstack-survey-link';

const ALL = Array.from({ length: 16 }, (_, i) => 11 + i);

describe('MT scan frames', () => {
  it('builds Mgmt_NWK_Update_req for an energy scan of the coordinator itself', () => {
    expect(energyScanRequest(ALL, 3).equals(ENERGY_SCAN_ALL_D3)).toBe(true);
  });

  it('never builds a channel change or manager update (durations above 5)', () => {
    expect(() => energyScanRequest(ALL, 0xfe)).toThrow(/0-5/);
    expect(() => energyScanRequest(ALL, 6)).toThrow(/0-5/);
  });

  it('builds ZDO_NWK_DISCOVERY_REQ and round-trips channel masks', () => {
    expect(discoveryRequest([25, 11, 20, 15], 4).equals(DISCOVERY_11_15_20_25_D4)).toBe(true);
    expect(maskChannels(channelMask([26, 11, 19]))).toEqual([11, 19, 26]);
    expect(() => channelMask([10])).toThrow(/11-26/);
  });

  it('reads each beacon of ZDO_BEACON_NOTIFY_IND, with no RSSI (Z-Stack does not report one)', () => {
    const [hub, neighbour] = parseBeaconNotify(BEACON_NOTIFY_TWO);
    expect(hub).toEqual({
      source: 0x0000,
      panId: 0x1234,
      channel: 19,
      permitJoin: false,
      routerCapacity: true,
      deviceCapacity: true,
      stackProfile: 2,
      lqi: 180,
      depth: 0,
      extendedPanId: '000D6F000A1B2C3D',
      rssi: null,
    });
    expect(neighbour).toMatchObject({ source: 0xa001, panId: 0xabcd, channel: 15, permitJoin: true, routerCapacity: false, lqi: 60, depth: 2 });
    expect(neighbour?.extendedPanId).toBe('0102030405060708');
  });

  it('drops a truncated trailing beacon instead of half-reading it', () => {
    expect(parseBeaconNotify(BEACON_NOTIFY_TRUNCATED).map((n) => n.panId)).toEqual([0x1234]);
    expect(parseBeaconNotify(Buffer.alloc(0))).toEqual([]);
  });

  it('maps the notify energy list onto the channels scanned, in ascending order', () => {
    const zdo = [0, { scannedChannels: channelMask([11, 15, 20]), totalTransmissions: 0, totalFailures: 0, entryList: [12, 200, 40] }];
    expect(energyReadings(zdo, [20, 11, 15])).toEqual([
      { channel: 11, energy: 12, rssi: null },
      { channel: 15, energy: 200, rssi: null },
      { channel: 20, energy: 40, rssi: null },
    ]);
    expect(() => energyReadings([0x84, undefined], [11])).toThrow(/refused the energy scan/);
  });

  it('reads Mgmt_NWK_Update_notify in both MT forms: its own AREQ and ZDO_MSG_CB_INCOMING', () => {
    const payload = [
      [0x00], // Status SUCCESS
      [0x00, 0x88, 0x00, 0x00], // ScannedChannels 0x00008800 = 11, 15
      [0x10, 0x00], // TotalTransmissions 16
      [0x01, 0x00], // TransmissionFailures 1
      [0x02], // ListCount 2
      [0xb4, 0x0c], // energies: channel 11 = 180, channel 15 = 12
    ].flat();
    const direct = Buffer.from([0x00, 0x00, ...payload]); // SrcAddr 0x0000, then the payload
    const incoming = Buffer.from([
      ...[0x00, 0x00], // SrcAddr 0x0000
      0x00, // WasBroadcast
      ...[0x38, 0x80], // ClusterId 0x8038
      0x00, // SecurityUse
      0x07, // SeqNum
      ...[0x00, 0x00], // MacDstAddr
      ...payload,
    ]);
    const expected = { source: 0, status: 0, scannedChannels: 0x8800, energies: [180, 12] };
    expect(parseNwkUpdateNotify(0xb8, direct)).toEqual(expected);
    expect(parseNwkUpdateNotify(0xff, incoming)).toEqual(expected);
    // Another cluster's incoming message, or another command, is not a notify.
    expect(parseNwkUpdateNotify(0xff, Buffer.from([0, 0, 0, 0x31, 0x80, 0, 0, 0, 0, 0]))).toBeUndefined();
    expect(parseNwkUpdateNotify(0xc5, direct)).toBeUndefined();
    expect(parseNwkUpdateNotify(0xb8, Buffer.from([0x00, 0x00, 0x84]))).toEqual({ source: 0, status: 0x84, scannedChannels: 0, energies: [] });
  });
});
