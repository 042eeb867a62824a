import { claimedPorts } from '../link/port-claims';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { esmeImportWh } from '../premises/premises-model';
import { silentLogger } from '../util/logger';
import { NV } from './emulator/nv-memory';
import { seDeviceSpecs } from './emulator/virtual-se-device';
import { ZnpEmulator } from './emulator/znp-emulator';
import { isHerdsmanDefault, SE_PREFERRED_CHANNELS } from './network-params';
import { FROZEN_NOW, startRig, type Rig } from './test-rig.test-support';

// herdsman 11.1.1 against the Z-Stack emulator over TCP. One rig per describe: herdsman keeps process-wide state,
// so these run one after another in this file. A fresh start costs herdsman's own 3 s NIB-settle wait.

describe('HAN coordinator: network formation and resume', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(async () => rig.close());

  it('forms a fresh network with the job’s random, non-default parameters on an SE channel', async () => {
    const network = rig.service.network;
    expect(isHerdsmanDefault(network)).toBe(false);
    expect(SE_PREFERRED_CHANNELS).toContain(network.channel);
    expect(await rig.service.start()).toBe('formed');
    const status = rig.service.status();
    expect(status).toMatchObject({ state: 'running', panId: network.panId, channel: network.channel, extendedPanId: network.extendedPanId });
    expect(status.coordinatorIeee).toBe(rig.emulator.ieee);
    // What the coordinator holds is what the job chose (NV as written by herdsman).
    const nv = rig.emulator.nv;
    expect(nv.get(NV.PANID)!.readUInt16LE(0)).toBe(network.panId);
    expect(nv.get(NV.NWK_ACTIVE_KEY_INFO)!.subarray(1).toString('hex').toUpperCase()).toBe(network.networkKey);
    expect(Buffer.from(nv.get(NV.EXTENDED_PAN_ID)!).reverse().toString('hex').toUpperCase()).toBe(network.extendedPanId);
    // herdsman's coordinator backup is saved with the job.
    expect(existsSync(rig.service.files.backup)).toBe(true);
    const backup = JSON.parse(readFileSync(rig.service.files.backup, 'utf8')) as { network_key: { key: string }; pan_id: string; channel: number };
    expect(backup.network_key.key.toUpperCase()).toBe(network.networkKey);
    expect(backup.channel).toBe(network.channel);
  });

  it('resumes the same network from the job folder', async () => {
    const before = rig.service.network;
    const path = `tcp://127.0.0.1:${rig.emulator.port}`;
    // While herdsman holds the dongle, discovery sees it in use; stopping frees it.
    expect(claimedPorts().has(path)).toBe(true);
    await rig.service.stop();
    expect(claimedPorts().has(path)).toBe(false);
    rig.service = await rig.openService();
    expect(rig.service.network).toEqual(before);
    expect(await rig.service.start()).toBe('resumed');
    expect(rig.service.status()).toMatchObject({ state: 'running', panId: before.panId, channel: before.channel });
  });

  it('restores the network from the job’s backup onto another dongle, with its devices still on it', async () => {
    const esme = rig.model.devices.find((d) => d.type === 'ESME')!;
    expect((await rig.service.addDevice(esme.label)).ok).toBe(true);
    await rig.service.openJoinWindow(60);
    await rig.waitFor(() => rig.service.device(esme.eui64)?.state === 'ready', 10_000, 'ESME ready');
    const before = rig.service.status();
    await rig.service.stop();
    // A second, factory-new dongle with a different address takes over (the first one "broke").
    const other = await ZnpEmulator.start({
      devices: seDeviceSpecs(rig.model.devices),
      esmeRegister: rig.model.esmeRegister,
      log: silentLogger,
      ieee: '00124B00AAAAAAAA',
      now: () => FROZEN_NOW,
    });
    try {
      rig.service = await rig.openService({ path: `tcp://127.0.0.1:${other.port}` });
      expect(await rig.service.start()).toBe('restored');
      expect(rig.service.status()).toMatchObject({ state: 'running', panId: before.panId, extendedPanId: before.extendedPanId, channel: before.channel });
      expect(other.ieee).toBe(before.coordinatorIeee);
      expect(other.nv.get(NV.NWK_ACTIVE_KEY_INFO)!.subarray(1).toString('hex').toUpperCase()).toBe(rig.service.network.networkKey);
      // The ESME never re-joined: it is still on the (same) network and answers through the new dongle.
      expect(other.device(esme.eui64)!.joined).toBe(true);
      const reading = await rig.service.readMetering(esme.eui64);
      expect(reading.raw).toBe(esmeImportWh(rig.model.esmeRegister, FROZEN_NOW));
    } finally {
      await rig.service.stop();
      await other.stop();
    }
  });
});

describe('HAN coordinator: install-code joining, interview, SE reads and IHD pairing', () => {
  let rig: Rig;
  const byType = (type: string) => rig.model.devices.find((d) => d.type === type)!;
  // A second IHD whose install code is never added, and a spare PPMID used for the device-log refusal.
  const unlisted = { type: 'IHD' as const, eui64: 'A1B2C3D4E5F60718', installCode: '0102030405060708090A0B0C0D0E0F10', installCodeCrc: '', sleepy: false };
  const spare = { type: 'PPMID' as const, eui64: 'A1B2C3D4E5F60719', installCode: '83FED3407A939723A5C639B26916D505', installCodeCrc: 'C3B5', sleepy: false };

  beforeAll(async () => {
    rig = await startRig({ devices: (model) => [...seDeviceSpecs(model.devices), unlisted, spare] });
    await rig.service.start();
  });
  afterAll(async () => rig.close());

  it('rejects a wrong-CRC install code, keeping the computed CRC as a diagnostic', async () => {
    const esme = byType('ESME');
    const wrong = (parseInt(esme.installCodeCrc, 16) ^ 0x0101).toString(16).toUpperCase().padStart(4, '0');
    const result = await rig.service.addDevice(`Z:${esme.eui64}$I:${esme.installCode}${wrong}`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ code: 'BAD_CRC', expectedCrc: esme.installCodeCrc });
    expect(result.error.message).toMatch(/misread/);
    expect(rig.service.deviceLog()).toHaveLength(0);
  });

  it('joins and interviews the 4 whitelisted devices; a device whose code was not added is refused', async () => {
    for (const type of ['ESME', 'GSME', 'IHD', 'PPMID']) expect((await rig.service.addDevice(byType(type).label)).ok).toBe(true);
    const window = await rig.service.openJoinWindow(3600);
    expect(window.endsAtMs).toBeGreaterThan(Date.now() + 3_500_000);
    expect(rig.service.status().joinWindow).toMatchObject({ open: true });
    await rig.waitFor(() => rig.service.devices().filter((d) => d.state === 'ready').length === 4, 25_000, '4 ready devices');
    const types = Object.fromEntries(rig.service.devices().map((d) => [d.eui64, d.type]));
    for (const type of ['ESME', 'GSME', 'IHD', 'PPMID']) expect(types[byType(type).eui64]).toBe(type);
    const timeline = rig.service.device(byType('ESME').eui64)!.timeline.map((e) => e.state);
    expect(timeline).toEqual(['whitelisted', 'joined', 'interviewing', 'ready']);
    // The trust centre never let the unlisted IHD in.
    expect(rig.emulatorEvents.some((e) => e.kind === 'join-refused' && e.eui64 === unlisted.eui64 && e.reason === 'no-install-code')).toBe(true);
    expect(rig.emulator.device(unlisted.eui64)!.joined).toBe(false);
    expect(rig.service.device(unlisted.eui64)).toBeUndefined();
  });

  it('refuses at join a device that is no longer on the device log, and shows why', async () => {
    // The code reaches the coordinator (it cannot be withdrawn from Z-Stack), then the engineer removes the device.
    // The device is switched off meanwhile so it cannot join between the two steps.
    rig.emulator.setPowered(spare.eui64, false);
    expect((await rig.service.addDevice(`${spare.eui64}|${spare.installCode}${spare.installCodeCrc}`)).ok).toBe(true);
    rig.service.removeDevice(spare.eui64);
    rig.emulator.setPowered(spare.eui64, true);
    const device = await rig.waitFor(() => rig.service.device(spare.eui64)?.timeline.find((e) => e.state === 'refused'), 10_000, 'refusal');
    expect(device.reason).toBe('not on the device log');
    await rig.waitFor(() => rig.emulatorEvents.some((e) => e.kind === 'left' && e.eui64 === spare.eui64), 10_000, 'leave');
    expect(rig.emulator.device(spare.eui64)!.joined).toBe(false);
  });

  it('reads the ESME with the SE profile, scaled to the emulator’s register', async () => {
    const reading = await rig.service.readMetering(byType('ESME').eui64);
    const wh = esmeImportWh(rig.model.esmeRegister, FROZEN_NOW);
    expect(reading.raw).toBe(wh);
    expect(reading.value).toBeCloseTo(wh / 1000, 6);
    expect(reading.unit).toBe('kWh');
    expect(reading.text).toBe((wh / 1000).toFixed(3).padStart(10, '0'));
    expect(reading.attributes.instantaneousDemand).toEqual({ ok: true, value: rig.model.esmeRegister.demandW });
    expect(rig.service.device(byType('ESME').eui64)!.reading).toEqual(reading);
  });

  it('reads the gas meter only when it wakes (frames wait for its poll)', async () => {
    const gsme = byType('GSME').eui64;
    const from = rig.emulatorEvents.length;
    const reading = await rig.service.readMetering(gsme);
    expect(reading.unit).toBe('m³');
    const events = rig.emulatorEvents.slice(from).filter((e) => 'eui64' in e && e.eui64 === gsme);
    const deliveries = events.filter((e) => e.kind === 'delivered');
    expect(deliveries.length).toBeGreaterThan(0);
    // Every delivery to the sleepy meter directly follows one of its polls.
    for (const delivery of deliveries) {
      const before = events
        .slice(0, events.indexOf(delivery))
        .reverse()
        .find((e) => e.kind === 'poll');
      expect(before).toBeDefined();
      expect(delivery.t - before!.t).toBeLessThan(50);
    }
  });

  it('pairs the IHD with the ESME and proves it by the binding table and a report the IHD received', async () => {
    const esme = byType('ESME').eui64;
    const ihd = byType('IHD').eui64;
    const result = await rig.service.pairIhd(esme, ihd, { pollMs: 50 });
    expect(result).toMatchObject({ bound: true, reportingConfigured: true, bindingConfirmed: true, ihdConfirmed: true });
    expect(result.ihdReportsReceived).toBeGreaterThan(0);
    expect(rig.emulator.device(ihd)!.received.lastSource).toBe(esme);
    expect(rig.service.device(ihd)!.pairedWith).toBe(esme);
    await rig.service.unpairIhd(esme, ihd);
    expect(rig.emulator.device(esme)!.bindings).toHaveLength(0);
    expect(rig.service.device(ihd)!.pairedWith).toBeUndefined();
  });

  it('reports LQI from the coordinator’s neighbour table and closes the join window', async () => {
    const neighbours = await rig.service.neighbours();
    // The gas meter joined through the ESME (the RF model's topology): it is the ESME's neighbour, not the coordinator's.
    expect(neighbours.map((n) => n.eui64).sort()).toEqual(['ESME', 'IHD', 'PPMID'].map((t) => byType(t).eui64).sort());
    expect(neighbours.every((n) => n.lqi > 0)).toBe(true);
    await rig.service.closeJoinWindow();
    expect(rig.service.status().joinWindow.open).toBe(false);
  });
});
