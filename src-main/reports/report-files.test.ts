import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildJobReport } from './report-builder';
import { copyWrittenReport, listReports, readWrittenReport, writeReportSet } from './report-files';
import { recordVisit, type VisitFixture } from './visit-fixture.test-support';

let fixture: VisitFixture;

beforeAll(async () => {
  fixture = await recordVisit({ devices: 2, finished: false });
});

afterAll(async () => {
  await fixture.store.close();
});

describe('report files', () => {
  it('writes PDF, JSON and CSV under reports/<jobId>/, lists each generation newest first, keeps earlier ones', async () => {
    const first = await writeReportSet(fixture.dataDir, await buildJobReport(fixture.store, fixture.secrets, fixture.jobId));
    expect(first.files.map((f) => f.format)).toEqual(['pdf', 'json', 'csv']);
    expect(first.folder).toBe(join(fixture.dataDir, 'reports', fixture.jobId));
    await fixture.store.appendEvent(fixture.jobId, 'job.status-changed', { status: 'completed' });
    const second = await writeReportSet(fixture.dataDir, await buildJobReport(fixture.store, fixture.secrets, fixture.jobId));
    const listed = await listReports(fixture.dataDir, fixture.jobId);
    expect(listed.map((s) => [s.eventCount, s.status])).toEqual([
      [second.eventCount, 'final'],
      [first.eventCount, 'draft'],
    ]);
    expect((await readdir(first.folder)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(await listReports(fixture.dataDir, 'J-other')).toEqual([]);
  });

  it('gives a written file for a download, or copies it where the save dialog says; a missing one says generate it first', async () => {
    const [latest] = await listReports(fixture.dataDir, fixture.jobId);
    const written = join(latest!.folder, latest!.files.find((f) => f.format === 'csv')!.name);
    const file = await readWrittenReport(fixture.dataDir, fixture.jobId, latest!.eventCount, 'csv');
    expect(file.name).toBe(latest!.files.find((f) => f.format === 'csv')!.name);
    expect(file.bytes.equals(await readFile(written))).toBe(true);
    const usb = await mkdtemp(join(tmpdir(), 'han-usb-'));
    const path = await copyWrittenReport(fixture.dataDir, fixture.jobId, latest!.eventCount, 'csv', join(usb, 'visit.csv'));
    expect((await readFile(path)).equals(await readFile(written))).toBe(true);
    await expect(copyWrittenReport(fixture.dataDir, fixture.jobId, latest!.eventCount, 'pdf', 'relative.pdf')).rejects.toThrow(/full path/);
    await expect(readWrittenReport(fixture.dataDir, fixture.jobId, 999, 'pdf')).rejects.toThrow(/generate it first/);
  });
});
