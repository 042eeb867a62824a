import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import Ajv2020 from 'ajv/dist/2020';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InstallReport } from '../../src-shared/reports/report-model';
import { buildJobReport } from './report-builder';
import { CSV_COLUMNS } from './report-csv';
import { renderAll, type RenderedReport } from './report-files';
import { extractEmbeddedJson } from './pdf-attachment';
import { FIXTURE_CHF_ID, FIXTURE_MPAN, FIXTURE_REQUEST_ID, HOSTILE_NOTE, recordVisit, type VisitFixture } from './visit-fixture.test-support';

const schema = JSON.parse(await readFile(new URL('../../docs/install-report.schema.json', import.meta.url), 'utf8')) as object;
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

let fixture: VisitFixture;
let report: InstallReport;
let rendered: RenderedReport;
let pdfPath: string;
let work: string;

beforeAll(async () => {
  fixture = await recordVisit({ devices: 4, finished: true, live: true });
  report = await buildJobReport(fixture.store, fixture.secrets, fixture.jobId);
  rendered = await renderAll(report);
  work = await mkdtemp(join(tmpdir(), 'han-report-out-'));
  pdfPath = join(work, 'report.pdf');
  await writeFile(pdfPath, rendered.pdf);
});

afterAll(async () => {
  await fixture.store.close();
});

describe('the PDF', () => {
  it('shows the MPAN, every EUI-64 and each verification result as text (pdftotext)', () => {
    const text = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
    expect(text).toContain(FIXTURE_MPAN);
    for (const eui64 of fixture.eui64s) expect(text).toContain(eui64);
    expect(report.verifications).toHaveLength(1);
    expect(text).toMatch(/PASS\s+han: 1234\.567 kWh/);
    expect(text).toContain('HAN and DCC readings agree within 10 Wh');
    expect(text).toContain(report.timeline.headHash);
    expect(text).toContain('install code does not match the device');
    expect(text).not.toContain('DRAFT');
  });

  it('shows the live visit: route and outcome, Comms Hub, removed meter, DCC request, survey, fault, skip', () => {
    const text = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
    expect(report.visit).toMatchObject({ route: 'live-comms-hub', outcome: 'commissioned-pending' });
    expect(text).toMatch(/Outcome\s+commissioned-pending — ESME joined — pending: 8\.1\.1 commission ESME D1/);
    expect(text).toContain(FIXTURE_CHF_ID);
    expect(text).toMatch(/K09A123456\s+electricity\s+45678\.9 kWh \(read by display\)/);
    expect(text).toMatch(new RegExp(`${FIXTURE_REQUEST_ID}\\s+8\\.11 Update HAN.*\\s+I0\\s`));
    expect(text).toMatch(/Kitchen\s+150\s+-71/);
    expect(text).toMatch(/fault\s+fit-comms-hub\s+LED Fault/);
    expect(text).toMatch(/skip\s+device-log-check\s+unattended run/);
    expect(text).toMatch(/Acme Meters E470 firmware 1\.2\.3/);
    expect(text).toMatch(new RegExp(`${fixture.eui64s[2]}\\s+${fixture.eui64s[0]}\\s+paired\\s+yes \\(3 reports\\)`));
    expect(text).toMatch(/Corrected .* \(mistyped: label read wrongly\): label/);
    expect(text).toContain('M-Bus KAM 12345678 heat v8');
  });

  it('embeds the JSON report as a .json attachment equal to the JSON export (pdfdetach)', async () => {
    const list = execFileSync('pdfdetach', ['-list', pdfPath], { encoding: 'utf8' });
    const name = `install-report-${fixture.jobId}-e${report.timeline.eventCount}.json`;
    expect(list).toContain(name);
    const out = join(work, 'detached.json');
    execFileSync('pdfdetach', ['-save', '1', '-o', out, pdfPath]);
    expect(await readFile(out, 'utf8')).toBe(rendered.json);
    expect(extractEmbeddedJson(rendered.pdf)).toBe(rendered.json);
  });

  it('marks every page of an unfinished visit DRAFT', async () => {
    const draftVisit = await recordVisit({ devices: 16, finished: false });
    try {
      const draft = await buildJobReport(draftVisit.store, draftVisit.secrets, draftVisit.jobId);
      expect(draft.status).toBe('draft');
      const path = join(work, 'draft.pdf');
      await writeFile(path, (await renderAll(draft)).pdf);
      const pages = execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' })
        .split('\f')
        .filter((p) => p.trim());
      expect(pages.length).toBeGreaterThan(1);
      for (const page of pages) expect(page).toContain('DRAFT — visit unfinished');
    } finally {
      await draftVisit.store.close();
    }
  });

  it('prints a long identifier whole on one line', () => {
    const lines = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' }).split('\n');
    expect(lines.some((line) => line.includes(`Head hash (SHA-256)`) && line.includes(report.timeline.headHash))).toBe(true);
    for (const eui64 of fixture.eui64s) expect(lines.filter((line) => line.includes(eui64))).not.toHaveLength(0);
  });
});

describe('the JSON', () => {
  it('validates against docs/install-report.schema.json', () => {
    const value = JSON.parse(rendered.json) as unknown;
    expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
    expect(value).toMatchObject({ format: 'han-commissioner.install-report', version: 1, status: 'final' });
  });

  it('is refused by the schema when a field is malformed (the validator is not a rubber stamp)', () => {
    const value = JSON.parse(rendered.json) as { devices: { eui64: string }[] };
    value.devices[0]!.eui64 = value.devices[0]!.eui64.toLowerCase();
    expect(validate(value)).toBe(false);
  });

  it('carries EUI-64s as the job stores them and the job id, event count and head hash', () => {
    expect(report.devices.filter((d) => d.type !== 'MBUS').map((d) => d.eui64)).toEqual(fixture.eui64s);
    const job = fixture.store.getJob(fixture.jobId);
    expect(report.timeline).toMatchObject({ jobId: job.id, eventCount: job.seq, headHash: job.headHash });
  });
});

describe('the CSV', () => {
  it('is UTF-8 with a BOM and parses (csv-parse) to one row per device with the expected cells', () => {
    expect(rendered.csv.startsWith('\uFEFF')).toBe(true);
    const rows = parse(rendered.csv, { bom: true, columns: true, skip_empty_lines: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([...CSV_COLUMNS]);
    expect(rows.map((r) => [r.deviceId, r.type, r.eui64, r.join, r.mbusId])).toEqual([
      ['D1', 'ESME', fixture.eui64s[0], 'ok', ''],
      ['D2', 'GSME', fixture.eui64s[1], 'ok', ''],
      ['D3', 'IHD', fixture.eui64s[2], 'ok', ''],
      ['D4', 'IHD', fixture.eui64s[3], 'failed', ''],
      ['D5', 'MBUS', '', '', 'KAM 12345678'],
    ]);
    expect(rows[3]!.failureReason).toBe('install code does not match the device');
    expect(rows[0]!.mpan).toBe(FIXTURE_MPAN);
  });

  it('writes numbers that begin with "-" inert too: an RSSI of -67 is \'-67', () => {
    const rows = parse(rendered.csv, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows[0]).toMatchObject({ lqi: '180', rssi: "'-67", manufacturer: 'Acme Meters', commission: 'pending' });
  });

  it('makes a hostile job note inert: the cell starts with a quote, never with =', () => {
    const rows = parse(rendered.csv, { bom: true, columns: true }) as Record<string, string>[];
    for (const row of rows) {
      expect(row.jobNotes).toBe(`'${HOSTILE_NOTE}`);
      for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }
  });
});

describe('secrets', () => {
  it('no report carries a full install code; each shows only its CRC', async () => {
    const pdfText = execFileSync('pdftotext', [pdfPath, '-'], { encoding: 'utf8' });
    for (const [i, code] of fixture.installCodes.entries()) {
      for (const file of [rendered.json, rendered.csv, pdfText, rendered.pdf.toString('latin1')]) {
        expect(file).not.toContain(code);
        expect(file).not.toContain(code.slice(0, 16));
      }
      expect(report.devices[i]!.installCode).toBe(`••••${code.slice(-4)}`);
    }
  });

  it('no hex blob: the only hex runs longer than an EUI-64 are SHA-256 hashes', () => {
    for (const file of [rendered.json, rendered.csv]) {
      for (const run of file.match(/[0-9A-Fa-f]{17,}/g) ?? []) expect(run).toMatch(/^[0-9a-f]{64}$/);
    }
  });
});
