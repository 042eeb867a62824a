import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileSecretStore } from '../secrets/file-secret-store';
import { JobStore } from '../store/job-store';
import { captureIo } from './capture-io.test-support';
import { createInstallCommand } from './install-command';
import { runCli } from './run-cli';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function jobWith(devices: { type: string }[]): Promise<{ dataDir: string; jobId: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'install-run-'));
  dirs.push(dataDir);
  const store = await JobStore.open(dataDir, { engineer: 'Bench', owner: 'test', secrets: await FileSecretStore.open(dataDir) });
  const job = await store.importWorkOrder({
    format: 'han-commissioner.work-order',
    version: 1,
    reference: 'WO-BENCH-1',
    appointment: { start: '2026-11-30T08:00:00Z' },
    premises: { address: { line1: '1 Bench Lane', town: 'Reading', postcode: 'RG1 1AA' }, mpan: '1234567890126' },
    devices,
  });
  await store.close();
  return { dataDir, jobId: job.id };
}

describe('hantool install run', () => {
  it('completes the own-network route headless on the training premises, one JSON line per step', async () => {
    const { dataDir, jobId } = await jobWith([{ type: 'ESME' }, { type: 'GSME' }, { type: 'IHD' }]);
    const io = captureIo();
    const code = await runCli(['install', 'run', jobId, '--route', 'own-network'], [createInstallCommand({ dataDir, premises: 'on' })], io);
    const lines = io.stdout.map((l) => JSON.parse(l) as Record<string, unknown>);
    const final = lines.at(-1)!;
    expect(final, io.stderr.join('\n')).toMatchObject({ outcome: 'completed', jobId });
    expect(code).toBe(0);
    const steps = new Map(lines.slice(0, -1).map((l) => [l.step, l]));
    for (const key of [
      'form-network',
      'device-log',
      'join:D1',
      'join:D2',
      'join:D3',
      'interview:D1',
      'interview:D2',
      'interview:D3',
      'read:D1',
      'read:D2',
      'pair-ihd',
      'verification',
    ])
      expect(steps.get(key), key).toMatchObject({ status: 'done' });
    expect(steps.get('mbus-meters')).toMatchObject({ status: 'skipped', reason: 'The job lists no M-Bus meters' });
    expect(String(steps.get('verification')!.summary)).toMatch(/HAN vs display: pass; HAN vs DCC: pass/);

    // The timeline holds the visit: the premises' labels were matched by type and sealed; the outcome is recorded.
    const store = await JobStore.open(dataDir, { engineer: 'Auditor', owner: 'test', secrets: await FileSecretStore.open(dataDir) });
    const job = store.getJob(jobId);
    expect(job.devices.every((d) => /^[0-9A-F]{16}$/.test(d.eui64 ?? '') && d.installCode !== undefined)).toBe(true);
    expect(job.timeline.filter((e) => e.kind === 'visit.answers').map((e) => (e.payload.answers as { source?: string }).source)).toContain('premises-label');
    expect(job.timeline.filter((e) => e.kind === 'dcc.request').map((e) => e.payload.serviceRequest)).toContain('4.1.1');
    expect(job.timeline.find((e) => e.kind === 'visit.outcome')).toMatchObject({ payload: { outcome: 'completed' } });
    expect(job.status).toBe('completed');
    await store.close();
  }, 120_000);

  it('refuses bad input with exit 2 and one line', async () => {
    const io = captureIo();
    expect(await runCli(['install', 'run', 'J1', '--route', 'live-comms-hub'], [createInstallCommand()], io)).toBe(2);
    expect(io.stderr.join('')).toMatch(/own-network/);
    const { dataDir, jobId } = await jobWith([]);
    const bad = join(dataDir, 'answers.json');
    writeFileSync(
      bad,
      JSON.stringify({
        format: 'han-commissioner.install-answers',
        version: 1,
        answers: { verification: { form: 'display-reading', value: -1, unit: 'kWh' } },
      }),
    );
    const io2 = captureIo();
    expect(await runCli(['install', 'run', jobId, '--route', 'own-network', '--answers', bad], [createInstallCommand({ dataDir, premises: 'on' })], io2)).toBe(
      2,
    );
    expect(io2.stderr.join('')).toMatch(/answers file\.answers\.verification/);
  });
});
