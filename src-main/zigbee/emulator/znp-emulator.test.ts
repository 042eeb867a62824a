import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPremisesModel } from '../../premises/premises-model';
import { silentLogger } from '../../util/logger';
import { MtClient } from './mt-client.test-support';
import { encodeFrame, MtSubsystem, MtType, type MtFrame } from './unpi';
import { seDeviceSpecs } from './virtual-se-device';
import { ZnpEmulator } from './znp-emulator';

describe('ZnpEmulator at the MT level', () => {
  let emulator: ZnpEmulator;
  let client: MtClient;
  beforeEach(async () => {
    const model = createPremisesModel(3, 0);
    emulator = await ZnpEmulator.start({ devices: seDeviceSpecs(model.devices), esmeRegister: model.esmeRegister, log: silentLogger });
    client = await MtClient.open(emulator.port);
  });
  afterEach(async () => {
    client.socket.destroy();
    await emulator.stop();
  });

  it('answers SYS ping and version as a Z-Stack 3.x.0 coordinator', async () => {
    expect((await client.sreq(MtSubsystem.SYS, 0x01)).subsystem).toBe(MtSubsystem.SYS);
    const version = await client.sreq(MtSubsystem.SYS, 0x02);
    expect(version.data[1]).toBe(1); // product 1 = Z-Stack 3.x.0
    expect(emulator.exchanges).toBe(2);
  });

  it('reports the 21-byte NWKKEY item (unaligned NV) and zero length for absent items', async () => {
    expect((await client.sreq(MtSubsystem.SYS, 0x13, [0x82, 0x00])).data).toEqual(Buffer.from([21, 0]));
    expect((await client.sreq(MtSubsystem.SYS, 0x13, [0x21, 0x00])).data).toEqual(Buffer.from([0, 0]));
  });

  it('creates, writes and reads back an NV item (item init answers NV_ITEM_UNINIT when created)', async () => {
    expect((await client.sreq(MtSubsystem.SYS, 0x07, [0x60, 0x00, 0x01, 0x00, 0x01, 0x00])).data).toEqual(Buffer.from([0x09]));
    expect((await client.sreq(MtSubsystem.SYS, 0x1d, [0x60, 0x00, 0x00, 0x00, 0x01, 0x00, 0x55])).data).toEqual(Buffer.from([0x00]));
    expect((await client.sreq(MtSubsystem.SYS, 0x1c, [0x60, 0x00, 0x00, 0x00])).data).toEqual(Buffer.from([0x00, 0x01, 0x55]));
  });

  it('answers unknown commands and truncated frames with the RPC error and keeps serving', async () => {
    const unknown = await client.sreq(MtSubsystem.SYS, 0x7e);
    expect(unknown).toMatchObject({ subsystem: MtSubsystem.RES0, command: 0 });
    expect(unknown.data[0]).toBe(0x02); // MT_RPC_ERR_COMMAND_ID
    const short = await client.sreq(MtSubsystem.SYS, 0x13, [0x82]); // osalNvLength needs 2 bytes
    expect(short.subsystem).toBe(MtSubsystem.RES0);
    expect(short.data[0]).toBe(0x04); // MT_RPC_ERR_LENGTH
    client.socket.write(Buffer.from([0xfe, 0x05, 0x21, 0x01, 0x00])); // truncated frame with a lying length …
    client.socket.write(Buffer.from([0x00, 0x13, 0x37, 0xff, 0xff, 0xff])); // … then garbage with a bad FCS
    expect((await client.sreq(MtSubsystem.SYS, 0x01)).subsystem).toBe(MtSubsystem.SYS);
  });

  it('refuses a device whose install code was not added while joining is open', async () => {
    const events: string[] = [];
    emulator.on('event', (e) => events.push(e.kind));
    // Form a network: bdbStartCommissioning(formation) then open joining for 10 s.
    await client.sreq(MtSubsystem.APP_CNF, 0x05, [0x04]);
    await client.next((f) => f.subsystem === MtSubsystem.ZDO && f.command === 0xc0 && f.data[0] === 9);
    await client.sreq(MtSubsystem.ZDO, 0x36, [0x0f, 0xfc, 0xff, 10, 1]);
    const refused = new Promise<void>((resolve) => emulator.on('event', (e) => e.kind === 'join-refused' && resolve()));
    await refused;
    expect(events).not.toContain('joined');
    expect(emulator.devices.every((d) => !d.joined)).toBe(true);
  });

  it('rejects an install code with a bad CRC in bdbAddInstallCode', async () => {
    const ieee = [1, 2, 3, 4, 5, 6, 7, 8];
    const code = Buffer.from('83FED3407A939723A5C639B26916D505C3B5', 'hex');
    expect((await client.sreq(MtSubsystem.APP_CNF, 0x04, [0x01, ...ieee, ...code])).data[0]).toBe(0x00);
    code[17] ^= 1;
    expect((await client.sreq(MtSubsystem.APP_CNF, 0x04, [0x01, ...ieee, ...code])).data[0]).toBe(0x02);
  });

  it('answers Metering only on the SE profile: an HA-profile read gets UNSUPPORTED_CLUSTER', async () => {
    const model = createPremisesModel(3, 0);
    const esme = model.devices.find((d) => d.type === 'ESME')!;
    await client.sreq(MtSubsystem.APP_CNF, 0x05, [0x04]);
    await client.next((f) => f.subsystem === MtSubsystem.ZDO && f.command === 0xc0 && f.data[0] === 9);
    // Endpoint 1 = HA (0x0104), endpoint 6 = SE (0x0109), no clusters.
    await client.sreq(MtSubsystem.AF, 0x00, [1, 0x04, 0x01, 0x05, 0x00, 0, 0, 0, 0]);
    await client.sreq(MtSubsystem.AF, 0x00, [6, 0x09, 0x01, 0x05, 0x00, 0, 0, 0, 0]);
    const ieeeLe = [...Buffer.from(esme.eui64, 'hex').reverse()];
    const code = [...Buffer.from(esme.installCode + esme.installCodeCrc, 'hex')];
    expect((await client.sreq(MtSubsystem.APP_CNF, 0x04, [0x01, ...ieeeLe, ...code])).data[0]).toBe(0);
    await client.sreq(MtSubsystem.ZDO, 0x36, [0x0f, 0xfc, 0xff, 30, 1]);
    const joined = await client.next((f) => f.subsystem === MtSubsystem.ZDO && f.command === 0xca); // tcDeviceInd
    const nwk = joined.data.readUInt16LE(0);
    const read = (srcEp: number, tsn: number): Promise<MtFrame> => {
      const zcl = [0x00, tsn, 0x00, 0x00, 0x00]; // read CurrentSummationDelivered
      // AF.dataRequest: dst, dst ep 1, src ep, cluster 0x0702, trans id, options, radius, len, data
      void client.sreq(MtSubsystem.AF, 0x01, [nwk & 0xff, nwk >> 8, 1, srcEp, 0x02, 0x07, tsn, 0, 30, zcl.length, ...zcl]);
      return client.next((f) => f.subsystem === MtSubsystem.AF && f.command === 0x81 && f.data[18] === tsn);
    };
    const ha = await read(1, 0x51);
    const haZcl = ha.data.subarray(17);
    expect(haZcl[2]).toBe(0x0b); // Default Response …
    expect(haZcl[4]).toBe(0xc3); // … UNSUPPORTED_CLUSTER
    const se = await read(6, 0x52);
    const seZcl = se.data.subarray(17);
    expect(seZcl[2]).toBe(0x01); // Read Attributes Response
    expect(seZcl.readUInt16LE(3)).toBe(0x0000);
    expect(seZcl[5]).toBe(0x00); // SUCCESS
    expect(seZcl[6]).toBe(0x25); // uint48
  });

  it('survives a seeded fuzz of framed and unframed garbage and still answers', async () => {
    let state = 12345;
    const random = (n: number): number => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state % n;
    };
    const subsystems = [MtSubsystem.SYS, MtSubsystem.AF, MtSubsystem.ZDO, MtSubsystem.UTIL, MtSubsystem.APP_CNF, 3, 9, 31];
    for (let i = 0; i < 1500; i++) {
      const data = Buffer.from(Array.from({ length: random(40) }, () => random(256)));
      if (random(4) === 0) {
        client.socket.write(data); // unframed bytes
      } else {
        const type = random(2) === 0 ? MtType.SREQ : MtType.AREQ;
        client.socket.write(encodeFrame({ type, subsystem: subsystems[random(subsystems.length)]!, command: random(256), data }));
      }
    }
    // The emulator may be busy answering the fuzz; a ping still gets its answer.
    client.socket.write(encodeFrame({ type: MtType.SREQ, subsystem: MtSubsystem.SYS, command: 0x02, data: Buffer.alloc(0) }));
    const version = await client.next((f) => f.type === MtType.SRSP && f.subsystem === MtSubsystem.SYS && f.command === 0x02 && f.data.length === 9);
    expect(version.data[1]).toBe(1);
  });
});
