import { randomUUID } from 'node:crypto';
import type { InstallView } from '../../src-shared/ipc/channels/install';
import { AppError } from '../../src-shared/ipc/result';
import { parseInstallCode } from '../../src-shared/model/install-code';
import type { Job } from '../../src-shared/model/job';
import type { VisitAnswers } from '../../src-shared/model/visit-events';
import type { AbortReason, ChfFaultReason, SkipReasonCode, VisitRoute } from '../../src-shared/model/visit-vocabulary';
import {
  findStep,
  foldVisit,
  stepDefinition,
  transition,
  type FoldedVisit,
  type StepState,
  type VisitAction,
  type VisitState,
} from '../../src-shared/flows/install-visit';
import { sendForStep } from './dcc-step-requests';
import { LIVE_EXECUTORS } from './live-steps';
import { OWN_NETWORK_EXECUTORS } from './own-network-steps';
import { reconcileInterrupted } from './reconcile';
import { testPause } from './test-pause';
import { toInstallView } from './install-view';
import { errorText, StepCancelled, type StepContext, type StepExecutor, type StepOutcome, type StepProgress, type VisitServices } from './visit-services';

interface Running {
  readonly key: string;
  readonly controller: AbortController;
  progress?: StepProgress;
}

/**
 * Performs a visit's steps through the existing services and writes everything into the job's timeline: step
 * started/result/skipped/fault/interrupted, answers, DCC requests and the outcome. The visit's state is never kept
 * anywhere else: each call folds the job's events (src-shared/flows/install-visit), so a restart resumes exactly
 * where the timeline says. A step found running in the timeline but not in this process was cut off by a crash:
 * it is marked interrupted, with what the DCC outbox and the HAN say happened, and its retry picks up rather
 * than repeats any side effect.
 */
export class VisitRunner {
  readonly #services: VisitServices;
  readonly #onChange: (view: InstallView) => void;
  readonly #running = new Map<string, Running>();
  readonly #reconciled = new Set<string>();

  constructor(services: VisitServices, onChange: (view: InstallView) => void = () => undefined) {
    this.#services = services;
    this.#onChange = onChange;
  }

  async view(jobId: string): Promise<InstallView> {
    await this.#reconcile(jobId);
    return this.#view(jobId);
  }

  async begin(jobId: string, route: VisitRoute, unattended = false): Promise<InstallView> {
    const folded = this.#fold(this.#job(jobId));
    if (folded && !folded.state.outcome) throw new AppError('VISIT_OPEN', `This job's ${folded.state.route} visit is still open: finish or abort it first.`);
    await this.#append(jobId, 'visit.started', { visitId: `V${Date.now().toString(36)}${randomUUID().slice(0, 4)}`, route, unattended });
    return this.#changed(jobId);
  }

  async answer(jobId: string, key: string, answers: VisitAnswers): Promise<InstallView> {
    const state = await this.#stateFor(jobId);
    this.#check(state, { type: 'answer', key, answers, at: new Date().toISOString() });
    const step = findStep(state, key)!;
    await this.#append(jobId, 'visit.answers', { visitId: state.visitId, step: step.kind, ...(step.deviceId ? { deviceId: step.deviceId } : {}), answers });
    return this.#changed(jobId);
  }

  /** Records a device's scanned label: EUI-64 and install code sealed into the job (device.updated), the EUI-64 as an answer. */
  async identify(jobId: string, deviceId: string, label: string, source: 'scanned' | 'typed' | 'premises-label' = 'scanned'): Promise<InstallView> {
    const state = await this.#stateFor(jobId);
    const parsed = parseInstallCode(label);
    if (!parsed.ok) throw new AppError('INVALID_ARGUMENT', parsed.error.message);
    if (!parsed.value.ieee) throw new AppError('INVALID_ARGUMENT', 'Scan the whole label (Z:<EUI-64>$I:<install code>), or type "EUI-64|install code".');
    const job = this.#job(jobId);
    const device = job.devices.find((d) => d.id === deviceId);
    if (!device) throw new AppError('NOT_FOUND', `The job has no device ${deviceId}.`);
    const other = job.devices.find((d) => d.eui64 === parsed.value.ieee && d.id !== deviceId);
    if (other) throw new AppError('INVALID_ARGUMENT', `That label is ${other.type} ${other.id}'s (${parsed.value.ieee}), not ${device.type} ${deviceId}'s.`);
    await this.#append(jobId, 'device.updated', { id: deviceId, eui64: parsed.value.ieee, installCode: parsed.value.installCode + parsed.value.crc });
    const where = state.route === 'own-network' ? 'device-log' : `whitelist:${deviceId}`;
    const answers: VisitAnswers = { form: 'device-identified', deviceId, eui64: parsed.value.ieee, source };
    const step = findStep(state, where);
    if (step && transition(state, { type: 'answer', key: where, answers, at: new Date().toISOString() }).ok) {
      await this.#append(jobId, 'visit.answers', { visitId: state.visitId, step: step.kind, ...(step.deviceId ? { deviceId: step.deviceId } : {}), answers });
    }
    return this.#changed(jobId);
  }

  /** Runs (or retries) one step to its result. A step with nothing to do on this job is skipped, saying why. */
  async run(jobId: string, key: string): Promise<InstallView> {
    if (this.#running.has(jobId)) throw new AppError('VISIT_BUSY', `"${this.#running.get(jobId)!.key}" is still running: wait for it or cancel it.`);
    const state = await this.#stateFor(jobId);
    const step = findStep(state, key);
    if (!step) throw new AppError('VISIT_REJECTED', `This visit has no step "${key}".`);
    const executor = this.#executor(state, step);
    const revealed = await this.#services.store.getRevealedJob(jobId);
    const skipBecause = executor.notApplicable?.(revealed, state, step);
    if (skipBecause) return this.skip(jobId, key, skipBecause, 'not-applicable');
    const at = new Date().toISOString();
    const started = this.#check(state, { type: 'start', key, at });
    const running: Running = { key, controller: new AbortController() };
    this.#running.set(jobId, running);
    const ref = { visitId: state.visitId, step: step.kind, ...(step.deviceId ? { deviceId: step.deviceId } : {}) };
    const attempt = step.attempt + 1;
    try {
      await this.#append(jobId, 'visit.step-started', { ...ref, attempt, action: stepDefinition(step.kind, state.route).action });
      this.#changed(jobId);
      await testPause('started', key);
      const outcome = await this.#perform(executor, {
        jobId,
        visit: started,
        step: findStep(started, key)!,
        running,
        revealed: await this.#services.store.getRevealedJob(jobId),
      });
      await testPause('result', key);
      await this.#append(jobId, 'visit.step-result', { ...ref, attempt, ...outcome });
    } finally {
      this.#running.delete(jobId);
    }
    return this.#changed(jobId);
  }

  async cancel(jobId: string): Promise<InstallView> {
    this.#running.get(jobId)?.controller.abort();
    return this.#view(jobId);
  }

  async skip(jobId: string, key: string, reason: string, reasonCode: SkipReasonCode = 'engineer-decision'): Promise<InstallView> {
    const state = await this.#stateFor(jobId);
    const next = this.#check(state, { type: 'skip', key, reason, reasonCode, at: new Date().toISOString() });
    // Each step the skip carries with it is recorded too, so the timeline says plainly what was not done.
    for (const step of next.steps) {
      const before = findStep(state, step.key)!;
      if (step.status !== 'skipped' || before.status === 'skipped') continue;
      await this.#append(jobId, 'visit.step-skipped', {
        visitId: state.visitId,
        step: step.kind,
        ...(step.deviceId ? { deviceId: step.deviceId } : {}),
        reason: step.reason!,
        reasonCode,
      });
    }
    return this.#changed(jobId);
  }

  async fault(
    jobId: string,
    key: string,
    fault: { faultKind: 'comms-hub' | 'device' | 'site'; text: string; chfFaultReason?: ChfFaultReason },
  ): Promise<InstallView> {
    const state = await this.#stateFor(jobId);
    const at = new Date().toISOString();
    this.#check(state, { type: 'fault', key, fault, at });
    const step = findStep(state, key)!;
    await this.#append(jobId, 'visit.step-fault', {
      visitId: state.visitId,
      step: step.kind,
      ...(step.deviceId ? { deviceId: step.deviceId } : {}),
      ...fault,
      observedAt: at,
    });
    return this.#changed(jobId);
  }

  async abort(jobId: string, abortReason: AbortReason, reason: string): Promise<InstallView> {
    const state = await this.#stateFor(jobId);
    if (this.#running.has(jobId)) throw new AppError('VISIT_BUSY', 'A step is running: cancel it before aborting the visit.');
    this.#check(state, { type: 'abort', abortReason, reason, at: new Date().toISOString() });
    await this.#append(jobId, 'visit.outcome', { visitId: state.visitId, outcome: 'aborted', reason, abortReason });
    await this.#append(jobId, 'job.status-changed', { status: 'aborted', reason: `${abortReason}: ${reason}`.slice(0, 500) });
    return this.#changed(jobId);
  }

  async complete(jobId: string): Promise<InstallView> {
    const state = await this.#stateFor(jobId);
    const next = this.#check(state, { type: 'complete', at: new Date().toISOString() });
    const outcome = next.outcome!;
    await this.#append(jobId, 'visit.outcome', {
      visitId: state.visitId,
      outcome: outcome.outcome,
      reason: outcome.reason,
      ...(outcome.pending?.length ? { pending: outcome.pending.map((p) => p.slice(0, 200)) } : {}),
    });
    await this.#append(jobId, 'job.status-changed', { status: 'completed', reason: `Visit ${outcome.outcome}: ${outcome.reason}`.slice(0, 500) });
    return this.#changed(jobId);
  }

  /** Folded state of the job's visit (after reconciling a crash), or a rejection when there is none. */
  async state(jobId: string): Promise<FoldedVisit | undefined> {
    await this.#reconcile(jobId);
    return this.#fold(this.#job(jobId));
  }

  // --- internals ---

  async #perform(
    executor: StepExecutor,
    input: { jobId: string; visit: VisitState; step: StepState; running: Running; revealed: StepContext['job'] },
  ): Promise<StepOutcome> {
    const { jobId, visit, step, running } = input;
    const ctx: StepContext = {
      services: this.#services,
      job: input.revealed,
      visit,
      step,
      signal: running.controller.signal,
      progress: (progress) => {
        running.progress = progress;
        this.#changed(jobId);
      },
      record: async (kind, payload) => {
        await this.#append(jobId, kind, payload);
        // Steps that change the job's devices see the change in their own context.
        (ctx as { job: StepContext['job'] }).job = await this.#services.store.getRevealedJob(jobId);
      },
      dcc: (variant, params, tag = 'request') => {
        const gateway = this.#services.dcc?.gateway();
        if (!gateway) throw new Error('No DCC connection: configure DCC Boxed or start the training premises');
        return sendForStep({
          gateway,
          jobId,
          visit,
          step,
          variant,
          params,
          tag,
          waitMs: this.#services.timing?.dccWaitMs ?? 90_000,
          record: (payload) => this.#append(jobId, 'dcc.request', payload as unknown as Record<string, unknown>),
        });
      },
    };
    try {
      return await executor.run(ctx);
    } catch (error) {
      if (error instanceof StepCancelled || running.controller.signal.aborted)
        return { result: 'failed', summary: 'Cancelled', reason: 'cancelled by the engineer' };
      this.#services.log.warn('visit step failed', { jobId, step: step.key, error: errorText(error) });
      return { result: 'failed', summary: 'Step failed', reason: errorText(error).slice(0, 500) || 'unknown error' };
    }
  }

  #executor(state: VisitState, step: StepState): StepExecutor {
    const table = state.route === 'own-network' ? OWN_NETWORK_EXECUTORS : LIVE_EXECUTORS;
    const executor = table[step.kind];
    if (!executor)
      throw new AppError('VISIT_REJECTED', step.kind === 'completion' ? 'Use "Complete the visit" for the last step.' : `No runner for "${step.kind}".`);
    return executor;
  }

  #check(state: VisitState, action: VisitAction): VisitState {
    const result = transition(state, action);
    if (!result.ok) throw new AppError('VISIT_REJECTED', result.reason.charAt(0).toUpperCase() + result.reason.slice(1) + '.');
    return result.state;
  }

  #job(jobId: string): Job {
    return this.#services.store.getJob(jobId);
  }

  #fold(job: Job): FoldedVisit | undefined {
    return foldVisit(
      job.timeline,
      job.devices.map((d) => ({ id: d.id, type: d.type })),
    );
  }

  async #stateFor(jobId: string): Promise<VisitState> {
    await this.#reconcile(jobId);
    const folded = this.#fold(this.#job(jobId));
    if (!folded) throw new AppError('VISIT_NOT_STARTED', 'Start the visit first: choose its route.');
    return folded.state;
  }

  async #reconcile(jobId: string): Promise<void> {
    if (this.#reconciled.has(jobId)) return;
    const folded = this.#fold(this.#job(jobId));
    this.#reconciled.add(jobId);
    if (!folded || folded.state.outcome) return;
    for (const step of folded.state.steps.filter((s) => s.status === 'running')) {
      const found = reconcileInterrupted(this.#services, jobId, folded.state, step);
      await this.#append(jobId, 'visit.step-interrupted', {
        visitId: folded.state.visitId,
        step: step.kind,
        ...(step.deviceId ? { deviceId: step.deviceId } : {}),
        attempt: Math.max(1, step.attempt),
        ...found,
      });
    }
  }

  async #append(jobId: string, kind: string, payload: Record<string, unknown>): Promise<void> {
    await this.#services.store.appendEvent(jobId, kind, payload);
  }

  #view(jobId: string): InstallView {
    const job = this.#job(jobId);
    const running = this.#running.get(jobId);
    return toInstallView({
      job,
      folded: this.#fold(job),
      running: running ? { key: running.key, ...(running.progress ?? {}) } : undefined,
      premises: this.#services.premises?.(),
    });
  }

  #changed(jobId: string): InstallView {
    const view = this.#view(jobId);
    this.#onChange(view);
    return view;
  }
}
