import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DccService } from '../dcc/dcc-service';
import { simulatedFirmwareVersion } from '../dcc/emulator/device-firmware';
import { startSimulatedGateway } from '../dcc/emulator/simulated-gateway';
import { createPremisesModel, type PremisesModel } from '../premises/premises-model';
import { FileSecretStore } from '../secrets/file-secret-store';
import { JobStore } from '../store/job-store';
import { silentLogger } from '../util/logger';
import type { HanManager } from '../zigbee/han-manager';
import { openLiveVisit } from './live-visit.test-support';
import { VisitRunner } from './visit-runner';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A live Comms Hub visit for a Comms Hub, an ESME and a GSME on the DCC simulator (GBCS), up to the meters' steps. */
async function liveVisit(model: PremisesModel) {
  const dataDir = mkdtempSync(join(tmpdir(), 'live-gas-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const dcc = await startSimulatedGateway({ model, dataDir: join(dataDir, 'dcc'), responseDelayMs: 50 });
  cleanups.push(() => dcc.stop());
  const store = await JobStore.open(dataDir, { engineer: 'Sam', owner: 'test', secrets: await FileSecretStore.open(dataDir) });
  cleanups.push(() => store.close());
  const runner = new VisitRunner({
    store,
    han: undefined as unknown as HanManager,
    dcc: { gateway: () => dcc.gateway } as unknown as DccService,
    log: silentLogger,
    timing: { dccWaitMs: 10_000 },
  });
  const device = (type: string) => model.devices.find((d) => d.type === type)!;
  const withCode = (type: 'ESME' | 'GSME') => ({ type, eui64: device(type).eui64, installCode: device(type).installCode + device(type).installCodeCrc });
  const job = await store.createJob({
    premises: { address: { line1: '1 Meadow Lane', town: 'Reading', postcode: 'RG1 1AA' }, mpan: model.mpan },
    devices: [{ type: 'CHF', eui64: device('CHF').eui64 }, withCode('ESME'), withCode('GSME')],
  });
  await openLiveVisit(runner, job.id, model);
  const view = await runner.view(job.id);
  const esme = view.devices.find((d) => d.type === 'ESME')!.id;
  const gsme = view.devices.find((d) => d.type === 'GSME')!.id;
  return { dcc, runner, store, jobId: job.id, esme, gsme, gsmeEui: device('GSME').eui64 };
}

/**
 * The GSME's live chain over GBCS: 8.11 on the hub's device log, its join seen on the log (8.9), 8.1.1 Commission
 * through Transform and the signed pre-command (GCS28), then 4.1.1 whose GCS13a answer is a volume: the step
 * records it in m³, as the meter's register holds it, with the RequestID the simulator received.
 */
describe('live route: the GSME up to its first read', () => {
  it('commissions the GSME through the critical path and records its first read in m³ with its RequestID', async () => {
    const model = createPremisesModel(1);
    const { dcc, runner, store, jobId, esme, gsme, gsmeEui } = await liveVisit(model);
    // Steps go in order: the ESME's chain first (the hub sits on it), then the GSME's up to its first read.
    const keys = [
      ...['whitelist', 'await-join', 'commission', 'first-read'].map((k) => `${k}:${esme}`),
      ...['whitelist', 'await-join', 'commission'].map((k) => `${k}:${gsme}`),
    ];
    for (const key of keys) {
      const view = await runner.run(jobId, key);
      const step = view.visit!.steps.find((s) => s.key === key)!;
      expect(step.status, `${key}: ${step.summary} ${step.reason ?? ''}`).toBe('done');
    }
    const gasIds = new Set(
      dcc.simulator
        .received()
        .filter((r) => r.requestId.split(':')[1]!.replace(/-/g, '') === gsmeEui)
        .map((r) => r.requestId),
    );
    const commission = dcc.simulator.received().filter((r) => r.variant === '8.1.1' && gasIds.has(r.requestId));
    // One Transform (CV 4) and one signed pre-command, under one RequestID addressed to the GSME.
    expect(commission.map((r) => r.endpoint)).toEqual(['serviceT', 'serviceS']);
    expect(new Set(commission.map((r) => r.requestId)).size).toBe(1);
    expect(commission[0]!.requestId.split(':')[1]!.replace(/-/g, '')).toBe(gsmeEui);

    const view = await runner.run(jobId, `first-read:${gsme}`);
    const read = view.visit!.steps.find((s) => s.key === `first-read:${gsme}`)!;
    expect(read.status, `${read.summary} ${read.reason ?? ''}`).toBe('done');
    const sent = dcc.simulator.received().filter((r) => r.variant === '4.1.1' && r.requestId.split(':')[1]!.replace(/-/g, '') === gsmeEui);
    expect(sent).toHaveLength(1);
    const record = dcc.gateway.requests().find((r) => r.requestId === sent[0]!.requestId)!;
    // The device's GBCS answer was trusted (MAC checked, content opened) and read as the gas register.
    expect(record.gbcs).toMatchObject({ ok: true, trusted: true });
    expect(record.mmc?.data).toMatchObject({ kind: 'gas-register', unit: 'm3' });
    const valueM3 = (record.mmc!.data as { valueM3: number }).valueM3;
    expect(valueM3).toBeGreaterThan(0);
    expect(read.reading).toMatchObject({ value: valueM3, unit: 'm3', source: 'dcc', reference: `RequestID ${sent[0]!.requestId}` });
    expect(read.reading!.valueWh).toBeUndefined();
    // The same step read the meter's firmware version (11.2, GCS38) for the record: the one the simulator holds.
    const firmware = dcc.simulator.received().filter((r) => r.variant === '11.2' && r.requestId.split(':')[1]!.replace(/-/g, '') === gsmeEui);
    expect(firmware).toHaveLength(1);
    const version = simulatedFirmwareVersion(model, gsmeEui);
    expect(dcc.gateway.requests().find((r) => r.requestId === firmware[0]!.requestId)?.gbcs).toMatchObject({ ok: true, useCase: 'GCS38', trusted: true });
    expect(read.summary).toBe(`${valueM3.toFixed(3)} m³ (4.1.1); firmware ${version} (11.2)`);
    expect(read.requestIds).toEqual([sent[0]!.requestId, firmware[0]!.requestId]);
    // The job's record of the step carries the same reading: what the report's readings table is built from.
    const result = store
      .getJob(jobId)
      .timeline.filter((e) => e.kind === 'visit.step-result')
      .map((e) => e.payload as { reading?: { unit: string } })
      .find((p) => p.reading?.unit === 'm3');
    expect(result?.reading).toMatchObject({ value: valueM3, unit: 'm3', source: 'dcc' });
    // …and the firmware version the report's device table shows.
    expect((result as { details?: Record<string, unknown> } | undefined)?.details).toMatchObject({ firmware: version });
  }, 60_000);
});
