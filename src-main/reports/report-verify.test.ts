import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobStore } from '../store/job-store';
import { buildJobReport } from './report-builder';
import { renderReportJson } from './report-json';
import { renderReportPdf } from './report-pdf';
import { firstDifference, readReportFile, verifyReport } from './report-verify';
import { FIXTURE_MPAN, recordVisit, type VisitFixture } from './visit-fixture.test-support';

let fixture: VisitFixture;
let json: string;

beforeAll(async () => {
  fixture = await recordVisit({ devices: 3, finished: false });
  json = renderReportJson(await buildJobReport(fixture.store, fixture.secrets, fixture.jobId));
});

afterAll(async () => {
  await fixture.store.close();
});

/** The fields these tests tamper with. */
interface Editable {
  premises: { mpan: string };
  readings: { value: number }[];
  devices: { stages: { join: { outcome: string } } }[];
  timeline: { headHash: string };
}

const edited = (edit: (report: Editable) => void): Buffer => {
  const report = JSON.parse(json) as Editable;
  edit(report);
  return Buffer.from(JSON.stringify(report));
};

describe('report verify', () => {
  it('accepts an untouched report, as JSON and through the PDF attachment', async () => {
    const report = readReportFile(Buffer.from(json));
    expect(await verifyReport(report, fixture.store, fixture.secrets)).toMatchObject({ valid: true });
    const pdf = await renderReportPdf(report);
    expect(await verifyReport(readReportFile(pdf), fixture.store, fixture.secrets)).toMatchObject({ valid: true });
  });

  it('catches an edited MPAN and names the field', async () => {
    const verdict = await verifyReport(readReportFile(edited((r) => (r.premises.mpan = '1200023305968'))), fixture.store, fixture.secrets);
    expect(verdict.valid).toBe(false);
    expect(verdict.reason).toContain('premises.mpan');
    expect(verdict.reason).toContain(FIXTURE_MPAN);
  });

  it('catches an edited reading and names it', async () => {
    const verdict = await verifyReport(readReportFile(edited((r) => (r.readings[1]!.value = 1300))), fixture.store, fixture.secrets);
    expect(verdict).toEqual({ valid: false, reason: expect.stringContaining('readings[1].value') });
  });

  it('catches a device result turned from failed to ok', async () => {
    const verdict = await verifyReport(readReportFile(edited((r) => (r.devices[2]!.stages.join.outcome = 'ok'))), fixture.store, fixture.secrets);
    expect(verdict.reason).toContain('devices[2].stages.join.outcome');
  });

  it('catches a head hash that is not the job event it claims', async () => {
    const verdict = await verifyReport(readReportFile(edited((r) => (r.timeline.headHash = 'f'.repeat(64)))), fixture.store, fixture.secrets);
    expect(verdict).toEqual({ valid: false, reason: expect.stringContaining('timeline.headHash') });
  });

  it('stays valid after the visit goes on (later events never invalidate an earlier report)', async () => {
    const report = readReportFile(Buffer.from(json));
    await fixture.store.appendEvent(fixture.jobId, 'note.added', { text: 'customer shown the IHD' });
    await fixture.store.appendEvent(fixture.jobId, 'job.status-changed', { status: 'completed' });
    expect(await verifyReport(report, fixture.store, fixture.secrets)).toMatchObject({ valid: true });
    const later = await buildJobReport(fixture.store, fixture.secrets, fixture.jobId);
    expect(later.status).toBe('final');
    expect(later.timeline.eventCount).toBe(report.timeline.eventCount + 2);
  });

  it('works on a read-only store opened while a writer holds the data folder', async () => {
    const readOnly = await JobStore.open(fixture.dataDir, { engineer: 'auditor', readOnly: true, secrets: fixture.secrets });
    try {
      expect(await verifyReport(readReportFile(Buffer.from(json)), readOnly, fixture.secrets)).toMatchObject({ valid: true });
    } finally {
      await readOnly.close();
    }
  });

  it('refuses what is not an install report, saying why', () => {
    expect(() => readReportFile(Buffer.from('{"format":"something-else"}'))).toThrow(/not an install report/);
    expect(() => readReportFile(Buffer.from('not json'))).toThrow(/not valid JSON/);
    expect(() => readReportFile(Buffer.from('%PDF-1.3\n%%EOF'))).toThrow(/no embedded report/);
    expect(() => readReportFile(Buffer.from(json.replace('"version": 1', '"version": 2')))).toThrow(/version 2/);
  });
});

describe('firstDifference', () => {
  it('names the first differing path, array lengths and missing fields included', () => {
    expect(firstDifference({ a: [1, 2] }, { a: [1, 2] })).toBeUndefined();
    expect(firstDifference({ a: [1, 2] }, { a: [1] })).toContain('a[1]');
    expect(firstDifference({ a: { b: 1 } }, { a: { b: 1, c: 2 } })).toContain('a.c');
  });
});
