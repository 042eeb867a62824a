import type { JobEvent } from '../model/job-event';
import type { InstallReport, ReportDevice, StageResult, DeviceStage } from './report-model';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A device while the report is being built: the same fields, writable. */
export type DraftDevice = Mutable<Omit<ReportDevice, 'stages' | 'corrections'>> & {
  stages: Partial<Record<DeviceStage, StageResult>>;
  corrections?: NonNullable<ReportDevice['corrections']>[number][];
};

/** The report while events are folded into it; report-builder.ts turns it into an InstallReport. */
export type ReportDraft = Mutable<Omit<InstallReport, 'devices' | 'visit' | 'job' | 'premises' | 'engineer' | 'format' | 'version' | 'status' | 'timeline'>> & {
  job: Mutable<InstallReport['job']>;
  premises: Mutable<InstallReport['premises']>;
  engineer: { assigned?: string; recordedBy: string[] };
  visit: Mutable<InstallReport['visit']> & { steps: Mutable<InstallReport['visit']['steps']> };
  devices: DraftDevice[];
  removedMeters: Mutable<InstallReport['removedMeters']>;
  readings: Mutable<InstallReport['readings']>;
  verifications: Mutable<InstallReport['verifications']>;
  rfSurvey: Mutable<InstallReport['rfSurvey']>;
  faults: Mutable<InstallReport['faults']>;
  dccRequests: Mutable<InstallReport['dccRequests']>;
  hanNetworks: Mutable<InstallReport['hanNetworks']>;
  pairings: Mutable<InstallReport['pairings']>;
  notes: Mutable<InstallReport['notes']>;
  /** Set by a visit event; until then the route is inferred (a HAN network we formed means own-network). */
  routeRecorded: boolean;
  /** How the job's status ended it, and how the visit's own outcome event did; the visit's wins (build-report.ts). */
  jobOutcome?: OutcomeRecord;
  visitOutcome?: OutcomeRecord;
};

export interface OutcomeRecord {
  readonly seq: number;
  readonly at: string;
  readonly outcome: Exclude<InstallReport['visit']['outcome'], 'in-progress'>;
  readonly reason?: string;
  /** For an abort: the reason from the industry's list. */
  readonly abortReason?: string;
}

/** What a mapper gets besides the payload: the event and the report's rules for secrets and free text. */
export interface MapperContext {
  readonly event: JobEvent;
  /** "••••C3B5" for a sealed or plain install code, never the code itself. */
  maskSecret(value: unknown): string;
  /** Free text with any hex blob (key, raw payload) replaced. */
  text(value: string): string;
}

export type EventMapper = (draft: ReportDraft, payload: Record<string, unknown>, context: MapperContext) => void;

/** The mappers of one family of event kinds, by kind. */
export type EventFamily = Readonly<Record<string, EventMapper>>;

/** The device an EUI-64 belongs to; a device seen only on the HAN is added as unlisted. */
export function deviceByEui64(draft: ReportDraft, eui64: string, type: ReportDevice['type'] = 'OTHER'): DraftDevice {
  const found = draft.devices.find((d) => d.eui64 === eui64 && d.status !== 'removed');
  if (found) return found;
  const added: DraftDevice = { type, eui64, listed: false, status: 'expected', stages: {} };
  draft.devices.push(added);
  return added;
}

export function deviceById(draft: ReportDraft, id: string): DraftDevice | undefined {
  return draft.devices.find((d) => d.id === id && d.status !== 'removed');
}

export function stage(outcome: StageResult['outcome'], at: string, reason?: string): StageResult {
  return reason !== undefined ? { outcome, at, reason } : { outcome, at };
}
