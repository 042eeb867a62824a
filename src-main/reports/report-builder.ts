import type { JobEvent } from '../../src-shared/model/job-event';
import { buildInstallReport } from '../../src-shared/reports/build-report';
import type { InstallReport } from '../../src-shared/reports/report-model';
import { maskInstallCode } from '../../src-shared/reports/report-text';
import type { SecretStore } from '../secrets/secret-store';
import type { JobStore } from '../store/job-store';

/**
 * Job events → install report, in main: the pure fold (src-shared/reports/build-report.ts) plus the one thing
 * it cannot do, opening a sealed install code to show its last four digits. A code this secret store cannot
 * open (sealed by another app's keystore) is shown as "••••".
 */

function sealedTokens(events: readonly JobEvent[]): Set<string> {
  const tokens = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'installCode' && value !== null && typeof value === 'object' && typeof (value as { enc?: unknown }).enc === 'string') {
          tokens.add((value as { enc: string }).enc);
        } else walk(value);
      }
    }
  };
  events.forEach((event) => walk(event.payload));
  return tokens;
}

export async function buildReportFromEvents(events: readonly JobEvent[], secrets: SecretStore): Promise<InstallReport> {
  const masked = new Map<string, string>();
  for (const token of sealedTokens(events)) {
    try {
      masked.set(token, maskInstallCode(await secrets.decrypt(token)));
    } catch {
      masked.set(token, maskInstallCode(undefined));
    }
  }
  return buildInstallReport(events, { maskSealed: ({ enc }) => masked.get(enc) });
}

/**
 * The report of a job as it stands, or as it stood after its first `eventCount` events (what verify rebuilds).
 * Later events never change the report of an earlier prefix.
 */
export async function buildJobReport(store: JobStore, secrets: SecretStore, jobId: string, eventCount?: number): Promise<InstallReport> {
  const timeline = store.getJob(jobId).timeline;
  const events = eventCount === undefined ? timeline : timeline.slice(0, eventCount);
  return buildReportFromEvents(events, secrets);
}
