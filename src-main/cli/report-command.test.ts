import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobStore } from '../store/job-store';
import { FIXTURE_MPAN, recordVisit, type VisitFixture } from '../reports/visit-fixture.test-support';
import { captureIo } from './capture-io.test-support';
import { createJobCommand } from './job-command';
import { createReportCommand } from './report-command';
import { runCli } from './run-cli';

const run = promisify(execFile);
let fixture: VisitFixture;
let out: string;

beforeAll(async () => {
  fixture = await recordVisit({ devices: 3, finished: true });
  // The CLI opens the folder itself, as it would beside a running app; the fixture's writer stays open below.
  out = await mkdtemp(join(tmpdir(), 'han-report-cli-'));
});

afterAll(async () => {
  await fixture.store.close();
});

const commands = () => [createJobCommand({ dataDir: () => fixture.dataDir }), createReportCommand({ dataDir: () => fixture.dataDir })];

async function cli(...argv: string[]) {
  const io = captureIo();
  const code = await runCli(argv, commands(), io);
  return { code, io };
}

describe('hantool report', () => {
  it('prints the JSON report on stdout, read-only while another writer holds the folder', async () => {
    const { code, io } = await cli('report', fixture.jobId, '--format', 'json');
    expect(code).toBe(0);
    const report = JSON.parse(io.stdout.join('')) as { premises: { mpan: string }; timeline: { jobId: string } };
    expect(report.premises.mpan).toBe(FIXTURE_MPAN);
    expect(report.timeline.jobId).toBe(fixture.jobId);
  });

  it('prints the CSV on stdout', async () => {
    const { code, io } = await cli('report', fixture.jobId, '--format', 'csv');
    expect(code).toBe(0);
    expect(io.stdout.join('').split('\r\n').filter(Boolean)).toHaveLength(4);
  });

  it('refuses a PDF to a terminal and writes one with --out, then verifies it (exit 0) and an edited copy (exit 1)', async () => {
    const refused = await cli('report', fixture.jobId, '--format', 'pdf');
    expect(refused.code).toBe(2);
    expect(refused.io.stderr.join('')).toMatch(/not written to a terminal/);

    const pdf = join(out, 'r.pdf');
    const written = await cli('report', fixture.jobId, '--format', 'pdf', '--out', pdf);
    expect(written.code).toBe(0);
    expect(JSON.parse(written.io.stdout[0]!)).toMatchObject({ jobId: fixture.jobId, format: 'pdf', path: pdf, status: 'final' });
    const ok = await cli('report', 'verify', pdf);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.io.stdout[0]!)).toMatchObject({ valid: true });

    const json = join(out, 'r.json');
    await cli('report', fixture.jobId, '--format', 'json', '--out', json);
    await writeFile(json, (await readFile(json, 'utf8')).replace(`"mpan": "${FIXTURE_MPAN}"`, '"mpan": "1200023305968"'));
    const bad = await cli('report', 'verify', json);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.io.stdout[0]!)).toEqual({ valid: false, reason: expect.stringContaining('premises.mpan') });
  });

  it.each([
    [['report'], /usage/],
    [['report', 'J-none', '--format', 'json'], /no job J-none/],
    [['report', 'J1', '--format', 'docx'], /--format must be pdf, json or csv/],
    [['report', 'verify'], /usage/],
    [['report', 'verify', '/nonexistent/r.json'], /cannot read/],
  ])('exits 2 with a one-line reason on bad input: %j', async (argv, reason) => {
    const { code, io } = await cli(...argv);
    expect(code).toBe(2);
    expect(io.stdout).toEqual([]);
    expect(io.stderr).toHaveLength(1);
    expect(io.stderr[0]).toMatch(reason);
    expect(io.stderr[0]).not.toContain('\n');
  });

  it('runs as a process: verify prints one JSON line while the app-side writer still holds the lock', async () => {
    const json = join(out, 'p.json');
    await writeFile(json, (await cli('report', fixture.jobId, '--format', 'json')).io.stdout.join(''));
    const { stdout } = await run('npx', ['tsx', 'src-main/cli/main.ts', 'report', 'verify', json], { env: { ...process.env, HAN_DATA_DIR: fixture.dataDir } });
    expect(JSON.parse(stdout)).toMatchObject({ valid: true });
  });
});

describe('hantool job import', () => {
  it('creates a job from a work order and prints its id', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'han-job-cli-'));
    const order = join(dataDir, 'order.json');
    await writeFile(
      order,
      JSON.stringify({
        format: 'han-commissioner.work-order',
        version: 1,
        reference: 'WO-9',
        appointment: { start: '2026-11-30T08:00:00Z' },
        premises: { address: { line1: '1 Lane', town: 'Reading', postcode: 'RG1 1AA' }, mpan: FIXTURE_MPAN },
        devices: [{ type: 'ESME' }],
      }),
    );
    const io = captureIo();
    expect(await runCli(['job', 'import', order], [createJobCommand({ dataDir: () => dataDir })], io)).toBe(0);
    const { jobId } = JSON.parse(io.stdout[0]!) as { jobId: string };
    const store = await JobStore.open(dataDir, { engineer: 'check', readOnly: true });
    try {
      expect(store.getJob(jobId).workOrderReference).toBe('WO-9');
    } finally {
      await store.close();
    }
  });

  it('exits 2 naming what is wrong with a bad work order or a missing file', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'han-job-cli-'));
    const order = join(dataDir, 'bad.json');
    await writeFile(order, JSON.stringify({ format: 'han-commissioner.work-order', version: 1 }));
    for (const argv of [
      ['job', 'import', order],
      ['job', 'import', join(dataDir, 'missing.json')],
      ['job', 'list'],
    ]) {
      const io = captureIo();
      expect(await runCli(argv, [createJobCommand({ dataDir: () => dataDir })], io)).toBe(2);
      expect(io.stderr).toHaveLength(1);
      expect(io.stderr[0]).toMatch(/^job/);
    }
  });
});
