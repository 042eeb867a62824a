import type { VisitAnswers, VisitReading } from '../../model/visit-events';
import type { AbortReason, SkipReasonCode, VisitOutcome, VisitRoute } from '../../model/visit-vocabulary';
import type { PlannedStep } from './steps';

/**
 * A step's status. `waiting`: not started; `running`: its side effects are under way; `interrupted`: it was
 * running when the app stopped (safe retry after reconciliation); `pending`: cannot finish today but does not
 * block the visit (ends commissioned-pending).
 */
export type StepStatus = 'waiting' | 'running' | 'done' | 'failed' | 'pending' | 'skipped' | 'interrupted';

/** Statuses that let the visit move past a step. */
export const FINISHED: ReadonlySet<StepStatus> = new Set(['done', 'skipped', 'pending']);

export interface StepFault {
  readonly faultKind: 'comms-hub' | 'device' | 'site';
  readonly text: string;
  readonly chfFaultReason?: string;
  readonly at: string;
}

export interface StepState extends PlannedStep {
  readonly status: StepStatus;
  /** Attempts started so far (0 before the first). */
  readonly attempt: number;
  readonly summary?: string;
  /** Why it failed, is pending, was skipped or interrupted. */
  readonly reason?: string;
  readonly reasonCode?: SkipReasonCode;
  readonly failureCode?: string;
  readonly reading?: VisitReading;
  readonly requestIds?: readonly string[];
  readonly details?: Readonly<Record<string, string | number | boolean>>;
  /** Everything entered at this step, oldest first (removed meters and survey positions can be several). */
  readonly answers: readonly VisitAnswers[];
  readonly faults: readonly StepFault[];
  readonly startedAt?: string;
  readonly finishedAt?: string;
}

export interface VisitOutcomeState {
  readonly outcome: VisitOutcome;
  readonly reason: string;
  readonly abortReason?: AbortReason;
  readonly pending?: readonly string[];
  readonly at: string;
}

export interface VisitState {
  readonly visitId: string;
  readonly route: VisitRoute;
  readonly unattended: boolean;
  readonly startedAt: string;
  readonly steps: readonly StepState[];
  readonly outcome?: VisitOutcomeState;
}

export function initialVisit(input: { visitId: string; route: VisitRoute; unattended?: boolean; at: string; plan: readonly PlannedStep[] }): VisitState {
  return {
    visitId: input.visitId,
    route: input.route,
    unattended: input.unattended ?? false,
    startedAt: input.at,
    steps: input.plan.map((p) => ({ ...p, status: 'waiting', attempt: 0, answers: [], faults: [] })),
  };
}

/** The step the engineer is on: the first one not finished; undefined once every step is finished. */
export function currentStep(state: VisitState): StepState | undefined {
  return state.steps.find((s) => !FINISHED.has(s.status));
}

export function findStep(state: VisitState, key: string): StepState | undefined {
  return state.steps.find((s) => s.key === key);
}

/** What the visit will end as if it completes now: pending steps → commissioned-pending; no WAN → install-and-leave. */
export function prospectiveOutcome(state: VisitState): { outcome: VisitOutcome; pending: string[] } {
  const pending = state.steps.filter((s) => s.status === 'pending').map((s) => `${s.key}: ${s.reason ?? 'pending'}`);
  const hub = findStep(state, 'fit-comms-hub');
  const noWan = hub?.answers.some((a) => a.form === 'comms-hub' && !a.wanAvailable) ?? false;
  if (noWan) return { outcome: 'install-and-leave', pending: [...pending, 'SM WAN: the hub was fitted without WAN (8.14.2)'] };
  if (pending.length > 0) return { outcome: 'commissioned-pending', pending };
  return { outcome: 'completed', pending };
}
