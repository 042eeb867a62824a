import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPremisesModel } from '../../premises/premises-model';
import { silentLogger } from '../../util/logger';
import { ieeeBytes, MtClient } from './mt-client.test-support';
import { MtSubsystem, MtType } from './unpi';
import { seDeviceSpecs } from './virtual-se-device';
import { ZnpEmulator } from './znp-emulator';

const ZDO = MtSubsystem.ZDO;
const u32le = (v: number): number[] => [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff];
const ALL_CHANNELS = 0x07fff800;

describe('the RF model over MT', () => {
  const model = createPremisesModel(3, 0);
  const byType = (type: string) => model.devices.find((d) => d.type === type)!;
  let emulator: ZnpEmulator;
  let client: MtClient;
  const nwk = new Map<string, number>();
  const parent = new Map<string, number>();

  beforeAll(async () => {
    emulator = await ZnpEmulator.start({
      devices: seDeviceSpecs(model.devices, model.rf),
      rf: model.rf,
      esmeRegister: model.esmeRegister,
      log: silentLogger,
      joinDelayMs: 1,
      sleepyPollMs: 40,
    });
    client = await MtClient.open(emulator.port);
    await client.sreq(MtSubsystem.SYS, 0x09, [0x8f, 0x00, 0x00, 0x01, 0x01]); // NV ZDO_DIRECT_CB = 1, as hosts set it
    await client.sreq(MtSubsystem.APP_CNF, 0x05, [0x04]); // bdbStartCommissioning: formation
    await client.areq(ZDO, 0xc0, (d) => d[0] === 9);
    await client.sreq(MtSubsystem.AF, 0x00, [1, 0x09, 0x01, 0x05, 0x00, 0, 0, 0, 0]); // SE endpoint 1
    for (const type of ['ESME', 'GSME', 'IHD', 'PPMID']) {
      const d = byType(type);
      await client.sreq(MtSubsystem.APP_CNF, 0x04, [0x01, ...ieeeBytes(d.eui64), ...Buffer.from(d.installCode + d.installCodeCrc, 'hex')]);
    }
    await client.sreq(ZDO, 0x36, [0x0f, 0xfc, 0xff, 60, 1]);
    for (let i = 0; i < 4; i++) {
      const ind = await client.areq(ZDO, 0xca); // ZDO_TC_DEV_IND: nwk, ieee, parent
      const eui64 = Buffer.from(ind.data.subarray(2, 10)).reverse().toString('hex').toUpperCase();
      nwk.set(eui64, ind.data.readUInt16LE(0));
      parent.set(eui64, ind.data.readUInt16LE(10));
    }
  });
  afterAll(async () => {
    client.close();
    await emulator.stop();
  });

  it('joins the gas meter through the electricity meter and the others to the coordinator', () => {
    expect(parent.get(byType('GSME').eui64)).toBe(nwk.get(byType('ESME').eui64));
    for (const type of ['ESME', 'IHD', 'PPMID']) expect(parent.get(byType(type).eui64)).toBe(0x0000);
  });

  it('answers a Mgmt_NWK_Update_req energy scan with the premises’ noise per channel', async () => {
    // dst 0x0000, addr mode 2 (16-bit), all channels, duration 0, count 1, manager 0x0000
    const srsp = await client.sreq(ZDO, 0x37, [0x00, 0x00, 0x02, ...u32le(ALL_CHANNELS), 0, 1, 0x00, 0x00]);
    expect(srsp.data).toEqual(Buffer.from([0x00]));
    const notify = await client.areq(ZDO, 0xb8); // Mgmt_NWK_Update_notify: src, status, channels, totals, count, values
    expect(notify.data.readUInt16LE(0)).toBe(0x0000);
    expect(notify.data[2]).toBe(0x00);
    expect(notify.data.readUInt32LE(3)).toBe(ALL_CHANNELS);
    expect(notify.data[11]).toBe(16);
    const energies = [...notify.data.subarray(12)];
    expect(energies).toHaveLength(16);
    energies.forEach((e, i) => expect(Math.abs(e - model.rf.energy[i]!)).toBeLessThanOrEqual(13));
    const wifi = Math.min(...energies.slice(0, 4));
    expect(wifi).toBeGreaterThan(Math.max(energies[14]!, energies[15]!) + 50);
  });

  it('finds the Comms Hub by its GPF ID and the neighbour’s network in an active scan', async () => {
    const srsp = await client.sreq(ZDO, 0x26, [...u32le(ALL_CHANNELS), 0]); // ZDO_NWK_DISCOVERY_REQ
    expect(srsp.data).toEqual(Buffer.from([0x00]));
    const ind = await client.areq(ZDO, 0xc5); // ZDO_BEACON_NOTIFY_IND
    await client.areq(ZDO, 0xc7, (d) => d[0] === 0); // ZDO_NWK_DISCOVERY_CNF: success
    const count = ind.data[0]!;
    expect(ind.data.length).toBe(1 + 21 * count);
    const beacons = Array.from({ length: count }, (_, i) => ind.data.subarray(1 + 21 * i, 22 + 21 * i)).map((b) => ({
      source: b.readUInt16LE(0),
      panId: b.readUInt16LE(2),
      channel: b[4],
      permitJoin: b[5],
      lqi: b[10],
      depth: b[11],
      extendedPanId: Buffer.from(b.subarray(13, 21)).reverse().toString('hex').toUpperCase(),
    }));
    const hub = model.rf.networks[0]!;
    expect(beacons).toContainEqual({
      source: 0,
      panId: hub.panId,
      channel: hub.channel,
      permitJoin: 0,
      lqi: hub.beaconing[0]!.lqi,
      depth: 0,
      extendedPanId: model.rf.gpf.eui64,
    });
    const neighbour = model.rf.networks[1]!;
    expect(beacons.filter((b) => b.extendedPanId === neighbour.extendedPanId).map((b) => b.depth)).toEqual([0, 1]);
  });

  it('pages the coordinator’s and the ESME’s neighbour tables from the topology', async () => {
    await client.sreq(ZDO, 0x31, [0x00, 0x00, 0]); // Mgmt_Lqi_req to the coordinator, start 0
    const coordinator = (await client.areq(ZDO, 0xb1)).data;
    expect(coordinator.subarray(2, 6)).toEqual(Buffer.from([0x00, 3, 0, 3])); // status, total 3 routers, start 0, 3 listed
    const esmeNwk = nwk.get(byType('ESME').eui64)!;
    const first = await lqiPage(esmeNwk, 0);
    expect(first.total).toBe(4); // coordinator (parent), GSME (child), IHD and PPMID (siblings)
    const second = await lqiPage(esmeNwk, 3);
    expect(second.entries).toHaveLength(1);
    const all = [...first.entries, ...second.entries];
    const gsme = all.find((e) => e.nwk === nwk.get(byType('GSME').eui64))!;
    expect(gsme).toMatchObject({ deviceType: 2, rxOnWhenIdle: 0, relationship: 1, depth: 2, lqi: model.rf.linkLqi.GSME });
    expect(all.find((e) => e.nwk === 0)).toMatchObject({ deviceType: 0, relationship: 0, lqi: model.rf.linkLqi.ESME });
  });

  it('routes to the gas meter through the electricity meter', async () => {
    await client.sreq(ZDO, 0x32, [0x00, 0x00, 0]); // Mgmt_Rtg_req
    const rsp = (await client.areq(ZDO, 0xb2)).data;
    expect(rsp[2]).toBe(0);
    const routes = Array.from({ length: rsp[5]! }, (_, i) => rsp.subarray(6 + 5 * i, 11 + 5 * i)).map((e) => ({
      dst: e.readUInt16LE(0),
      status: e[2],
      next: e.readUInt16LE(3),
    }));
    expect(routes).toContainEqual({ dst: nwk.get(byType('GSME').eui64), status: 0, next: nwk.get(byType('ESME').eui64) });
    expect(routes).toContainEqual({ dst: nwk.get(byType('IHD').eui64), status: 0, next: nwk.get(byType('IHD').eui64) });
  });

  it('carries the last hop’s LQI, MAC source and radius in AF incoming messages, and follows a worsening link', async () => {
    const ihd = await readBasic(nwk.get(byType('IHD').eui64)!, 0x31);
    expect(ihd.lqi).toBe(model.rf.linkLqi.IHD);
    expect(ihd.macSrc).toBe(nwk.get(byType('IHD').eui64));
    expect(ihd.radius).toBe(30);
    const gas = await readBasic(nwk.get(byType('GSME').eui64)!, 0x32);
    expect(gas.lqi).toBe(model.rf.linkLqi.ESME); // heard through the ESME
    expect(gas.macSrc).toBe(nwk.get(byType('ESME').eui64));
    expect(gas.radius).toBe(29);
    emulator.radio.worsenLink(byType('IHD').eui64, { toLqi: 40, overMs: 0 });
    expect((await readBasic(nwk.get(byType('IHD').eui64)!, 0x33)).lqi).toBe(40);
    emulator.radio.clearImpairments();
    expect((await readBasic(nwk.get(byType('IHD').eui64)!, 0x34)).lqi).toBe(model.rf.linkLqi.IHD);
  });

  it('drops a device (no MAC ACK) and reports its rejoin through the trust centre', async () => {
    const ppmid = byType('PPMID');
    emulator.radio.dropDevice(ppmid.eui64, { rejoinAfterMs: 150 });
    const zcl = [0x00, 0x40, 0x00, 0x04, 0x00];
    const target = nwk.get(ppmid.eui64)!;
    await client.sreq(MtSubsystem.AF, 0x01, [target & 0xff, target >> 8, 1, 1, 0x00, 0x00, 0x40, 0, 30, zcl.length, ...zcl]);
    const confirm = await client.areq(MtSubsystem.AF, 0x80, (d) => d[2] === 0x40);
    expect(confirm.data[0]).toBe(0xe9); // MAC_NO_ACK
    const rejoin = await client.areq(ZDO, 0xca, (d) => d.readUInt16LE(0) === target);
    expect(Buffer.from(rejoin.data.subarray(2, 10)).reverse().toString('hex').toUpperCase()).toBe(ppmid.eui64);
    await client.areq(ZDO, 0xc1, (d) => d.readUInt16LE(2) === target);
  });

  it('adds switched-on extra noise to an energy scan', async () => {
    emulator.radio.addNoise([25], 240);
    await client.sreq(ZDO, 0x37, [0x00, 0x00, 0x02, ...u32le(1 << 25), 0, 1, 0x00, 0x00]);
    const notify = await client.areq(ZDO, 0xb8);
    expect(notify.data[11]).toBe(1);
    expect(notify.data[12]).toBeGreaterThan(220);
    emulator.radio.clearImpairments();
  });

  async function lqiPage(dst: number, start: number) {
    await client.sreq(ZDO, 0x31, [dst & 0xff, dst >> 8, start]);
    const d = (await client.areq(ZDO, 0xb1, (data) => data.readUInt16LE(0) === dst)).data;
    const entries = Array.from({ length: d[5]! }, (_, i) => d.subarray(6 + 22 * i, 28 + 22 * i)).map((e) => ({
      nwk: e.readUInt16LE(16),
      deviceType: e[18]! & 0x03,
      rxOnWhenIdle: (e[18]! >> 2) & 0x03,
      relationship: (e[18]! >> 4) & 0x07,
      depth: e[20],
      lqi: e[21],
    }));
    return { total: d[3]!, entries };
  }

  async function readBasic(dst: number, tsn: number) {
    const zcl = [0x00, tsn, 0x00, 0x04, 0x00]; // read ManufacturerName
    await client.sreq(MtSubsystem.AF, 0x01, [dst & 0xff, dst >> 8, 1, 1, 0x00, 0x00, tsn, 0, 30, zcl.length, ...zcl]);
    const msg = await client.next((f) => f.type === MtType.AREQ && f.subsystem === MtSubsystem.AF && f.command === 0x81 && f.data[18] === tsn);
    const len = msg.data[16]!;
    return { lqi: msg.data[9], macSrc: msg.data.readUInt16LE(17 + len), radius: msg.data[19 + len] };
  }
});
