import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchangeHex, hex } from './mt-client.test-support';
import { bareDongle } from './mt-vectors.test-support';
import { encodeFrame, MtSubsystem, MtType } from './unpi';

// Sources: TI MT_AF.c (AF_REGISTER, AF_DATA_REQUEST, AF_DATA_CONFIRM); status values from Z-Stack's ZComDef.h.
describe('MT AF byte vectors', () => {
  let dongle: Awaited<ReturnType<typeof bareDongle>>;
  beforeAll(async () => (dongle = await bareDongle()));
  afterAll(() => dongle.close());

  it('AF_REGISTER endpoint 1, SE profile 0x0109, device 0x0005 → SUCCESS, then afStatus_DUPLICATE (0xB8)', async () => {
    const register = 'FE 09 24 00 01 09 01 05 00 00 00 00 00 21';
    expect(await exchangeHex(dongle.client, register)).toBe('FE 01 64 00 00 65');
    expect(await exchangeHex(dongle.client, register)).toBe('FE 01 64 00 B8 DD');
  });

  it('AF_DATA_REQUEST to an unknown address: SRSP SUCCESS, then AF_DATA_CONFIRM NWK_NO_ROUTE (0xCD), endpoint, trans id', async () => {
    // dst 0x1234, dst ep 1, src ep 1, cluster 0x0006, trans id 7, options 0, radius 30, no data
    expect(await exchangeHex(dongle.client, 'FE 0A 24 01 34 12 01 01 06 00 07 00 1E 00 16')).toBe('FE 01 64 01 00 64');
    const confirm = await dongle.client.areq(MtSubsystem.AF, 0x80);
    expect(hex(encodeFrame({ ...confirm, type: MtType.AREQ }))).toBe('FE 03 44 80 CD 01 07 0C');
  });
});
