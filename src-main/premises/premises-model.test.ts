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
