import { setLogger } from 'zigbee-herdsman';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SurveyPosition } from '../../../src-shared/model/rf-survey';
import { SE_PREFERRED_CHANNELS } from '../../../src-shared/model/rf-survey';
import { silentLogger } from '../../util/logger';
import { herdsmanLogger } from '../han-service';
import { startRig, type Rig } from '../test-rig.test-support';
import { DiagnosticsService } from './diagnostics-service';

// The diagnostics against the Z-Stack emulator's RF model over real TCP: the survey role on the emulated dongle
// first (no network of the job's yet), then the job's network with its devices for link quality and tables.

describe('RF survey and link diagnostics against the emulated Z-Stack', () => {
  let rig: Rig;
  let diagnostics: DiagnosticsService;
  const recorded: SurveyPosition[] = [];
  let running = false;

  beforeAll(async () => {
    setLogger(herdsmanLogger(silentLogger));
    rig = await startRig();
    diagnostics = new DiagnosticsService({
      log: silentLogger,
      trainingDongle: () => ({ adapter: 'zstack', path: `tcp://127.0.0.1:${rig.emulator.port}` }),
      coordinator: () => {
        const controller = running ? rig.service.runningController : undefined;
        return controller ? { path: `tcp://127.0.0.1:${rig.emulator.port}`, adapter: 'zstack', controller, devices: rig.service.devices() } : undefined;
      },
      recordPosition: (_jobId, position) => {
        recorded.push(position);
        return Promise.resolve();
      },
      positions: () => Promise.resolve(recorded),
      probeTimeoutMs: 2000,
    });
  });
  afterAll(async () => rig.close());

  it('energy scans return the emulated noise profile, and the recommendation avoids the noisy channels', async () => {
    const profile = rig.model.rf.energy;
    let view = await diagnostics.energyScan(undefined);
    expect(view.latest?.note).toMatch(/factory-new dongle was started as a closed survey network of its own/);
    for (let i = 0; i < 2; i++) view = await diagnostics.energyScan(undefined);
    expect(view.scans).toBe(3);
    // Each reading is the profile plus the emulator's scan-to-scan jitter (±5), plus our own survey network on 26.
    for (const s of view.stats) {
      const expected = profile[s.channel - 11]!;
      expect(s.min, `channel ${s.channel}`).toBeGreaterThanOrEqual(expected - 5);
      expect(s.max, `channel ${s.channel}`).toBeLessThanOrEqual(expected + 5 + (s.channel === 26 ? 8 : 0));
    }
    const pick = view.recommendation!;
    expect(SE_PREFERRED_CHANNELS).toContain(pick.channel);
    const quietestPreferred = Math.min(...SE_PREFERRED_CHANNELS.map((c) => profile[c - 11]!));
    expect(profile[pick.channel - 11]!).toBeLessThanOrEqual(quietestPreferred + 10);
    // The household Wi-Fi on channel 1 covers ZigBee 11-14: never recommended.
    expect([11, 12, 13, 14]).not.toContain(pick.channel);
    expect(pick.reason).toContain(`Channel ${pick.channel} is the quietest SE preferred channel`);
  });

  it('a beacon scan finds the emulated Comms Hub by its printed ID, with its link quality, without joining it', async () => {
    const hub = rig.model.rf.networks.find((n) => n.name === 'comms-hub')!;
    const survey = await diagnostics.beaconScan(undefined);
    const heard = survey.networks.find((n) => n.extendedPanId === rig.model.rf.gpf.eui64.toUpperCase());
    expect(heard).toMatchObject({ channel: hub.channel, panId: hub.panId, permitJoin: false, lqi: hub.beaconing[0]!.lqi, rssi: null });
    const neighbour = rig.model.rf.networks.find((n) => n.name === 'neighbour')!;
    expect(survey.networks.filter((n) => n.extendedPanId === neighbour.extendedPanId)).toHaveLength(neighbour.beaconing.length);
    const position = await diagnostics.recordPosition('job-1', 'meter cupboard', rig.model.rf.gpf.eui64.toUpperCase());
    expect(position).toMatchObject({ heard: true, lqi: hub.beaconing[0]!.lqi, rssi: null, basis: 'lqi', verdict: 'strong', channel: hub.channel });
    const elsewhere = await diagnostics.recordPosition('job-1', 'loft', '0011223344556677');
    expect(elsewhere).toMatchObject({ heard: false, verdict: 'none', basis: 'none' });
    expect(elsewhere.note).toMatch(/Alt HAN \(SEC Section Z\)/);
    expect(await diagnostics.positions('job-1')).toHaveLength(2);
  });

  describe('on the job’s own network', () => {
    const euiOf = (type: string): string => rig.model.devices.find((d) => d.type === type)!.eui64.toUpperCase();

    beforeAll(async () => {
      expect(await rig.service.start()).toBe('formed');
      running = true;
      // As the app does on the HAN's 'started' event.
      diagnostics.followCoordinator();
      for (const device of rig.model.devices.filter((d) => d.type !== 'CHF' && d.type !== 'GPF')) {
        expect((await rig.service.addDevice(device.label)).ok).toBe(true);
      }
      await rig.service.openJoinWindow(120);
      await rig.waitFor(() => rig.service.devices().filter((d) => d.state === 'ready').length === 4, 60_000, 'four devices ready');
    }, 90_000);

    it('Mgmt_Lqi and Mgmt_Rtg match the emulated topology: the gas meter sits behind the electricity meter', async () => {
      const coordinator = await diagnostics.tables(rig.emulator.ieee.toUpperCase());
      const esme = euiOf('ESME');
      const gsme = euiOf('GSME');
      const direct = coordinator.neighbours.map((n) => n.eui64).sort();
      expect(direct).toContain(esme);
      expect(direct).not.toContain(gsme);
      expect(coordinator.neighbours.every((n) => n.relationship === 'child')).toBe(true);
      const router = await diagnostics.tables(esme);
      expect(router.neighbours.find((n) => n.eui64 === rig.emulator.ieee.toUpperCase())).toMatchObject({ relationship: 'parent', depth: 0 });
      expect(router.neighbours.find((n) => n.eui64 === gsme)).toMatchObject({ relationship: 'child', deviceType: 'end-device' });
      const gsmeNwk = rig.service.device(gsme)!.nwkAddress!;
      expect(coordinator.routes.some((r) => r.destination === gsmeNwk && r.nextHop === rig.service.device(esme)!.nwkAddress)).toBe(true);
      const map = await diagnostics.networkMap();
      expect(map.links.find((l) => [l.source, l.target].sort().join() === [esme, gsme].sort().join())).toBeDefined();
      // Z-Stack reports the last hop's LQI: the gas meter's frames come through the ESME, and its row says so.
      expect(diagnostics.links().find((l) => l.eui64 === gsme)?.via).toBe(esme);
      expect(diagnostics.links().find((l) => l.eui64 === esme)?.via).toBeUndefined();
    });

    it('a worsening link shows in the device’s link quality', async () => {
      const esme = euiOf('ESME');
      const start = rig.emulator.radio.linkLqi(esme);
      // The rig's clock is frozen, so the link is worsened in steps rather than over time.
      for (const lqi of [start, start, Math.round((start + 40) / 2), 40, 40]) {
        rig.emulator.radio.worsenLink(esme, { toLqi: lqi, overMs: 0 });
        await rig.service.readMetering(esme);
        await rig.service.readMetering(esme);
      }
      const link = diagnostics.links().find((l) => l.eui64 === esme)!;
      expect(link.history.length).toBeGreaterThanOrEqual(10);
      expect(link.lqi).toBeLessThan(start - 60);
      expect(link.lqi).toBe(40);
      expect(link.trend).toBe('falling');
      expect(link.rssi).toBeNull();
    });

    it('a dropped device is reported, and its rejoin seen', async () => {
      const ihd = euiOf('IHD');
      const before = (await diagnostics.checkPresence()).find((l) => l.eui64 === ihd)!;
      expect(before.presence).toBe('present');
      rig.emulator.radio.dropDevice(ihd, { rejoinAfterMs: 8000 });
      const during = await diagnostics.checkPresence();
      expect(during.find((l) => l.eui64 === ihd)?.presence).toBe('unreachable');
      // Only the dropped device is reported.
      expect(during.find((l) => l.eui64 === euiOf('ESME'))?.presence).toBe('present');
      await rig.waitFor(() => (diagnostics.links().find((l) => l.eui64 === ihd)?.rejoins ?? 0) > before.rejoins, 20_000, 'IHD rejoin seen');
      expect(diagnostics.links().find((l) => l.eui64 === ihd)?.presence).toBe('present');
    }, 40_000);
  });
});
