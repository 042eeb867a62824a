import type { DeviceStatus, DeviceType, JobStatus } from '../model/job';

/**
 * The install report: what an engineer leaves behind and what the back office and an auditor check. It is
 * built from the job's events alone (report-builder.ts), so `hantool report verify` can rebuild it from the
 * first `timeline.eventCount` events and compare every field. Nothing in it depends on when or where it was
 * generated: the same events always give the same report.
 *
 * Secrets never appear in full: install codes are masked ("••••C3B5", as in docs/work-order.md), keys and raw
 * payloads are not carried at all. The only long hex strings are SHA-256 hashes.
 */

export const REPORT_FORMAT = 'han-commissioner.install-report';
export const REPORT_VERSION = 1;

export const VISIT_ROUTES = ['live-comms-hub', 'own-network', 'unspecified'] as const;
export type VisitRoute = (typeof VISIT_ROUTES)[number];

export const VISIT_OUTCOMES = ['in-progress', 'completed', 'install-and-leave', 'commissioned-pending', 'aborted'] as const;
export type VisitOutcome = (typeof VISIT_OUTCOMES)[number];

export const STAGE_OUTCOMES = ['ok', 'failed', 'pending', 'skipped'] as const;
export type StageOutcome = (typeof STAGE_OUTCOMES)[number];

/** One stage of a device's commissioning (whitelist, join, interview, commission) as last recorded. */
export interface StageResult {
  readonly outcome: StageOutcome;
  readonly at: string;
  readonly reason?: string;
}

export const DEVICE_STAGES = ['whitelist', 'join', 'interview', 'commission'] as const;
export type DeviceStage = (typeof DEVICE_STAGES)[number];

export interface ReportDevice {
  /** The job's device id; absent for a device that joined the HAN without being on the job. */
  readonly id?: string;
  readonly type: DeviceType;
  readonly eui64?: string;
  readonly label?: string;
  /** Masked: "••••" and the last four hex digits (the CRC) at most. */
  readonly installCode?: string;
  /** On the job's device list (false: seen on the HAN only). */
  readonly listed: boolean;
  readonly status: DeviceStatus | 'removed';
  readonly statusReason?: string;
  readonly manufacturer?: string;
  readonly model?: string;
  readonly firmware?: string;
  /** A wired or wireless M-Bus meter's identity (manufacturer code, 8-digit id, medium, version). */
  readonly mbus?: {
    readonly manufacturer: string;
    readonly id: string;
    readonly medium: string;
    readonly version: number;
    readonly primary?: number;
    readonly wireless?: boolean;
  };
  readonly stages: Partial<Record<DeviceStage, StageResult>>;
  readonly linkQuality?: { readonly lqi?: number; readonly rssi?: number };
  readonly leftNetworkAt?: string;
  /** Identity corrections, each with its reason and the fields it changed (history is never rewritten). */
  readonly corrections?: readonly {
    readonly seq: number;
    readonly at: string;
    readonly reason: string;
    readonly note?: string;
    readonly fields: readonly string[];
  }[];
  readonly removed?: { readonly at: string; readonly reason?: string; readonly reasonCode?: string };
}

/** One IHD pairing attempt (or an unpairing) and its proof. */
export interface ReportPairing {
  readonly seq: number;
  readonly at: string;
  readonly action: 'paired' | 'unpaired';
  readonly ihd: string;
  readonly meter: string;
  readonly meterType?: string;
  readonly proven?: boolean;
  readonly reportsReceived?: number;
  readonly error?: string;
}

export interface ReportReading {
  readonly seq: number;
  readonly source: string;
  readonly value: number;
  readonly unit: string;
  readonly valueWh?: number;
  readonly takenAt: string;
  readonly deviceEui64?: string;
  readonly reference?: string;
}

export interface ReportVerification {
  readonly seq: number;
  readonly pass: boolean;
  readonly checkedAt: string;
  readonly first: { readonly source: string; readonly value: number; readonly unit: string; readonly takenAt: string };
  readonly second: { readonly source: string; readonly value: number; readonly unit: string; readonly takenAt: string };
  readonly differenceWh: number;
  readonly allowedWh: number;
  readonly reason: string;
  /** The MPAN of the meter point read, where it differs from the job's and the engineer confirmed it. */
  readonly meterPointMpan?: string;
  readonly mpanMismatchConfirmed?: boolean;
}

export interface ReportHanNetwork {
  readonly seq: number;
  readonly at: string;
  readonly action: string;
  readonly panId: string;
  readonly extendedPanId: string;
  readonly channel: number;
  readonly adapter: string;
}

export interface ReportCommsHub {
  readonly deviceId?: string;
  readonly installType?: string;
  readonly connectionMethod?: string;
  readonly location?: string;
  readonly premisesType?: string;
  readonly aerial?: string;
  readonly additionalInformation?: string;
  readonly recordedAt: string;
}

export interface ReportRemovedMeter {
  readonly seq: number;
  readonly at: string;
  readonly serial: string;
  readonly fuel?: string;
  readonly finalReading?: { readonly value: number; readonly unit: string; readonly readBy: string };
  readonly reason?: string;
}

export interface ReportSurveyPosition {
  readonly seq: number;
  readonly at: string;
  readonly position: string;
  readonly lqi?: number;
  readonly rssi?: number;
  readonly note?: string;
}

export interface ReportFault {
  readonly seq: number;
  readonly at: string;
  readonly kind: 'fault' | 'abort' | 'skip';
  readonly step?: string;
  readonly reason: string;
  readonly detail?: string;
}

export interface ReportDccRequest {
  readonly seq: number;
  readonly at: string;
  readonly requestId: string;
  readonly serviceRequest: string;
  readonly responseCode?: string;
  readonly outcome?: string;
  readonly detail?: string;
}

export interface ReportStep {
  readonly seq: number;
  readonly at: string;
  readonly step: string;
  readonly result: string;
  readonly detail?: string;
}

export interface ReportNote {
  readonly seq: number;
  readonly at: string;
  readonly engineer: string;
  readonly text: string;
}

export interface InstallReport {
  readonly format: typeof REPORT_FORMAT;
  readonly version: typeof REPORT_VERSION;
  /** "draft" while the visit is unfinished: every page of the PDF says so. */
  readonly status: 'draft' | 'final';
  /** What the report was built from: the job's first `eventCount` events, the last of which hashes to `headHash`. */
  readonly timeline: {
    readonly jobId: string;
    readonly eventCount: number;
    readonly headHash: string;
    readonly firstEventAt: string;
    readonly lastEventAt: string;
  };
  readonly job: {
    readonly id: string;
    readonly workOrderReference?: string;
    readonly createdAt: string;
    readonly createdBy: string;
    readonly status: JobStatus;
    readonly statusReason?: string;
  };
  readonly premises: {
    readonly address: { readonly line1: string; readonly line2?: string; readonly town: string; readonly postcode: string };
    readonly mpan?: string;
    readonly mprn?: string;
    readonly siteNotes?: string;
    readonly appointment?: { readonly start: string; readonly end?: string };
  };
  /** The assigned engineer (work order) and everyone who recorded an event. */
  readonly engineer: { readonly assigned?: string; readonly recordedBy: readonly string[] };
  readonly visit: {
    readonly route: VisitRoute;
    readonly outcome: VisitOutcome;
    readonly outcomeReason?: string;
    readonly startedAt: string;
    readonly endedAt?: string;
    readonly steps: readonly ReportStep[];
  };
  readonly devices: readonly ReportDevice[];
  readonly commsHub?: ReportCommsHub;
  readonly removedMeters: readonly ReportRemovedMeter[];
  readonly readings: readonly ReportReading[];
  readonly verifications: readonly ReportVerification[];
  readonly rfSurvey: readonly ReportSurveyPosition[];
  readonly faults: readonly ReportFault[];
  readonly dccRequests: readonly ReportDccRequest[];
  readonly hanNetworks: readonly ReportHanNetwork[];
  readonly pairings: readonly ReportPairing[];
  readonly notes: readonly ReportNote[];
}
