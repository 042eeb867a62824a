import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPremisesModel } from '../../premises/premises-model';
import { silentLogger } from '../../util/logger';
import { ieeeBytes, MtClient } from './mt-client.test-support';
import { MtSubsystem, type MtFrame } from './unpi';
import { seDeviceSpecs } from './virtual-se-device';
import { ZnpEmulator } from './znp-emulator';

/**
 * A second, minimal Z-Stack host — not herdsman — written from TI's MT documentation and sources and from the
 * sequence zigpy-znp (another published host) sends. Every frame names its source:
 *   [MT_SYS]   TI Z-Stack Monitor and Test API, SYS interface; TI MT_SYS.c (simplelink-lowpower-f2-sdk, source/ti/zstack/mt)
 *   [MT_UTIL]  TI MT_UTIL.c; zigpy-znp zigpy_znp/commands/util.py (AssocFindDevice → raw associated_devices_t)
 *   [MT_ZDO]   TI MT_ZDO.c (MT_ZdoMgmtNwkUpdateRequest, MT_ZdoNetworkDiscoveryReq, MT_ZdoBeaconIndCB, MT_ZdoSendMsgCB)
 *   [MT_AF]    TI MT_AF.c (AF_DATA_REQUEST_EXT, AF_DATA_CONFIRM); zigpy-znp zigpy_znp/commands/af.py
 *   [MT_APP_CNF] TI MT_APP_CONFIG.c; zigpy-znp zigpy_znp/commands/app_config.py
 *   [zigpy-znp] zigpy_znp/api.py and zigpy_znp/zigbee/application.py: start-up, energy scan, network backup order
 */

const SYS = MtSubsystem.SYS;
const ZDO = MtSubsystem.ZDO;
const AF = MtSubsystem.AF;
const u16le = (v: number): number[] => [v & 0xff, (v >> 8) & 0xff];
const u32le = (v: number): number[] => [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff];

/** The host: raw MT frames only. */
class MinimalZstackHost {
  constructor(readonly mt: MtClient) {}

  /** [MT_SYS] SYS_OSAL_NV_READ (0x21 0x08): id (2), offset (1) → status, length, value. */
  async nvRead(id: number): Promise<Buffer | undefined> {
    const rsp = await this.mt.sreq(SYS, 0x08, [...u16le(id), 0]);
    return rsp.data[0] === 0 ? rsp.data.subarray(2, 2 + rsp.data[1]!) : undefined;
  }

  /** [MT_SYS] SYS_OSAL_NV_WRITE (0x21 0x09): id (2), offset (1), length (1), value → status. */
  async nvWrite(id: number, value: number[]): Promise<number> {
    return (await this.mt.sreq(SYS, 0x09, [...u16le(id), 0, value.length, ...value])).data[0]!;
  }

  /** [MT_SYS] SYS_NV_READ (0x21 0x33): sys id, item id (2), sub id (2), offset (2), length (1) → status, length, value. */
  async nvReadExt(item: number, sub: number, length: number): Promise<Buffer> {
    const rsp = await this.mt.sreq(SYS, 0x33, [0x01, ...u16le(item), ...u16le(sub), 0, 0, length]);
    expect(rsp.data[0]).toBe(0);
    return rsp.data.subarray(2);
  }

  /** [MT_SYS] SYS_RESET_REQ (0x41 0x00, an AREQ) → SYS_RESET_IND (0x41 0x80). */
  async reset(): Promise<MtFrame> {
    this.mt.socket.write(Buffer.from([0xfe, 0x01, 0x41, 0x00, 0x00, 0x40]));
    return this.mt.areq(SYS, 0x80);
  }

  /** [MT_APP_CNF] BDB_SET_CHANNEL (0x2F 0x08) primary mask, then BDB_START_COMMISSIONING (0x2F 0x05) formation (0x04). */
  async form(channelMask: number): Promise<void> {
    expect((await this.mt.sreq(MtSubsystem.APP_CNF, 0x08, [1, ...u32le(channelMask)])).data[0]).toBe(0);
    expect((await this.mt.sreq(MtSubsystem.APP_CNF, 0x08, [0, ...u32le(0)])).data[0]).toBe(0);
    expect((await this.mt.sreq(MtSubsystem.APP_CNF, 0x05, [0x04])).data[0]).toBe(0);
    await this.mt.areq(ZDO, 0xc0, (d) => d[0] === 9); // ZDO_STATE_CHANGE_IND: DEV_ZB_COORD
    await this.mt.areq(MtSubsystem.APP_CNF, 0x80); // BDB commissioning notification
  }

  /** [MT_ZDO] ZDO_MSG_CB_REGISTER (0x25 0x3E): the ZDO response clusters this host wants as ZDO_MSG_CB_INCOMING. */
  async registerZdoCallbacks(clusters: number[]): Promise<void> {
    for (const cluster of clusters) expect((await this.mt.sreq(ZDO, 0x3e, u16le(cluster))).data[0]).toBe(0);
  }

  /**
   * [MT_AF] AF_DATA_REQUEST_EXT (0x24 0x02): mode 2 (16-bit), dst (8), dst ep 0, PAN, src ep 0, ZDO cluster, trans id,
   * options, radius, len (2), [seq, payload]; → AF_DATA_CONFIRM, then [MT_ZDO] ZDO_MSG_CB_INCOMING (0x45 0xFF):
   * src, wasBroadcast, cluster, securityUse, seq, macDst, response.
   */
  async zdoOverAf(dst: number, cluster: number, payload: number[], seq: number): Promise<Buffer> {
    const data = [seq, ...payload];
    const frame = [0x02, ...u16le(dst), 0, 0, 0, 0, 0, 0, 0x00, 0x00, 0x00, 0x00, ...u16le(cluster), seq, 0x00, 30, ...u16le(data.length), ...data];
    expect((await this.mt.sreq(AF, 0x02, frame)).data[0]).toBe(0);
    await this.mt.areq(AF, 0x80, (d) => d[2] === seq && d[0] === 0);
    const incoming = await this.mt.areq(ZDO, 0xff, (d) => d.readUInt16LE(3) === (cluster | 0x8000) && d[6] === seq);
    expect(incoming.data.readUInt16LE(0)).toBe(dst);
    return incoming.data.subarray(9);
  }
}

describe('a second, independent Z-Stack host drives the emulator with documented MT frames only', () => {
  const model = createPremisesModel(5, 0);
  const esme = model.devices.find((d) => d.type === 'ESME')!;
  let emulator: ZnpEmulator;
  let host: MinimalZstackHost;
  let chosenChannel = 0;

  beforeAll(async () => {
    emulator = await ZnpEmulator.start({
      devices: seDeviceSpecs(model.devices, model.rf),
      rf: model.rf,
      esmeRegister: model.esmeRegister,
      log: silentLogger,
      joinDelayMs: 1,
      sleepyPollMs: 40,
    });
    host = new MinimalZstackHost(await MtClient.open(emulator.port));
  });
  afterAll(async () => {
    host.mt.close();
    await emulator.stop();
  });

  it('connects: ping, version (Z-Stack 3.x.0), AssocFindDevice answers the 36-byte aligned structure', async () => {
    expect((await host.mt.sreq(SYS, 0x01)).data.length).toBe(2); // [MT_SYS] SYS_PING → capabilities (2)
    const version = (await host.mt.sreq(SYS, 0x02)).data; // [MT_SYS] SYS_VERSION → transport, product, major, minor, maint, revision (4)
    expect(version.length).toBe(9);
    expect(version[1]).toBe(1); // product id 1: Z-Stack 3.x.0 (zigpy-znp's ZnpVersion detection)
    const assoc = await host.mt.sreq(MtSubsystem.UTIL, 0x49, [0]); // [MT_UTIL] UTIL_ASSOC_FIND_DEVICE, index 0
    expect(assoc.subsystem).toBe(MtSubsystem.UTIL);
    expect(assoc.data.length).toBe(36); // zigpy-znp sizes the CC26x2 struct this way to detect alignment
    expect(assoc.data.readUInt16LE(0)).toBe(0xfffe); // no device yet
  });

  it('NV-based start-up checks find the items a Z-Stack 3.x coordinator creates at boot', async () => {
    // [zigpy-znp] reads these on start-up; [MT_SYS] SYS_OSAL_NV_LENGTH (0x21 0x13) answers 2 bytes, SYS_NV_LENGTH 4.
    for (const id of [0x0001, 0x0003, 0x0024, 0x0030, 0x0032, 0x0033, 0x0036, 0x0038, 0x003e, 0x0055, 0x0087, 0x008f, 0x0101]) {
      const length = await host.mt.sreq(SYS, 0x13, u16le(id));
      expect(length.data.length).toBe(2);
      expect(length.data.readUInt16LE(0), `NV 0x${id.toString(16)}`).toBeGreaterThan(0);
    }
    expect(
      Buffer.from((await host.nvRead(0x0001))!)
        .reverse()
        .toString('hex')
        .toUpperCase(),
    ).toBe(emulator.ieee);
    expect([...(await host.nvRead(0x0055))!]).toEqual([0]); // not on a network yet
    const tclkLength = await host.mt.sreq(SYS, 0x32, [0x01, ...u16le(0x0004), ...u16le(0)]); // [MT_SYS] SYS_NV_LENGTH, TCLK table entry 0
    expect(tclkLength.data.length).toBe(4);
    expect(tclkLength.data.readUInt32LE(0)).toBe(19);
  });

  it('forms an ephemeral network, energy-scans, and re-forms on the quietest channel', async () => {
    expect(await host.nvWrite(0x008f, [1])).toBe(0); // ZDO_DIRECT_CB, as [zigpy-znp] sets it
    expect(await host.nvWrite(0x0083, [0xff, 0xff])).toBe(0); // PAN ID 0xFFFF: let the stack pick
    await host.form(1 << 11);
    const nib = (await host.nvRead(0x0021))!;
    expect(nib.readUInt16LE(33)).not.toBe(0xffff); // a random PAN ID, never 0xFFFF literally
    expect([...(await host.nvRead(0x0055))!]).toEqual([1]);
    // [MT_ZDO] ZDO_MGMT_NWK_UPDATE_REQ (0x25 0x37): dst 0x0000, mode 2, channels 11–26, duration 2, count 1, manager 0
    expect((await host.mt.sreq(ZDO, 0x37, [0x00, 0x00, 0x02, ...u32le(0x07fff800), 2, 1, 0x00, 0x00])).data[0]).toBe(0);
    const notify = await host.mt.areq(ZDO, 0xb8); // ZDO_MGMT_NWK_UPDATE_NOTIFY: src, status, channels, totals, count, values
    const energies = [...notify.data.subarray(12, 12 + notify.data[11]!)];
    chosenChannel = 11 + energies.indexOf(Math.min(...energies));
    expect(chosenChannel).toBeGreaterThan(14); // the household Wi-Fi covers 11–14
    // Re-form: [zigpy-znp] STARTUP_OPTION = clear state and config (0x03), reset, then form on the chosen channel.
    expect(await host.nvWrite(0x0003, [0x03])).toBe(0);
    const ind = await host.reset();
    expect([...ind.data.subarray(1, 5)]).toEqual([2, 1, 2, 7]); // transport rev, product, major, minor
    expect(await host.nvWrite(0x008f, [1])).toBe(0);
    await host.form(1 << chosenChannel);
    expect((await host.nvRead(0x0021))![22]).toBe(chosenChannel);
  });

  it('backs the network up: NIB, key info, TCLK and APS key tables, security material', async () => {
    const nib = (await host.nvRead(0x0021))!; // ZCD_NV_NIB
    expect(nib.length).toBe(110);
    const keyInfo = (await host.nvRead(0x003a))!; // ZCD_NV_NWK_ACTIVE_KEY_INFO: seq + key
    expect(keyInfo.length).toBe(17);
    expect((await host.nvReadExt(0x0004, 0, 19)).length).toBe(19); // ZCD_NV_EX_TCLK_TABLE entry 0
    expect((await host.nvReadExt(0x0006, 0, 24)).length).toBe(24); // ZCD_NV_EX_APS_KEY_DATA_TABLE entry 0
    const material = await host.nvReadExt(0x0007, 0, 12); // ZCD_NV_EX_NWK_SEC_MATERIAL_TABLE: frame counter + ext PAN ID
    expect(material.subarray(4, 12)).toEqual(nib.subarray(53, 61));
  });

  it('permits joining with an install code and interviews the device through AF DataRequestExt', async () => {
    // [MT_APP_CNF] APP_CNF_BDB_ADD_INSTALLCODE (0x2F 0x04): format 1 (code + CRC), ieee, code
    const code = Buffer.from(esme.installCode + esme.installCodeCrc, 'hex');
    expect((await host.mt.sreq(MtSubsystem.APP_CNF, 0x04, [0x01, ...ieeeBytes(esme.eui64), ...code])).data[0]).toBe(0);
    // [MT_ZDO] ZDO_MGMT_PERMIT_JOIN_REQ (0x25 0x36): mode 0x0F broadcast, dst 0xFFFC, 60 s, TC significance 1
    expect((await host.mt.sreq(ZDO, 0x36, [0x0f, 0xfc, 0xff, 60, 1])).data[0]).toBe(0);
    const tcDevice = await host.mt.areq(ZDO, 0xca, (d) => Buffer.from(d.subarray(2, 10)).reverse().toString('hex').toUpperCase() === esme.eui64);
    const nwk = tcDevice.data.readUInt16LE(0);
    await host.registerZdoCallbacks([0x8002, 0x8005, 0x8004, 0x8031]);
    const node = await host.zdoOverAf(nwk, 0x0002, u16le(nwk), 0x21); // Node_Desc_req
    expect(node[0]).toBe(0);
    expect(node[3]! & 0x07).toBe(1); // logical type: router
    const active = await host.zdoOverAf(nwk, 0x0005, u16le(nwk), 0x22); // Active_EP_req
    expect([...active.subarray(3)]).toEqual([1, 1]);
    const simple = await host.zdoOverAf(nwk, 0x0004, [...u16le(nwk), 1], 0x23); // Simple_Desc_req, endpoint 1
    expect(simple.readUInt16LE(5)).toBe(0x0109); // Smart Energy profile
    const own = await host.zdoOverAf(0x0000, 0x0031, [0], 0x24); // Mgmt_Lqi_req to the coordinator itself
    expect(own[0]).toBe(0);
    expect(own[3]).toBe(1); // one entry: the ESME
  });

  it('finds the Comms Hub and the neighbour’s network in an active scan', async () => {
    // [MT_ZDO] ZDO_NWK_DISCOVERY_REQ (0x25 0x26): channels, duration → ZDO_BEACON_NOTIFY_IND (0x45 0xC5), ZDO_NWK_DISCOVERY_CNF (0x45 0xC7)
    expect((await host.mt.sreq(ZDO, 0x26, [...u32le(0x07fff800), 1])).data[0]).toBe(0);
    const beacons = await host.mt.areq(ZDO, 0xc5);
    await host.mt.areq(ZDO, 0xc7);
    const extPanIds = Array.from({ length: beacons.data[0]! }, (_, i) =>
      Buffer.from(beacons.data.subarray(14 + 21 * i, 22 + 21 * i))
        .reverse()
        .toString('hex')
        .toUpperCase(),
    );
    expect(extPanIds).toContain(model.rf.gpf.eui64);
    expect(extPanIds).toContain(model.rf.networks[1]!.extendedPanId);
  });
});
