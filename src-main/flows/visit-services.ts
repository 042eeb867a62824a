import type { RevealedJob } from '../../src-shared/model/job';
import type { PairingResult } from '../../src-shared/model/han';
import type { VisitReading } from '../../src-shared/model/visit-events';
import type { StepState, VisitState } from '../../src-shared/flows/install-visit';
import type { DccService } from '../dcc/dcc-service';
import type { DccRequestRecord } from '../dcc/dcc-gateway';
import type { ServiceRequestVariant } from '../dcc/service-requests';
import type { MbusService } from '../mbus/mbus-service';
import type { RunningPremises } from '../premises/training-premises';
import type { JobStore } from '../store/job-store';
import type { Logger } from '../util/logger';
import type { HanManager } from '../zigbee/han-manager';

/** The existing services a visit's steps act through (the runner owns none of them). */
export interface VisitServices {
  readonly store: JobStore;
  readonly han: HanManager;
  readonly dcc?: DccService;
  readonly mbus?: () => MbusService | undefined;
  readonly premises?: () => RunningPremises | undefined;
  readonly log: Logger;
  /** Pairs an IHD with a meter and records it on the job (ihd.paired); defaults to the HAN service's pairing alone. */
  readonly pairIhd?: (meter: string, ihd: string) => Promise<PairingResult>;
  /** Tests shorten the join and interview waits. */
  readonly timing?: { joinWindowS?: number; joinWaitMs?: number; interviewWaitMs?: number; dccWaitMs?: number; pollMs?: number };
}

/** What a step achieved; becomes the visit.step-result event. */
export interface StepOutcome {
  readonly result: 'done' | 'failed' | 'pending';
  readonly summary: string;
  readonly reason?: string;
  readonly failureCode?: string;
  readonly eui64?: string;
  readonly reading?: VisitReading;
  readonly linkQuality?: { readonly lqi?: number };
  readonly requestIds?: readonly string[];
  readonly details?: Readonly<Record<string, string | number | boolean>>;
}

/** Progress of a long step (join windows, DCC round trips), shown with a cancel button. */
export interface StepProgress {
  readonly text: string;
  readonly endsAtMs?: number;
}

export interface StepContext {
  readonly services: VisitServices;
  readonly job: RevealedJob;
  readonly visit: VisitState;
  readonly step: StepState;
  readonly signal: AbortSignal;
  progress(progress: StepProgress): void;
  /** Appends a job event (validated by the store). */
  record(kind: string, payload: Record<string, unknown>): Promise<void>;
  /**
   * Sends a DCC service request for this step, or picks up the one this step already sent (after a crash or a
   * retry) unless that one ended in failure: never a silent second 8.11. Every state is a dcc.request event.
   * `tag` tells apart several requests of one step (8.7.2 to the ESME and to the GPF).
   */
  dcc(variant: ServiceRequestVariant, params: unknown, tag?: string): Promise<DccRequestRecord>;
}

/** One step kind's side effects. `notApplicable` lets the runner skip it with a reason before it starts. */
export interface StepExecutor {
  notApplicable?(job: RevealedJob, visit: VisitState, step: StepState): string | undefined;
  run(ctx: StepContext): Promise<StepOutcome>;
}

export class StepCancelled extends Error {
  constructor() {
    super('cancelled by the engineer');
    this.name = 'StepCancelled';
  }
}

/** Waits until `probe` yields a value, the deadline passes (undefined) or the step is cancelled (throws). */
export async function waitUntil<T>(probe: () => T | undefined, timeoutMs: number, signal: AbortSignal, pollMs = 100): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (signal.aborted) throw new StepCancelled();
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** The job's device for a per-device step. */
export function stepDevice(ctx: Pick<StepContext, 'job' | 'step'>): RevealedJob['devices'][number] {
  const device = ctx.job.devices.find((d) => d.id === ctx.step.deviceId);
  if (!device) throw new Error(`the job no longer has device ${ctx.step.deviceId ?? '?'}`);
  return device;
}

export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
