import type { VisitAnswers, VisitReading } from '../../model/visit-events';
import type { AbortReason, SkipReasonCode } from '../../model/visit-vocabulary';
import { currentStep, findStep, FINISHED, prospectiveOutcome, type StepFault, type StepState, type VisitState } from './state';
import { stepDefinition } from './steps';

/**
 * Everything that can happen to a visit. The runner (src-main/flows) performs side effects and reports them as
 * these actions; the same actions are rebuilt from the job's events on resume (from-events.ts).
 */
export type VisitAction =
  | { readonly type: 'start'; readonly key: string; readonly at: string }
  | { readonly type: 'answer'; readonly key: string; readonly answers: VisitAnswers; readonly at: string }
  | {
      readonly type: 'result';
      readonly key: string;
      readonly result: 'done' | 'failed' | 'pending';
      readonly summary: string;
      readonly reason?: string;
      readonly failureCode?: string;
      readonly reading?: VisitReading;
      readonly requestIds?: readonly string[];
      readonly details?: Readonly<Record<string, string | number | boolean>>;
      readonly at: string;
    }
  | { readonly type: 'skip'; readonly key: string; readonly reason: string; readonly reasonCode: SkipReasonCode; readonly at: string }
  | { readonly type: 'fault'; readonly key: string; readonly fault: Omit<StepFault, 'at'>; readonly at: string }
  | { readonly type: 'interrupt'; readonly key: string; readonly reason: string; readonly at: string }
  | { readonly type: 'abort'; readonly abortReason: AbortReason; readonly reason: string; readonly at: string }
  | { readonly type: 'complete'; readonly at: string };

export type TransitionResult = { readonly ok: true; readonly state: VisitState } | { readonly ok: false; readonly reason: string };

const reject = (reason: string): TransitionResult => ({ ok: false, reason });

function replaceStep(state: VisitState, key: string, change: (step: StepState) => StepState): VisitState {
  return { ...state, steps: state.steps.map((s) => (s.key === key ? change(s) : s)) };
}

/** Looks up the step an action names and checks the visit is still open. */
function target(state: VisitState, key: string): StepState | string {
  if (state.outcome) return `the visit has ended (${state.outcome.outcome}); nothing more can change`;
  const step = findStep(state, key);
  if (!step) return `this visit has no step "${key}"`;
  return step;
}

function isCurrent(state: VisitState, step: StepState): string | undefined {
  const current = currentStep(state);
  if (current?.key === step.key) return undefined;
  if (FINISHED.has(step.status)) return `"${stepDefinition(step.kind, state.route).title}" is already ${step.status}`;
  return `finish "${current ? stepDefinition(current.kind, state.route).title : '?'}" first: steps are done in order`;
}

function start(state: VisitState, key: string, at: string): TransitionResult {
  const step = target(state, key);
  if (typeof step === 'string') return reject(step);
  const notCurrent = isCurrent(state, step);
  if (notCurrent) return reject(notCurrent);
  if (step.status === 'running') return reject('this step is already running');
  const definition = stepDefinition(step.kind, state.route);
  if (step.kind === 'completion') return reject('completion is done with "complete", which records the outcome');
  if (definition.needs && !step.answers.some((a) => a.form === definition.needs))
    return reject(`enter the ${definition.needs.replace(/-/g, ' ')} details before this step runs`);
  return {
    ok: true,
    state: replaceStep(state, key, (s) => {
      const { reason: _r, failureCode: _f, ...rest } = s;
      return { ...rest, status: 'running', attempt: s.attempt + 1, startedAt: at };
    }),
  };
}

function result(state: VisitState, action: Extract<VisitAction, { type: 'result' }>): TransitionResult {
  const step = target(state, action.key);
  if (typeof step === 'string') return reject(step);
  if (step.status !== 'running') return reject(`a result needs a running step; this one is ${step.status}`);
  if (action.result !== 'done' && !action.reason?.trim()) return reject(`a ${action.result} step needs a reason`);
  if (action.result === 'pending' && !stepDefinition(step.kind, state.route).canPend)
    return reject(`"${stepDefinition(step.kind, state.route).title}" cannot be left pending`);
  return {
    ok: true,
    state: replaceStep(state, action.key, (s) => ({
      ...s,
      status: action.result,
      summary: action.summary,
      finishedAt: action.at,
      ...(action.reason !== undefined ? { reason: action.reason } : {}),
      ...(action.failureCode !== undefined ? { failureCode: action.failureCode } : {}),
      ...(action.reading !== undefined ? { reading: action.reading } : {}),
      ...(action.requestIds !== undefined ? { requestIds: action.requestIds } : {}),
      ...(action.details !== undefined ? { details: action.details } : {}),
    })),
  };
}

function skip(state: VisitState, action: Extract<VisitAction, { type: 'skip' }>): TransitionResult {
  const step = target(state, action.key);
  if (typeof step === 'string') return reject(step);
  if (!action.reason.trim()) return reject('a step can only be skipped with a reason');
  const notCurrent = isCurrent(state, step);
  if (notCurrent) return reject(notCurrent);
  if (step.status === 'running') return reject('this step is running: cancel it or wait for its result before skipping');
  if (!stepDefinition(step.kind, state.route).skippable) return reject(`"${stepDefinition(step.kind, state.route).title}" cannot be skipped`);
  const skipped = (s: StepState, reason: string): StepState => ({ ...s, status: 'skipped', reason, reasonCode: action.reasonCode, finishedAt: action.at });
  let next = replaceStep(state, action.key, (s) => skipped(s, action.reason));
  // A device that is not on the HAN cannot do its later steps: they follow the first one skipped.
  const first = step.deviceId !== undefined && state.steps.find((s) => s.deviceId === step.deviceId)?.key === step.key;
  if (first) {
    const because = `follows from "${stepDefinition(step.kind, state.route).title}" skipped: ${action.reason}`.slice(0, 500);
    next = { ...next, steps: next.steps.map((s) => (s.deviceId === step.deviceId && s.status === 'waiting' ? skipped(s, because) : s)) };
  }
  return { ok: true, state: next };
}

/** Applies one action: the new state, or why it is not allowed (in the engineer's words). Pure. */
export function transition(state: VisitState, action: VisitAction): TransitionResult {
  switch (action.type) {
    case 'start':
      return start(state, action.key, action.at);
    case 'result':
      return result(state, action);
    case 'skip':
      return skip(state, action);
    case 'answer': {
      const step = target(state, action.key);
      if (typeof step === 'string') return reject(step);
      if (step.status === 'running') return reject('wait for the step to finish before changing what was entered');
      if (FINISHED.has(step.status) && step.status !== 'pending') return reject(`"${stepDefinition(step.kind, state.route).title}" is already ${step.status}`);
      return { ok: true, state: replaceStep(state, action.key, (s) => ({ ...s, answers: [...s.answers, action.answers] })) };
    }
    case 'fault': {
      const step = target(state, action.key);
      if (typeof step === 'string') return reject(step);
      if (!action.fault.text.trim()) return reject('describe the fault');
      if (action.fault.faultKind === 'comms-hub' && !action.fault.chfFaultReason) return reject('choose the Comms Hub fault reason (8.14.3)');
      return { ok: true, state: replaceStep(state, action.key, (s) => ({ ...s, faults: [...s.faults, { ...action.fault, at: action.at }] })) };
    }
    case 'interrupt': {
      const step = target(state, action.key);
      if (typeof step === 'string') return reject(step);
      if (step.status !== 'running') return reject(`only a running step can be interrupted; this one is ${step.status}`);
      return { ok: true, state: replaceStep(state, action.key, (s) => ({ ...s, status: 'interrupted', reason: action.reason })) };
    }
    case 'abort': {
      if (state.outcome) return reject(`the visit has ended (${state.outcome.outcome})`);
      if (!action.reason.trim()) return reject('say why the visit is aborted');
      if (state.steps.some((s) => s.status === 'running')) return reject('a step is running: cancel it or wait for its result before aborting');
      return { ok: true, state: { ...state, outcome: { outcome: 'aborted', reason: action.reason, abortReason: action.abortReason, at: action.at } } };
    }
    case 'complete': {
      if (state.outcome) return reject(`the visit has ended (${state.outcome.outcome})`);
      const current = currentStep(state);
      if (current?.kind !== 'completion') {
        return reject(current ? `finish "${stepDefinition(current.kind, state.route).title}" first` : 'this visit has no completion step');
      }
      const { outcome, pending } = prospectiveOutcome(state);
      const reason =
        outcome === 'completed'
          ? 'Every step done or skipped with a reason'
          : outcome === 'install-and-leave'
            ? 'Installed without SM WAN (install and leave)'
            : 'Installed; commissioning requests pending at the DCC';
      const done = replaceStep(state, current.key, (s) => ({ ...s, status: 'done', attempt: s.attempt + 1, summary: reason, finishedAt: action.at }));
      return { ok: true, state: { ...done, outcome: { outcome, reason, at: action.at, ...(pending.length ? { pending } : {}) } } };
    }
  }
}
