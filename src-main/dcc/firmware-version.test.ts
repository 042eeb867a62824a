import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPremisesModel } from '../premises/premises-model';
import { simulatedFirmwareVersion } from './emulator/device-firmware';
import { startSimulatedGateway, type SimulatedGateway } from './emulator/simulated-gateway';
import { toDuisEui } from './eui';
import { parseRequestId } from './request-id';

/** 11.2 Read Firmware Version end to end: the app's request over TLS, the simulator's device answering in GBCS. */
const model = createPremisesModel(17);
const eui = (type: string): string => [...model.devices, model.rf.gpf].find((d) => d.type === type)!.eui64;
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

async function rig(): Promise<SimulatedGateway> {
  const dataDir = mkdtempSync(join(tmpdir(), 'han-fw-'));
  const rigged = await startSimulatedGateway({ model, dataDir, responseDelayMs: 30 });
  stops.push(async () => {
    await rigged.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return rigged;
}

describe('11.2 Read Firmware Version over TLS with the simulator', () => {
  it('ESME (ECS52), GSME (GCS38) and Comms Hub (ECS52 via the ACB) answer with the version the simulator holds, verdicts valid', async () => {
    const { gateway } = await rig();
    const expected = [
      { type: 'ESME', useCase: 'ECS52', direct: true },
      { type: 'GSME', useCase: 'GCS38', direct: true },
      { type: 'CHF', useCase: 'ECS52', direct: false },
    ];
    for (const { type, useCase, direct } of expected) {
      const record = await gateway.waitForFinal((await gateway.submit('11.2', { deviceId: eui(type) })).requestId, 15_000);
      const version = simulatedFirmwareVersion(model, eui(type));
      expect(record, type).toMatchObject({
        state: 'completed',
        responseCode: 'I0',
        gbcs: {
          ok: true,
          useCase,
          originator: toDuisEui(eui(type)),
          mac: 'valid',
          signature: 'absent',
          trusted: true,
          result: { kind: 'firmware-version', version },
        },
        mmc: { data: { kind: 'firmware-version', version } },
      });
      // A meter answers the User with the RequestID's counter; the Comms Hub answers the ACB with the ACB's own.
      const counter = record.gbcs?.ok ? record.gbcs.counter : '';
      expect(counter === parseRequestId(record.requestId).counter.toString(), type).toBe(direct);
    }
  });

  it('a PPMID answers CS08 once it is on the HAN; before that, and for an IHD or the GPF, the DCC refuses', async () => {
    const { gateway, simulator } = await rig();
    const done = async (variant: Parameters<typeof gateway.submit>[0], params: Parameters<typeof gateway.submit>[1]) =>
      gateway.waitForFinal((await gateway.submit(variant, params)).requestId, 15_000);

    expect(await done('11.2', { deviceId: eui('PPMID') })).toMatchObject({ state: 'rejected', responseCode: 'E5' });
    expect(await done('11.2', { deviceId: eui('IHD') })).toMatchObject({ state: 'rejected', responseCode: 'E11' });
    expect(await done('11.2', { deviceId: eui('GPF') })).toMatchObject({ state: 'rejected', responseCode: 'E11' });

    const ppmid = model.devices.find((d) => d.type === 'PPMID')!;
    await done('8.11', { chfId: eui('CHF'), deviceId: ppmid.eui64, requestType: 'Add', joinTimePeriod: 600, installCode: ppmid.installCode });
    expect(await done('8.7.2', { deviceId: eui('ESME'), otherDeviceId: ppmid.eui64 })).toMatchObject({ state: 'completed', mmc: { data: { success: true } } });
    expect(simulator.smiStatus(ppmid.eui64)).toBe('Commissioned');
    const version = simulatedFirmwareVersion(model, ppmid.eui64);
    expect(await done('11.2', { deviceId: ppmid.eui64 })).toMatchObject({
      state: 'completed',
      gbcs: { useCase: 'CS08', mac: 'valid', trusted: true, result: { kind: 'firmware-version', version } },
      mmc: { data: { kind: 'firmware-version', version } },
    });
  });

  it('an HCALCS pre-notified with 12.2 answers CS08 once joined (its certificates from SMKI like any device’s)', async () => {
    const { gateway } = await rig();
    const done = async (variant: Parameters<typeof gateway.submit>[0], params: Parameters<typeof gateway.submit>[1]) =>
      gateway.waitForFinal((await gateway.submit(variant, params)).requestId, 15_000);
    const hcalcs = '00-DB-12-34-56-78-90-C5';
    const notified = await done('12.2', { deviceId: hcalcs, manufacturer: 'HAN Training', model: 'HCALCS-T1', deviceType: 'HCALCS' });
    expect(notified).toMatchObject({ state: 'completed', responseCode: 'I0' });
    expect(await done('11.2', { deviceId: hcalcs })).toMatchObject({ state: 'rejected', responseCode: 'E5' });
    await done('8.11', { chfId: eui('CHF'), deviceId: hcalcs, requestType: 'Add', joinTimePeriod: 600, installCode: '0102030405060708' });
    expect(await done('8.7.2', { deviceId: eui('ESME'), otherDeviceId: hcalcs })).toMatchObject({ state: 'completed', mmc: { data: { success: true } } });
    const version = simulatedFirmwareVersion(model, hcalcs);
    expect(await done('11.2', { deviceId: hcalcs })).toMatchObject({
      state: 'completed',
      gbcs: { useCase: 'CS08', originator: hcalcs, mac: 'valid', trusted: true, result: { kind: 'firmware-version', version } },
    });
  });

  it('answers in MMC XML (ReadFirmwareVersionRsp) when that is the connection’s payload option', async () => {
    const { gateway, simulator } = await rig();
    simulator.setPayloadFormat('mmc');
    const record = await gateway.waitForFinal((await gateway.submit('11.2', { deviceId: eui('GSME') })).requestId, 15_000);
    expect(record).toMatchObject({ state: 'completed', mmc: { data: { kind: 'firmware-version', version: simulatedFirmwareVersion(model, eui('GSME')) } } });
    expect(record.gbcs).toBeUndefined();
  });
});
