import type { InstallReport } from '../../src-shared/reports/report-model';
import { REPORT_FORMAT, REPORT_VERSION } from '../../src-shared/reports/report-model';
import type { SecretStore } from '../secrets/secret-store';
import type { JobStore } from '../store/job-store';
import { buildReportFromEvents } from './report-builder';
import { extractEmbeddedJson } from './pdf-attachment';

/**
 * Tamper evidence: a report names its job, event count and head hash; verify rebuilds the report from the
 * job's first `eventCount` events and compares every field, so an edited MPAN or reading is caught and named,
 * not only a broken chain. Events appended later (the visit went on) never invalidate an earlier report.
 */

export interface ReportVerdict {
  readonly valid: boolean;
  readonly reason: string;
}

export class ReportFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportFileError';
  }
}

/** The JSON report in a report file: the file itself, or the PDF's attachment. */
export function readReportFile(content: Buffer): InstallReport {
  const json = content.subarray(0, 5).toString('latin1') === '%PDF-' ? extractEmbeddedJson(content) : content.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new ReportFileError('the report is not valid JSON');
  }
  const report = value as Partial<InstallReport> | null;
  if (!report || typeof report !== 'object' || report.format !== REPORT_FORMAT)
    throw new ReportFileError(`the file is not an install report (format "${REPORT_FORMAT}")`);
  if (report.version !== REPORT_VERSION)
    throw new ReportFileError(`install report version ${String(report.version)} is not supported (this build reads ${REPORT_VERSION})`);
  const t = report.timeline;
  if (!t || typeof t.jobId !== 'string' || !Number.isInteger(t.eventCount) || t.eventCount < 1 || typeof t.headHash !== 'string') {
    throw new ReportFileError('the report does not name its job, event count and head hash');
  }
  return report as InstallReport;
}

const MASK_ONLY = '••••';
const MASKED = /^••••[0-9A-F]{4}$/;

const show = (value: unknown): string => (value === undefined ? 'nothing' : JSON.stringify(value));

/** The first path where two JSON values differ, with both values; undefined when equal. */
export function firstDifference(expected: unknown, actual: unknown, path = ''): string | undefined {
  if (Object.is(expected, actual)) return undefined;
  // An install code sealed by another secret store (the desktop app's keystore) cannot be opened here, so
  // its masked digits cannot be checked; "••••" from the job accepts any masked form.
  if (path.endsWith('.installCode') && expected === MASK_ONLY && typeof actual === 'string' && MASKED.test(actual)) return undefined;
  const bothObjects = typeof expected === 'object' && expected !== null && typeof actual === 'object' && actual !== null;
  if (!bothObjects || Array.isArray(expected) !== Array.isArray(actual)) {
    return `${path || 'the report'} differs: the report has ${show(actual)}, the job's events give ${show(expected)}`;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
      const found = firstDifference(expected[i], actual[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  const e = expected as Record<string, unknown>;
  const a = actual as Record<string, unknown>;
  for (const key of new Set([...Object.keys(e), ...Object.keys(a)])) {
    const found = firstDifference(e[key], a[key], path ? `${path}.${key}` : key);
    if (found) return found;
  }
  return undefined;
}

export async function verifyReport(report: InstallReport, store: JobStore, secrets: SecretStore): Promise<ReportVerdict> {
  const { jobId, eventCount, headHash } = report.timeline;
  let timeline;
  try {
    timeline = store.getJob(jobId).timeline;
  } catch {
    return { valid: false, reason: `job ${jobId} is not in this data folder` };
  }
  const integrity = await store.verify(jobId);
  if (!integrity.ok && integrity.brokenSeq <= eventCount) {
    return { valid: false, reason: `the job's timeline is damaged at event ${integrity.brokenSeq}: ${integrity.reason}` };
  }
  if (timeline.length < eventCount) return { valid: false, reason: `the report claims ${eventCount} events but job ${jobId} has ${timeline.length}` };
  const head = timeline[eventCount - 1]!;
  if (head.hash !== headHash)
    return { valid: false, reason: `timeline.headHash differs: event ${eventCount} of job ${jobId} hashes to ${head.hash}, not ${headHash}` };
  const rebuilt = await buildReportFromEvents(timeline.slice(0, eventCount), secrets);
  const difference = firstDifference(rebuilt, report);
  if (difference) return { valid: false, reason: difference };
  return { valid: true, reason: `matches the first ${eventCount} events of job ${jobId} (head ${headHash})` };
}
