import type { JobEvent } from '../model/job-event';
import { hanFamily } from './families/han-family';
import { jobFamily } from './families/job-family';
import { verificationFamily } from './families/verification-family';
import { visitFamily } from './families/visit-family';
import { dccFamily } from './families/dcc-family';
import { recordFamily } from './families/record-family';
import type { EventFamily, MapperContext, ReportDraft } from './report-draft';
import { REPORT_FORMAT, REPORT_VERSION, type InstallReport } from './report-model';
import { maskInstallCode, scrubReportText } from './report-text';

/**
 * Folds a job's events into its install report. Pure and deterministic: the same events give the same
 * report, which is what lets `report verify` rebuild and compare. Each family of event kinds maps in its own
 * module under families/; a kind no family knows adds nothing (it is still counted in the timeline).
 */

const FAMILIES: readonly EventFamily[] = [jobFamily, recordFamily, hanFamily, verificationFamily, visitFamily, dccFamily];
const MAPPERS = new Map(FAMILIES.flatMap((family) => Object.entries(family)));

export interface BuildReportOptions {
  /**
   * The masked form of a sealed install code ("••••C3B5"). Main reveals the code's last four digits; without
   * it a sealed code is shown as "••••".
   */
  readonly maskSealed?: (sealed: { readonly enc: string }) => string | undefined;
}

export class ReportBuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportBuildError';
  }
}

function emptyDraft(first: JobEvent): ReportDraft {
  return {
    job: { id: first.jobId, createdAt: first.time, createdBy: first.engineer, status: 'open' },
    premises: { address: { line1: '', town: '', postcode: '' } },
    engineer: { recordedBy: [] },
    visit: { route: 'unspecified', outcome: 'in-progress', startedAt: first.time, steps: [] },
    devices: [],
    removedMeters: [],
    readings: [],
    verifications: [],
    rfSurvey: [],
    faults: [],
    dccRequests: [],
    hanNetworks: [],
    pairings: [],
    notes: [],
    routeRecorded: false,
  };
}

/** The visit's own outcome event wins over the job's status; an abort is listed among the faults with its reason. */
function settleOutcome(draft: ReportDraft): void {
  const chosen = draft.visitOutcome ?? draft.jobOutcome;
  if (!chosen) return;
  draft.visit.outcome = chosen.outcome;
  draft.visit.endedAt = chosen.at;
  if (chosen.reason !== undefined) draft.visit.outcomeReason = chosen.reason;
  if (chosen.outcome !== 'aborted') return;
  const reason = chosen.abortReason ?? chosen.reason ?? 'aborted';
  const detail = chosen.abortReason !== undefined ? chosen.reason : undefined;
  draft.faults.push({ seq: chosen.seq, at: chosen.at, kind: 'abort', reason, ...(detail !== undefined ? { detail } : {}) });
  draft.faults.sort((a, b) => a.seq - b.seq);
}

export function buildInstallReport(events: readonly JobEvent[], options: BuildReportOptions = {}): InstallReport {
  const first = events[0];
  const last = events.at(-1);
  if (!first || !last || first.kind !== 'job.created') throw new ReportBuildError('a report needs the job from its job.created event on');
  const draft = emptyDraft(first);
  const maskSecret = (value: unknown): string => {
    if (typeof value === 'string') return maskInstallCode(value);
    if (typeof value === 'object' && value !== null && typeof (value as { enc?: unknown }).enc === 'string') {
      return options.maskSealed?.(value as { enc: string }) ?? maskInstallCode(undefined);
    }
    return maskInstallCode(undefined);
  };
  for (const event of events) {
    if (!draft.engineer.recordedBy.includes(event.engineer)) draft.engineer.recordedBy.push(event.engineer);
    const context: MapperContext = { event, maskSecret, text: scrubReportText };
    MAPPERS.get(event.kind)?.(draft, event.payload, context);
  }
  settleOutcome(draft);
  const { routeRecorded: _routeRecorded, jobOutcome: _jobOutcome, visitOutcome: _visitOutcome, commsHub, ...rest } = draft;
  void [_routeRecorded, _jobOutcome, _visitOutcome];
  const report: InstallReport = {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    status: draft.visit.outcome === 'in-progress' ? 'draft' : 'final',
    timeline: { jobId: first.jobId, eventCount: events.length, headHash: last.hash, firstEventAt: first.time, lastEventAt: last.time },
    ...rest,
    ...(commsHub ? { commsHub } : {}),
  };
  // A JSON round trip drops undefined fields, so the model equals what a file holds.
  return JSON.parse(JSON.stringify(report)) as InstallReport;
}
