import { describe, expect, it } from 'vitest';
import { parseInstallCode } from '../../src-shared/model/install-code';
import { parseMpan } from '../../src-shared/model/mpan';
import { parseMprn } from '../../src-shared/model/mprn';
import { createPremisesModel, esmeImportWh } from './premises-model';

describe('createPremisesModel', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = createPremisesModel(7, 0);
    expect(createPremisesModel(7, 0)).toEqual(a);
    expect(createPremisesModel(8, 0).mpan).not.toBe(a.mpan);
  });

  it('has a valid MPAN and MPRN and one device of each SMETS2 type', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const model = createPremisesModel(seed, 0);
      expect(parseMpan(model.mpan).ok, model.mpan).toBe(true);
      expect(parseMprn(model.mprn).ok, model.mprn).toBe(true);
      expect(model.devices.map((d) => d.type)).toEqual(['CHF', 'ESME', 'GSME', 'IHD', 'PPMID']);
    }
  });

  it('prints labels whose install code and CRC parse', () => {
    for (const device of createPremisesModel(3, 0).devices) {
      expect(device.eui64).toMatch(/^[0-9A-F]{16}$/);
      const parsed = parseInstallCode(device.label);
      expect(parsed.ok, device.label).toBe(true);
      if (parsed.ok) expect(parsed.value.installCode).toBe(device.installCode);
    }
  });

  it('advances the ESME register with time at its demand', () => {
    const { esmeRegister } = createPremisesModel(1, 1_000_000);
    expect(esmeImportWh(esmeRegister, 1_000_000)).toBe(esmeRegister.baseWh);
    expect(esmeImportWh(esmeRegister, 1_000_000 + 3_600_000)).toBe(esmeRegister.baseWh + esmeRegister.demandW);
  });
});

describe('the RF environment', () => {
  it('comes from its own stream: seed 1 keeps the devices and register it had before the RF model', () => {
    // Recorded from the premises model before the RF environment existed.
    const model = createPremisesModel(1, 0);
    expect(model.mpan).toBe('1799267494411');
    expect(model.devices.map((d) => d.eui64 + d.installCode)).toEqual([
      'C449300A6D97CC4B34A88BC231B874C5FE3DC12752693F26',
      'B99320430C9FDD3DFDB7664DADF3ECB1EBD5EF1D0ADE4BE1',
      '82EFB42AADF221FA29631E6653A8828813CEDA452A4DE44A',
      '24A78C531E24114DACA61D828536CA40FDF4DE002E07FB54',
      'B8DD1840DECBCA381826688A49E24FE8DCA2AB3C624E3443',
    ]);
    expect(model.esmeRegister).toEqual({ baseWh: 16654861, demandW: 1945, epochMs: 0 });
  });

  it('lists the hub’s GPF, whose ID is the Comms Hub network’s extended PAN ID, with a parseable label', () => {
    for (const seed of [1, 2, 3]) {
      const model = createPremisesModel(seed, 0);
      const gpf = model.rf.gpf;
      expect(gpf.type).toBe('GPF');
      const hub = model.rf.networks.find((n) => n.name === 'comms-hub')!;
      expect(hub.extendedPanId).toBe(gpf.eui64);
      expect(parseInstallCode(gpf.label).ok).toBe(true);
    }
  });

  it('puts the household Wi-Fi over ZigBee 11–14 and the two networks on different channels', () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const { rf } = createPremisesModel(seed, 0);
      const quietest = Math.min(...rf.energy);
      for (const channel of [11, 12, 13, 14]) expect(rf.energy[channel - 11]).toBeGreaterThan(quietest + 60);
      expect(rf.energy[26 - 11]).toBeLessThan(60);
      const [hub, neighbour] = rf.networks;
      expect(hub!.channel).not.toBe(neighbour!.channel);
      // The neighbour's network: a coordinator and a router (depth 1) beacon; an end device sits behind the router.
      expect(neighbour!.beaconing.map((b) => b.depth)).toEqual([0, 1]);
      expect(neighbour!.endDevices).toBe(1);
    }
  });

  it('is deterministic for a seed', () => {
    expect(createPremisesModel(4, 0).rf).toEqual(createPremisesModel(4, 0).rf);
    expect(createPremisesModel(4, 0).rf.gpf.eui64).not.toBe(createPremisesModel(5, 0).rf.gpf.eui64);
  });
});
