import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findStep } from '../../src-shared/flows/install-visit';
import type { DccService } from '../dcc/dcc-service';
import { startSimulatedGateway, type SimulatedGateway } from '../dcc/emulator/simulated-gateway';
import { createPremisesModel } from '../premises/premises-model';
import { FileSecretStore } from '../secrets/file-secret-store';
import { JobStore } from '../store/job-store';
import { silentLogger } from '../util/logger';
import type { HanManager } from '../zigbee/han-manager';
import { commsHubAnswer, openLiveVisit } from './live-visit.test-support';
import { VisitRunner } from './visit-runner';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * The app stops while a step's DCC request is on its way (its store is gone before the step's result is written);
 * a new runner on the same data folder finds the step running, records it interrupted with what the DCC outbox
 * says, keeps everything entered, and its retry waits for the request already sent: the simulator's own log shows
 * one 8.11, not two.
 */
describe('visit resume after the app stops mid-step', () => {
  it('marks the whitelist step interrupted and never sends a second 8.11', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'visit-resume-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const model = createPremisesModel(1);
    const dcc: SimulatedGateway = await startSimulatedGateway({ model, dataDir: join(dataDir, 'dcc'), responseDelayMs: 400 });
    cleanups.push(() => dcc.stop());
    const dccService = { gateway: () => dcc.gateway } as unknown as DccService;
    const secrets = await FileSecretStore.open(dataDir);
    const open = () => JobStore.open(dataDir, { engineer: 'Sam', owner: 'test', secrets });
    const runnerOn = (store: JobStore) =>
      new VisitRunner({ store, han: undefined as unknown as HanManager, dcc: dccService, log: silentLogger, timing: { dccWaitMs: 10_000 } });
    const device = (type: string) => model.devices.find((d) => d.type === type)!;

    const store1 = await open();
    const job = await store1.createJob({
      premises: { address: { line1: '1 Meadow Lane', town: 'Reading', postcode: 'RG1 1AA' }, mpan: model.mpan },
      devices: [
        { type: 'CHF', eui64: device('CHF').eui64 },
        { type: 'ESME', eui64: device('ESME').eui64, installCode: device('ESME').installCode + device('ESME').installCodeCrc },
      ],
    });
    const runner1 = runnerOn(store1);
    await openLiveVisit(runner1, job.id, model);

    // The 8.11 reaches the DCC; the app stops before its response arrives.
    const inFlight = runner1.run(job.id, 'whitelist:D2').catch((error: unknown) => error);
    await expect.poll(() => dcc.simulator.received().filter((r) => r.variant === '8.11').length).toBe(1);
    await store1.close();
    expect(String(await inFlight)).toMatch(/closed|lock|not open/i);

    const store2 = await open();
    cleanups.push(() => store2.close());
    const runner2 = runnerOn(store2);
    const view = await runner2.view(job.id);
    const whitelist = view.visit!.steps.find((s) => s.key === 'whitelist:D2')!;
    expect(whitelist.status).toBe('interrupted');
    expect(whitelist.reason).toMatch(/8\.11 .* (acknowledged|completed).*nothing is sent twice/);
    expect(view.visit!.currentKey).toBe('whitelist:D2');
    // Everything entered before the stop is still there.
    expect(view.visit!.steps.find((s) => s.key === 'fit-comms-hub')!.answers).toEqual([commsHubAnswer(model)]);

    const after = await runner2.run(job.id, 'whitelist:D2');
    expect(after.visit!.steps.find((s) => s.key === 'whitelist:D2')).toMatchObject({ status: 'done', attempt: 2 });
    expect(dcc.simulator.received().filter((r) => r.variant === '8.11')).toHaveLength(1);
    const folded = await runner2.state(job.id);
    expect(findStep(folded!.state, 'whitelist:D2')?.requestIds).toEqual([dcc.simulator.received().find((r) => r.variant === '8.11')!.requestId]);
    const interrupted = store2.getJob(job.id).timeline.filter((e) => e.kind === 'visit.step-interrupted');
    expect(interrupted).toHaveLength(1);
  }, 60_000);
});
