import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchangeHex } from './mt-client.test-support';
import { bareDongle } from './mt-vectors.test-support';

// Sources: TI MT_UTIL.c (Z-Stack 3.x.0 sends associated_devices_t raw); zigpy-znp commands/util.py (36 bytes on CC26x2).
describe('MT UTIL byte vectors', () => {
  let dongle: Awaited<ReturnType<typeof bareDongle>>;
  beforeAll(async () => (dongle = await bareDongle()));
  afterAll(() => dongle.close());

  it('UTIL_GET_DEVICE_INFO on a factory-new dongle: status, IEEE (LE), 0x0000, type bitmap 7, state HOLD, no children', async () => {
    expect(await exchangeHex(dongle.client, 'FE 00 27 00 27')).toBe('FE 0E 67 00 00 5C 1A ED 18 00 4B 12 00 00 00 07 00 00 84');
  });

  it('UTIL_ASSOC_FIND_DEVICE with no device: the 36-byte aligned structure, shortAddr 0xFFFE, nodeRelation NOTUSED', async () => {
    const empty = `FE FF FF FF FF ${Array.from({ length: 31 }, () => '00').join(' ')}`;
    expect(await exchangeHex(dongle.client, 'FE 01 27 49 00 6F')).toBe(`FE 24 67 49 ${empty} F4`);
  });
});
