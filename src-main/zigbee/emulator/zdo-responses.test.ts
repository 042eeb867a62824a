import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// herdsman's own ZDO decoder is the oracle for the responses the emulator encodes.
import { Buffalo as BuffaloZdo, ClusterId } from 'zigbee-herdsman/dist/zspec/zdo';
import { createPremisesModel } from '../../premises/premises-model';
import { silentLogger } from '../../util/logger';
import { encodeFrame, MtSubsystem, MtType, UnpiParser, type MtFrame } from './unpi';
import { seDeviceSpecs } from './virtual-se-device';
import { ZnpEmulator } from './znp-emulator';

describe('emulated ZDO responses decode with herdsman’s ZDO parser', () => {
  const model = createPremisesModel(9, 0);
  const esme = model.devices.find((d) => d.type === 'ESME')!;
  let emulator: ZnpEmulator;
  let socket: Socket;
  const frames: MtFrame[] = [];
  let waiters: { match: (f: MtFrame) => boolean; resolve: (f: MtFrame) => void }[] = [];
  const next = (match: (f: MtFrame) => boolean): Promise<MtFrame> => {
    const i = frames.findIndex(match);
    if (i >= 0) return Promise.resolve(frames.splice(i, 1)[0]!);
    return new Promise((resolve) => waiters.push({ match, resolve }));
  };
  const send = (subsystem: MtSubsystem, command: number, data: number[]): void => {
    socket.write(encodeFrame({ type: MtType.SREQ, subsystem, command, data: Buffer.from(data) }));
  };
  const zdo = async (command: number, data: number[], rspCommand: number): Promise<Buffer> => {
    send(MtSubsystem.ZDO, command, data);
    return (await next((f) => f.type === MtType.AREQ && f.subsystem === MtSubsystem.ZDO && f.command === rspCommand)).data;
  };
  let nwk = 0;

  beforeAll(async () => {
    emulator = await ZnpEmulator.start({
      devices: seDeviceSpecs(model.devices).filter((d) => d.type === 'ESME'),
      esmeRegister: model.esmeRegister,
      log: silentLogger,
      joinDelayMs: 1,
    });
    socket = connect(emulator.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const parser = new UnpiParser({
      frame: (f) => {
        const waiter = waiters.find((w) => w.match(f));
        if (waiter) {
          waiters = waiters.filter((w) => w !== waiter);
          waiter.resolve(f);
        } else frames.push(f);
      },
      garbage: () => undefined,
    });
    socket.on('data', (chunk) => parser.push(chunk));
    send(MtSubsystem.SYS, 0x09, [0x8f, 0x00, 0x00, 0x01, 0x01]); // NV ZDO_DIRECT_CB = 1: ZDO responses as their own AREQs
    send(MtSubsystem.APP_CNF, 0x05, [0x04]); // bdbStartCommissioning: form
    await next((f) => f.subsystem === MtSubsystem.ZDO && f.command === 0xc0 && f.data[0] === 9);
    const ieeeLe = [...Buffer.from(esme.eui64, 'hex').reverse()];
    send(MtSubsystem.APP_CNF, 0x04, [0x01, ...ieeeLe, ...Buffer.from(esme.installCode + esme.installCodeCrc, 'hex')]);
    send(MtSubsystem.ZDO, 0x36, [0x0f, 0xfc, 0xff, 60, 1]); // permit join 60 s
    const announce = await next((f) => f.subsystem === MtSubsystem.ZDO && f.command === 0xc1);
    const [, parsed] = BuffaloZdo.readResponse(false, ClusterId.END_DEVICE_ANNOUNCE, announce.data.subarray(2));
    nwk = (parsed as { nwkAddress: number }).nwkAddress;
    expect((parsed as { eui64: string }).eui64).toBe(`0x${esme.eui64.toLowerCase()}`);
  });
  afterAll(async () => {
    socket.destroy();
    await emulator.stop();
  });

  it('node descriptor: a router on 2.4 GHz with stack compliance revision 22', async () => {
    const data = await zdo(0x02, [nwk & 0xff, nwk >> 8, nwk & 0xff, nwk >> 8], 0x82);
    expect(data.readUInt16LE(0)).toBe(nwk); // MT prefix: source address
    const [status, d] = BuffaloZdo.readResponse(false, ClusterId.NODE_DESCRIPTOR_RESPONSE, data.subarray(2)) as [number, Record<string, unknown>];
    expect(status).toBe(0);
    expect(d).toMatchObject({ nwkAddress: nwk, logicalType: 1, frequencyBand: 8, manufacturerCode: 0x1234 });
    expect((d.serverMask as { stackComplianceRevision: number }).stackComplianceRevision).toBe(22);
  });

  it('active endpoints and the SE simple descriptor (profile 0x0109, Metering device 0x0501)', async () => {
    const active = await zdo(0x05, [nwk & 0xff, nwk >> 8, nwk & 0xff, nwk >> 8], 0x85);
    expect(BuffaloZdo.readResponse(false, ClusterId.ACTIVE_ENDPOINTS_RESPONSE, active.subarray(2))).toEqual([0, { nwkAddress: nwk, endpointList: [1] }]);
    const simple = await zdo(0x04, [nwk & 0xff, nwk >> 8, nwk & 0xff, nwk >> 8, 1], 0x84);
    const [status, d] = BuffaloZdo.readResponse(false, ClusterId.SIMPLE_DESCRIPTOR_RESPONSE, simple.subarray(2)) as [number, Record<string, unknown>];
    expect(status).toBe(0);
    expect(d).toMatchObject({ endpoint: 1, profileId: 0x0109, deviceId: 0x0501, inClusterList: [0x0000, 0x0003, 0x000a, 0x0702], outClusterList: [0x000a] });
  });

  it('bind, then the binding table lists it; the coordinator neighbour table lists the meter with its LQI', async () => {
    const meterLe = [...Buffer.from(esme.eui64, 'hex').reverse()];
    const targetLe = [...Buffer.from('00124B0018ED1A5C', 'hex').reverse()];
    const bind = await zdo(0x21, [nwk & 0xff, nwk >> 8, ...meterLe, 1, 0x02, 0x07, 0x03, ...targetLe, 6], 0xa1);
    expect(BuffaloZdo.readResponse(false, ClusterId.BIND_RESPONSE, bind.subarray(2))[0]).toBe(0);
    const table = await zdo(0x33, [nwk & 0xff, nwk >> 8, 0], 0xb3);
    const [, bindings] = BuffaloZdo.readResponse(false, ClusterId.BINDING_TABLE_RESPONSE, table.subarray(2)) as [
      number,
      { bindingTableEntries: number; entryList: Record<string, unknown>[] },
    ];
    expect(bindings.bindingTableEntries).toBe(1);
    expect(bindings.entryList[0]).toMatchObject({
      sourceEui64: `0x${esme.eui64.toLowerCase()}`,
      sourceEndpoint: 1,
      clusterId: 0x0702,
      destAddrMode: 3,
      dest: '0x00124b0018ed1a5c',
      destEndpoint: 6,
    });
    const lqi = await zdo(0x31, [0, 0, 0], 0xb1);
    const [, neighbours] = BuffaloZdo.readResponse(false, ClusterId.LQI_TABLE_RESPONSE, lqi.subarray(2)) as [
      number,
      { neighborTableEntries: number; entryList: Record<string, unknown>[] },
    ];
    expect(neighbours.neighborTableEntries).toBe(1);
    expect(neighbours.entryList[0]).toMatchObject({
      eui64: `0x${esme.eui64.toLowerCase()}`,
      nwkAddress: nwk,
      deviceType: 1,
      rxOnWhenIdle: 1,
      relationship: 1,
      depth: 1,
    });
    expect(neighbours.entryList[0]!.lqi).toBeGreaterThan(0);
    const rtg = await zdo(0x32, [0, 0, 0], 0xb2);
    const [, routes] = BuffaloZdo.readResponse(false, ClusterId.ROUTING_TABLE_RESPONSE, rtg.subarray(2)) as [number, { entryList: Record<string, unknown>[] }];
    expect(routes.entryList).toEqual([expect.objectContaining({ destinationAddress: nwk, nextHopAddress: nwk, status: 'ACTIVE' })]);
  });
});
