import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPremisesModel, esmeImportWh } from '../premises/premises-model';
import { gsmeLitres } from './emulator/device-handlers';
import { startSimulatedGateway, type SimulatedGateway } from './emulator/simulated-gateway';
import { toDuisEui } from './eui';
import { dccRecordReading } from './read-verification';

const model = createPremisesModel(11);
const eui = (type: string): string => [...model.devices, model.rf.gpf].find((d) => d.type === type)!.eui64;
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

async function rig(): Promise<SimulatedGateway & { dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'han-gbcs-sim-'));
  const rigged = await startSimulatedGateway({ model, dataDir, responseDelayMs: 30 });
  stops.push(async () => {
    await rigged.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return { ...rigged, dataDir };
}

describe('GBCS end to end over TLS with the simulator (its SMKI, the ZAZ1 User’s keys)', () => {
  it('8.11 → 8.7.2 → 4.1.1: the ESME and GSME registers come from verified, decrypted GBCS', async () => {
    const { gateway, simulator, dataDir } = await rig();
    const done = async (variant: Parameters<typeof gateway.submit>[0], params: Parameters<typeof gateway.submit>[1]) =>
      gateway.waitForFinal((await gateway.submit(variant, params)).requestId, 15_000);

    const add = await done('8.11', { chfId: eui('CHF'), deviceId: eui('IHD'), requestType: 'Add', joinTimePeriod: 600, installCode: 'A1B2C3D4E5F60718' });
    expect(add).toMatchObject({
      state: 'completed',
      gbcs: { useCase: 'CCS01', mac: 'valid', signature: 'absent', trusted: true },
      mmc: { data: { success: true } },
    });
    const joined = await done('8.7.2', { deviceId: eui('ESME'), otherDeviceId: eui('IHD') });
    expect(joined).toMatchObject({
      state: 'completed',
      gbcs: { useCase: 'CS03B', mac: 'valid' },
      mmc: { data: { kind: 'join', success: true, status: 'success' } },
    });
    expect(simulator.smiStatus(eui('IHD'))).toBe('Commissioned');

    const before = esmeImportWh(model.esmeRegister, Date.now());
    const esme = await done('4.1.1', { deviceId: eui('ESME') });
    expect(esme).toMatchObject({ state: 'completed', gbcs: { useCase: 'ECS17b', mac: 'valid', encrypted: true, decryption: 'decrypted', trusted: true } });
    const esmeWh = dccRecordReading(esme)!.valueWh;
    expect(esmeWh).toBeGreaterThanOrEqual(Math.floor(before));
    expect(esmeWh).toBeLessThanOrEqual(esmeImportWh(model.esmeRegister, Date.now()));
    expect(dccRecordReading(esme)!.reference).toContain('ECS17b, MAC valid, decrypted');

    const gasBefore = gsmeLitres(model, Date.now());
    const gsme = await done('4.1.1', { deviceId: eui('GSME') });
    expect(gsme).toMatchObject({ state: 'completed', gbcs: { useCase: 'GCS13a', mac: 'valid', decryption: 'decrypted', reading: { unit: 'm3' } } });
    expect(gsme.mmc?.data).toMatchObject({ kind: 'gas-register' });
    const m3 = gsme.gbcs?.ok ? gsme.gbcs.reading!.value : NaN;
    expect(m3 * 1000).toBeGreaterThanOrEqual(gasBefore);
    expect(m3 * 1000).toBeLessThanOrEqual(gsmeLitres(model, Date.now()));

    // The certificates came from SMKI once per device, passed the Device CA check and were kept in the data folder.
    const files = readdirSync(join(dataDir, 'device-certificates', 'smki')).sort();
    for (const type of ['CHF', 'ESME', 'GSME']) for (const usage of ['ka', 'ds']) expect(files).toContain(`${eui(type).toLowerCase()}-${usage}.pem`);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const lookups = simulator.smkiLookups();
    await done('4.1.1', { deviceId: eui('ESME') });
    expect(simulator.smkiLookups()).toBe(lookups);
  });

  it('refuses each training fault with its reason, and nothing of the response reaches the record', async () => {
    const { gateway, simulator, dataDir } = await rig();
    const cases = [
      { fault: 'bad-mac', state: 'signature-invalid', reason: /MAC does not verify/ },
      { fault: 'bad-signature', state: 'signature-invalid', reason: /signature does not verify/ },
      { fault: 'undecryptable', state: 'failed', reason: /encrypted for us but does not decrypt/ },
      { fault: 'unknown-device', state: 'failed', reason: /could not be checked: SMKI holds no key agreement certificate for [0-9A-F-]{23}/ },
      // Another device SMKI certified: its certificates are fetched and its MAC verifies, but it is not the ESME.
      { fault: 'other-device', state: 'failed', reason: /refused: it comes from [0-9A-F-]{23}, not from [0-9A-F-]{23}, the device the request went to/ },
    ] as const;
    for (const { fault, state, reason } of cases) {
      simulator.faults.gbcs = fault;
      const record = await gateway.waitForFinal((await gateway.submit('4.1.1', { deviceId: eui('ESME') })).requestId, 15_000);
      expect(record.state, fault).toBe(state);
      expect(record.lastError, fault).toMatch(reason);
      expect(record.mmc, fault).toBeUndefined();
      expect(dccRecordReading(record), fault).toBeUndefined();
      expect(record.gbcs?.ok && record.gbcs.reading, fault).toBeFalsy();
    }
    // The device SMKI never heard of left nothing in the certificate folder; the real ESME's are there.
    const impostor = toDuisEui(eui('ESME')).slice(0, -2);
    const files = readdirSync(join(dataDir, 'device-certificates', 'smki'));
    expect(files.filter((f) => f.startsWith(impostor.replace(/-/g, '').toLowerCase()) && !f.startsWith(eui('ESME').toLowerCase()))).toEqual([]);
    expect(existsSync(join(dataDir, 'device-certificates', 'smki', `${eui('ESME').toLowerCase()}-ka.pem`))).toBe(true);
    simulator.faults.gbcs = 'none';
    const sound = await gateway.waitForFinal((await gateway.submit('4.1.1', { deviceId: eui('ESME') })).requestId, 15_000);
    expect(sound).toMatchObject({ state: 'completed', gbcs: { trusted: true } });
  });

  it('keeps MMC XML as the per-connection payload option', async () => {
    const { gateway, simulator } = await rig();
    simulator.setPayloadFormat('mmc');
    const record = await gateway.waitForFinal((await gateway.submit('4.1.1', { deviceId: eui('ESME') })).requestId, 15_000);
    expect(record).toMatchObject({ state: 'completed', mmc: { data: { kind: 'import-register' } } });
    expect(record.gbcs).toBeUndefined();
  });
});
