import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchangeHex } from './mt-client.test-support';
import { bareDongle } from './mt-vectors.test-support';

// Sources: TI MT_ZDO.c (MT_ZdoMgmtNwkUpdateRequest, MT_ZdoExtRouteCheck, MT_ZdoRegisterForZDOMsg, MT_ZdoExtNwkInfo,
// MT_ZdoNetworkDiscoveryReq); zigpy-znp commands/zdo.py for the parameter layouts.
describe('MT ZDO byte vectors', () => {
  let dongle: Awaited<ReturnType<typeof bareDongle>>;
  beforeAll(async () => (dongle = await bareDongle()));
  afterAll(() => dongle.close());

  it('ZDO_MGMT_NWK_UPDATE_REQ before a network exists → ZNwkInvalidRequest (0xC2)', async () => {
    // dst 0x0000, mode 2, channels 11–26, duration 0, count 1, manager 0x0000
    expect(await exchangeHex(dongle.client, 'FE 0B 25 37 00 00 02 00 F8 FF 07 00 01 00 00 1A')).toBe('FE 01 65 37 C2 91');
  });

  it('ZDO_EXT_ROUTE_CHECK to an address with no route → RTG_NO_ENTRY (0x04)', async () => {
    expect(await exchangeHex(dongle.client, 'FE 04 25 46 34 12 00 00 41')).toBe('FE 01 65 46 04 26');
  });

  it('ZDO_MSG_CB_REGISTER for Mgmt_Lqi_rsp (0x8031) → SUCCESS', async () => {
    expect(await exchangeHex(dongle.client, 'FE 02 25 3E 31 80 A8')).toBe('FE 01 65 3E 00 5A');
    expect(dongle.emulator.state.zdoCallbacks.has(0x8031)).toBe(true);
  });

  it('ZDO_EXT_NWK_INFO before forming: short 0x0000, state HOLD, PAN 0xFFFF, parent 0xFFFE, no ext PAN, channel 0', async () => {
    expect(await exchangeHex(dongle.client, 'FE 00 25 50 75')).toBe('FE 18 65 50 00 00 00 FF FF FE FF 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 2C');
  });

  it('ZDO_NWK_DISCOVERY_REQ (channels 11–26, duration 0) → ZSuccess, then beacons and the confirm', async () => {
    expect(await exchangeHex(dongle.client, 'FE 05 25 26 00 F8 FF 07 00 06')).toBe('FE 01 65 26 00 42');
    const confirm = await dongle.client.areq(5, 0xc7);
    expect([...confirm.data]).toEqual([0x00]);
  });
});
