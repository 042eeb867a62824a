import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildJobReport } from './report-builder';
import { listReports, saveReportCopy, writeReportSet } from './report-files';
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

  it('saves a copy into a named folder, never over an existing file, and wants a full path', async () => {
    const [latest] = await listReports(fixture.dataDir, fixture.jobId);
    const usb = await mkdtemp(join(tmpdir(), 'han-usb-'));
    const path = await saveReportCopy(fixture.dataDir, fixture.jobId, latest!.eventCount, 'csv', usb);
    expect(await readFile(path, 'utf8')).toBe(await readFile(join(latest!.folder, latest!.files.find((f) => f.format === 'csv')!.name), 'utf8'));
    await expect(saveReportCopy(fixture.dataDir, fixture.jobId, latest!.eventCount, 'csv', usb)).rejects.toThrow(/already exists/);
    await expect(saveReportCopy(fixture.dataDir, fixture.jobId, latest!.eventCount, 'pdf', 'relative')).rejects.toThrow(/full path/);
    await expect(saveReportCopy(fixture.dataDir, fixture.jobId, 999, 'pdf', usb)).rejects.toThrow(/generate it first/);
  });
});
