import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchangeHex } from './mt-client.test-support';
import { bareDongle } from './mt-vectors.test-support';

// Whole-frame vectors: SOF FE | LEN | CMD0 (type << 5 | subsystem) | CMD1 | data | FCS (xor of LEN..data).
// Sources: TI Z-Stack Monitor and Test API (SYS interface; its SYS_PING example is FE 00 21 01 20) and TI MT_SYS.c.
describe('MT SYS byte vectors', () => {
  let dongle: Awaited<ReturnType<typeof bareDongle>>;
  beforeAll(async () => (dongle = await bareDongle()));
  afterAll(() => dongle.close());

  it('SYS_PING → capabilities 0x0659 (SYS MAC NWK AF ZDO SAPI UTIL DEBUG APP APP_CNF)', async () => {
    expect(await exchangeHex(dongle.client, 'FE 00 21 01 20')).toBe('FE 02 61 01 59 06 3D');
  });

  it('SYS_VERSION → transport 2, product 1 (Z-Stack 3.x.0), 2.7.1, revision 20230507', async () => {
    expect(await exchangeHex(dongle.client, 'FE 00 21 02 23')).toBe('FE 09 61 02 02 01 02 07 01 6B B1 34 01 82');
  });

  it('SYS_OSAL_NV_LENGTH answers 2 bytes: NWKKEY (0x0082) is 21 bytes', async () => {
    expect(await exchangeHex(dongle.client, 'FE 02 21 13 82 00 B2')).toBe('FE 02 61 13 15 00 65');
  });

  it('SYS_NV_LENGTH (extended) answers 4 bytes as MT_SysNvLength does: TCLK table entry 0 is 19 bytes', async () => {
    // sys id 1 (ZSTACK), item 0x0004 (TCLK table), sub id 0
    expect(await exchangeHex(dongle.client, 'FE 05 21 32 01 04 00 00 00 13')).toBe('FE 04 61 32 13 00 00 00 44');
  });

  it('SYS_OSAL_NV_READ of bdbNodeIsOnANetwork (0x0055) on a factory-new dongle: status 0, length 1, value 0', async () => {
    expect(await exchangeHex(dongle.client, 'FE 03 21 08 55 00 00 7F')).toBe('FE 03 61 08 00 01 00 6B');
  });

  it('an unknown SYS command → RPC_SYS_COMMAND_ERROR on RES0: MT_RPC_ERR_COMMAND_ID, CMD0, CMD1', async () => {
    expect(await exchangeHex(dongle.client, 'FE 00 21 7E 5F')).toBe('FE 03 60 00 02 21 7E 3E');
  });

  it('an unknown subsystem (0x0B) → MT_RPC_ERR_SUBSYSTEM', async () => {
    expect(await exchangeHex(dongle.client, 'FE 00 2B 00 2B')).toBe('FE 03 60 00 01 2B 00 49');
  });
});
