import { z } from 'zod';
import type { StepState, VisitOutcomeState } from '../../flows/install-visit';
import type { VisitAnswers } from '../../model/visit-events';
import { visitAnswersSchema } from '../../model/visit-events';
import { ABORT_REASONS, CHF_FAULT_REASONS, SKIP_REASON_CODES, VISIT_ROUTES, type VisitOutcome, type VisitRoute } from '../../model/visit-vocabulary';
import { event, request } from '../define';

/** One step as the Install screen shows it: its state plus what it will do and what it needs. */
export interface InstallStepView extends Omit<StepState, 'answers'> {
  readonly title: string;
  readonly action: string;
  readonly needs?: VisitAnswers['form'];
  readonly skippable: boolean;
  readonly canPend: boolean;
  readonly judgement: boolean;
  readonly answers: readonly VisitAnswers[];
}

/** A job device as the visit needs it (no install code, only whether there is one). */
export interface InstallDeviceView {
  readonly id: string;
  readonly type: string;
  readonly eui64?: string;
  readonly hasInstallCode: boolean;
  readonly status: string;
}

/** The Install screen's whole state for one job: a projection of the runner's (main is the source of truth). */
export interface InstallView {
  readonly jobId: string;
  readonly visit?: {
    readonly visitId: string;
    readonly route: VisitRoute;
    readonly unattended: boolean;
    readonly startedAt: string;
    readonly currentKey?: string;
    readonly outcome?: VisitOutcomeState;
    /** What the visit would end as if completed now. */
    readonly prospective: { readonly outcome: VisitOutcome; readonly pending: readonly string[] };
    readonly steps: readonly InstallStepView[];
  };
  /** The step whose side effects are under way, with its progress (cancel stops it). */
  readonly running?: { readonly key: string; readonly text?: string; readonly endsAtMs?: number };
  readonly devices: readonly InstallDeviceView[];
  /** Training premises only: the labels printed on the virtual devices, to scan. */
  readonly trainingLabels?: readonly { readonly type: string; readonly eui64: string; readonly label: string }[];
  /** Events of the visit that no longer apply (e.g. a device removed since); shown, never fatal. */
  readonly problems: readonly { readonly seq: number; readonly reason: string }[];
}

const jobId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'job id may use letters, digits, "-" and "_"');
const key = z.string().regex(/^[a-z-]+(:[A-Za-z0-9_-]{1,40})?$/, 'a step key like "join:D1"');
const reason = z.string().trim().min(1, 'say why').max(500, 'at most 500 characters');

export const installRequests = {
  'install:view': request<InstallView>()(z.object({ jobId }).strict()),
  /** Starts a visit on a route (a job whose last visit ended may be visited again). */
  'install:begin': request<InstallView>()(z.object({ jobId, route: z.enum(VISIT_ROUTES) }).strict()),
  'install:answer': request<InstallView>()(z.object({ jobId, key, answers: visitAnswersSchema }).strict()),
  /** A scanned or typed label (`Z:<EUI-64>$I:<code>` or `EUI|code`) for a job device: sealed into the job, never echoed. */
  'install:identify': request<InstallView>()(
    z.object({ jobId, deviceId: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/), label: z.string().trim().min(1).max(200) }).strict(),
  ),
  /** Runs (or retries) a step; resolves when it has a result. Progress arrives as install:changed. */
  'install:run': request<InstallView>()(z.object({ jobId, key }).strict()),
  'install:cancel': request<InstallView>()(z.object({ jobId }).strict()),
  'install:skip': request<InstallView>()(z.object({ jobId, key, reason, reasonCode: z.enum(SKIP_REASON_CODES).default('engineer-decision') }).strict()),
  'install:fault': request<InstallView>()(
    z
      .object({
        jobId,
        key,
        faultKind: z.enum(['comms-hub', 'device', 'site']),
        chfFaultReason: z.enum(CHF_FAULT_REASONS).optional(),
        text: reason,
      })
      .strict(),
  ),
  'install:abort': request<InstallView>()(z.object({ jobId, abortReason: z.enum(ABORT_REASONS), reason }).strict()),
  'install:complete': request<InstallView>()(z.object({ jobId }).strict()),
};

export const installEvents = {
  /** The visit of a job changed (a step started, progressed, finished; an answer; the outcome). */
  'install:changed': event<InstallView>(),
};
