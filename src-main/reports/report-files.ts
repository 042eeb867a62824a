import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { ReportFormat, ReportSetView } from '../../src-shared/ipc/channels/reports';
import { REPORT_FORMATS } from '../../src-shared/ipc/channels/reports';
import type { InstallReport } from '../../src-shared/reports/report-model';
import { writeFileAtomicSync } from '../store/atomic-file';
import { renderReportCsv } from './report-csv';
import { renderReportJson } from './report-json';
import { renderReportPdf, reportBaseName } from './report-pdf';
import { readReportFile } from './report-verify';

/**
 * Report files under the data folder: `<data>/reports/<jobId>/install-report-<jobId>-e<eventCount>.{pdf,json,csv}`.
 * A name carries the event count, so re-generating an unchanged job rewrites the same files (same content)
 * and a job that moved on gets new ones beside the old; nothing earlier is ever overwritten with other content.
 */

export const REPORTS_DIR = 'reports';

export class ReportFilesError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'BAD_FOLDER',
    message: string,
  ) {
    super(message);
    this.name = 'ReportFilesError';
  }
}

export interface RenderedReport {
  readonly pdf: Buffer;
  readonly json: string;
  readonly csv: string;
}

export async function renderAll(report: InstallReport): Promise<RenderedReport> {
  return { pdf: await renderReportPdf(report), json: renderReportJson(report), csv: renderReportCsv(report) };
}

export function jobReportsDir(dataDir: string, jobId: string): string {
  return join(dataDir, REPORTS_DIR, jobId);
}

export async function writeReportSet(dataDir: string, report: InstallReport): Promise<ReportSetView> {
  const folder = jobReportsDir(dataDir, report.timeline.jobId);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const rendered = await renderAll(report);
  const base = reportBaseName(report);
  // JSON last: its presence marks a complete set for listReports.
  // Each file: temp → fsync → rename → fsync the folder, so a crash leaves the old file or the new one, never half.
  writeFileAtomicSync(join(folder, `${base}.pdf`), rendered.pdf);
  writeFileAtomicSync(join(folder, `${base}.csv`), rendered.csv);
  writeFileAtomicSync(join(folder, `${base}.json`), rendered.json);
  return describeSet(folder, report);
}

async function describeSet(folder: string, report: InstallReport): Promise<ReportSetView> {
  const base = reportBaseName(report);
  const files = [];
  let writtenAt = '';
  for (const format of REPORT_FORMATS) {
    const info = await stat(join(folder, `${base}.${format}`)).catch(() => undefined);
    if (!info) continue;
    files.push({ format, name: `${base}.${format}`, bytes: info.size });
    if (format === 'json') writtenAt = info.mtime.toISOString();
  }
  const { jobId, eventCount, headHash } = report.timeline;
  return { jobId, eventCount, headHash, status: report.status, outcome: report.visit.outcome, writtenAt, folder, files };
}

export async function listReports(dataDir: string, jobId: string): Promise<ReportSetView[]> {
  const folder = jobReportsDir(dataDir, jobId);
  const names = await readdir(folder).catch(() => [] as string[]);
  const sets: ReportSetView[] = [];
  for (const name of names.filter((n) => n.startsWith('install-report-') && n.endsWith('.json'))) {
    try {
      sets.push(await describeSet(folder, readReportFile(await readFile(join(folder, name)))));
    } catch {
      // Not a report we can read (edited by hand?): it is not listed; `hantool report verify` explains why.
    }
  }
  return sets.sort((a, b) => b.eventCount - a.eventCount);
}

/** A written report file's name and bytes (for the browser's download), or NOT_FOUND with what to do. */
export async function readWrittenReport(dataDir: string, jobId: string, eventCount: number, format: ReportFormat): Promise<{ name: string; bytes: Buffer }> {
  const name = `install-report-${jobId}-e${eventCount}.${format}`;
  const bytes = await readFile(join(jobReportsDir(dataDir, jobId), name)).catch(() => undefined);
  if (!bytes) throw new ReportFilesError('NOT_FOUND', `no ${format.toUpperCase()} report ${name}; generate it first`);
  return { name, bytes };
}

/** Copies a written report file to the path the engineer chose in the system's save dialog (which asked before replacing a file). */
export async function copyWrittenReport(dataDir: string, jobId: string, eventCount: number, format: ReportFormat, target: string): Promise<string> {
  if (!isAbsolute(target)) throw new ReportFilesError('BAD_FOLDER', `the save dialog gave no full path (${target})`);
  const { bytes } = await readWrittenReport(dataDir, jobId, eventCount, format);
  // Atomic: a stick pulled mid-save leaves no half report under the chosen name.
  writeFileAtomicSync(target, bytes);
  return target;
}
