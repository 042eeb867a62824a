import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchangeHex } from './mt-client.test-support';
import { bareDongle } from './mt-vectors.test-support';

// Sources: TI MT_APP_CONFIG.c; zigpy-znp commands/app_config.py (command ids and parameters).
describe('MT APP_CNF byte vectors', () => {
  let dongle: Awaited<ReturnType<typeof bareDongle>>;
  beforeAll(async () => (dongle = await bareDongle()));
  afterAll(() => dongle.close());

  it('BDB_SET_JOINUSESINSTALLCODEKEY (0x06) TRUE → SUCCESS', async () => {
    expect(await exchangeHex(dongle.client, 'FE 01 2F 06 01 29')).toBe('FE 01 6F 06 00 68');
    expect(dongle.emulator.state.joinUsesInstallCodeKey).toBe(true);
  });

  it('BDB_SET_TC_REQUIRE_KEY_EXCHANGE (0x09) FALSE → SUCCESS', async () => {
    expect(await exchangeHex(dongle.client, 'FE 01 2F 09 00 27')).toBe('FE 01 6F 09 00 67');
  });

  it('BDB_SET_CHANNEL (0x08) primary, channel 15 (mask 0x00008000) → SUCCESS', async () => {
    expect(await exchangeHex(dongle.client, 'FE 05 2F 08 01 00 80 00 00 A3')).toBe('FE 01 6F 08 00 66');
    expect(dongle.emulator.state.primaryChannelMask).toBe(0x8000);
  });

  it('BDB_ADD_INSTALLCODE with a wrong CRC → INVALIDPARAMETER', async () => {
    // format 1, IEEE 0807060504030201 (LE), 16-byte code, CRC C3B5 with its last bit flipped (C3B4)
    const frame = Buffer.from('FE 1B 2F 04 01 01 02 03 04 05 06 07 08 83 FE D3 40 7A 93 97 23 A5 C6 39 B2 69 16 D5 05 C3 B4'.replace(/ /g, ''), 'hex');
    let fcs = 0;
    for (const b of frame.subarray(1)) fcs ^= b;
    const request = [...frame, fcs].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    expect(await exchangeHex(dongle.client, request)).toBe('FE 01 6F 04 02 68');
  });
});
