import type { JobEvent } from '../../model/job-event';
import {
  visitAnswersPayload,
  visitOutcomePayload,
  visitStartedPayload,
  visitStepFaultPayload,
  visitStepInterruptedPayload,
  visitStepResultPayload,
  visitStepSkippedPayload,
  visitStepStartedPayload,
} from '../../model/visit-events';
import { initialVisit, type VisitState } from './state';
import { planVisit, stepKey, type PlanDevice } from './steps';
import { transition, type VisitAction } from './transition';

/** The visit rebuilt from a job's timeline, and any event that no longer applied (kept, never fatal). */
export interface FoldedVisit {
  readonly state: VisitState;
  readonly problems: readonly { readonly seq: number; readonly reason: string }[];
}

/** The action an event records, or undefined for events of other kinds or of another visit. */
export function actionFromEvent(event: JobEvent, visitId: string): VisitAction | undefined {
  const at = event.time;
  const ours = (p: { visitId: string }): boolean => p.visitId === visitId;
  switch (event.kind) {
    case 'visit.step-started': {
      const p = visitStepStartedPayload.parse(event.payload);
      return ours(p) ? { type: 'start', key: stepKey(p.step, p.deviceId), at } : undefined;
    }
    case 'visit.step-result': {
      const p = visitStepResultPayload.parse(event.payload);
      if (!ours(p)) return undefined;
      return {
        type: 'result',
        key: stepKey(p.step, p.deviceId),
        result: p.result,
        summary: p.summary,
        at,
        ...(p.reason !== undefined ? { reason: p.reason } : {}),
        ...(p.failureCode !== undefined ? { failureCode: p.failureCode } : {}),
        ...(p.reading !== undefined ? { reading: p.reading } : {}),
        ...(p.requestIds !== undefined ? { requestIds: p.requestIds } : {}),
        ...(p.details !== undefined ? { details: p.details } : {}),
      };
    }
    case 'visit.step-skipped': {
      const p = visitStepSkippedPayload.parse(event.payload);
      return ours(p) ? { type: 'skip', key: stepKey(p.step, p.deviceId), reason: p.reason, reasonCode: p.reasonCode, at } : undefined;
    }
    case 'visit.step-fault': {
      const p = visitStepFaultPayload.parse(event.payload);
      if (!ours(p)) return undefined;
      return {
        type: 'fault',
        key: stepKey(p.step, p.deviceId),
        fault: { faultKind: p.faultKind, text: p.text, ...(p.chfFaultReason ? { chfFaultReason: p.chfFaultReason } : {}) },
        at,
      };
    }
    case 'visit.step-interrupted': {
      const p = visitStepInterruptedPayload.parse(event.payload);
      return ours(p) ? { type: 'interrupt', key: stepKey(p.step, p.deviceId), reason: p.reconciliation, at } : undefined;
    }
    case 'visit.answers': {
      const p = visitAnswersPayload.parse(event.payload);
      return ours(p) ? { type: 'answer', key: stepKey(p.step, p.deviceId), answers: p.answers, at } : undefined;
    }
    case 'visit.outcome': {
      const p = visitOutcomePayload.parse(event.payload);
      if (!ours(p)) return undefined;
      return p.outcome === 'aborted' ? { type: 'abort', abortReason: p.abortReason!, reason: p.reason, at } : { type: 'complete', at };
    }
    default:
      return undefined;
  }
}

/**
 * Rebuilds the job's latest visit from its timeline (the only source of truth), planned for the job's current
 * devices. An event that no longer applies (a device removed since, a duplicate) is reported, not fatal, so a
 * visit always opens. Returns undefined when the job has no visit.
 */
export function foldVisit(timeline: readonly JobEvent[], devices: readonly PlanDevice[]): FoldedVisit | undefined {
  const startIndex = timeline.findLastIndex((e) => e.kind === 'visit.started');
  if (startIndex === -1) return undefined;
  const started = timeline[startIndex]!;
  const p = visitStartedPayload.parse(started.payload);
  let state = initialVisit({ visitId: p.visitId, route: p.route, unattended: p.unattended, at: started.time, plan: planVisit(p.route, devices) });
  const problems: { seq: number; reason: string }[] = [];
  for (const event of timeline.slice(startIndex + 1)) {
    const action = actionFromEvent(event, p.visitId);
    if (!action) continue;
    const next = transition(state, action);
    if (next.ok) state = next.state;
    else problems.push({ seq: event.seq, reason: next.reason });
    if (event.kind === 'visit.outcome' && state.outcome) {
      // The outcome recorded is the evidence; keep its words even if this build would word it differently.
      const o = visitOutcomePayload.parse(event.payload);
      state = {
        ...state,
        outcome: {
          outcome: o.outcome,
          reason: o.reason,
          at: event.time,
          ...(o.abortReason ? { abortReason: o.abortReason } : {}),
          ...(o.pending ? { pending: o.pending } : {}),
        },
      };
    }
  }
  return { state, problems };
}
