import { currentStep, stepDefinition, type StepState, type VisitState } from '../../src-shared/flows/install-visit';
import type { VisitAnswers } from '../../src-shared/model/visit-events';
import { UNATTENDED_RUN_REASON, type VisitOutcome, type VisitRoute } from '../../src-shared/model/visit-vocabulary';
import { esmeImportWh } from '../premises/premises-model';
import type { RunningPremises } from '../premises/training-premises';
import type { JobStore } from '../store/job-store';
import type { AnswersFile } from './answers-file';
import type { VisitRunner } from './visit-runner';

/** One line `hantool install run` prints per step result. */
export interface StepLine {
  readonly step: string;
  readonly status: StepState['status'];
  readonly attempt: number;
  readonly summary?: string;
  readonly reason?: string;
}

export interface UnattendedResult {
  readonly outcome: VisitOutcome | 'stopped';
  readonly reason: string;
  readonly visitId?: string;
  readonly pending?: readonly string[];
}

const HAN_TYPES = new Set(['ESME', 'GSME', 'IHD', 'PPMID']);

/**
 * Runs a visit's steps with nobody at the keyboard (labs' repeatable bench installs, CI). What a person would
 * type comes from the answers file or, on the training premises, from the premises itself (the virtual meter's
 * display, the printed labels matched to the work order's devices by type). Steps that need a person's judgement
 * are skipped with the reason "unattended run". A step that fails stops the run (the visit stays open and can be
 * resumed), so a bench install never claims more than it did.
 */
export async function runUnattended(input: {
  runner: VisitRunner;
  store: JobStore;
  jobId: string;
  route: VisitRoute;
  answers?: AnswersFile;
  premises?: RunningPremises;
  onStep: (line: StepLine) => void;
}): Promise<UnattendedResult> {
  const { runner, jobId } = input;
  const folded = await runner.state(jobId);
  if (!folded || folded.state.outcome) await runner.begin(jobId, input.route, true);
  else if (folded.state.route !== input.route) return { outcome: 'stopped', reason: `the job's open visit is on the ${folded.state.route} route` };
  await identifyDevices(input);

  const tried = new Set<string>();
  for (;;) {
    const before = (await runner.state(jobId))!.state;
    if (before.outcome) return finished(before);
    const step = currentStep(before);
    if (!step) return { outcome: 'stopped', reason: 'the visit has no step left to do' };
    if (step.kind === 'completion') {
      await act(input, before, () => runner.complete(jobId));
      continue;
    }
    if (tried.has(step.key) && step.status === 'failed') {
      return {
        outcome: 'stopped',
        reason: `"${stepDefinition(step.kind, before.route).title}" (${step.key}) failed: ${step.reason ?? 'no reason given'}`,
        visitId: before.visitId,
      };
    }
    const skipReason = input.answers?.skip[step.key] ?? input.answers?.skip[step.kind];
    if (skipReason) {
      await act(input, before, () => runner.skip(jobId, step.key, skipReason, 'engineer-decision'));
      continue;
    }
    const needs = stepDefinition(step.kind, before.route).needs;
    if (needs && !step.answers.some((a) => a.form === needs)) {
      const given = answersFor(input, step, before);
      if (given.length === 0) {
        if (stepDefinition(step.kind, before.route).judgement) {
          await act(input, before, () => runner.skip(jobId, step.key, UNATTENDED_RUN_REASON, 'unattended-run'));
          continue;
        }
        return { outcome: 'stopped', reason: `the answers file needs a "${needs}" answer for step ${step.key}`, visitId: before.visitId };
      }
      for (const answers of given) await runner.answer(jobId, step.key, answers);
    }
    tried.add(step.key);
    await act(input, (await runner.state(jobId))!.state, () => runner.run(jobId, step.key));
  }
}

function finished(state: VisitState): UnattendedResult {
  const o = state.outcome!;
  return { outcome: o.outcome, reason: o.reason, visitId: state.visitId, ...(o.pending?.length ? { pending: o.pending } : {}) };
}

/** Performs one runner call and prints a line for every step it finished. */
async function act(
  input: { runner: VisitRunner; jobId: string; onStep: (line: StepLine) => void },
  before: VisitState,
  call: () => Promise<unknown>,
): Promise<void> {
  await call();
  const after = (await input.runner.state(input.jobId))!.state;
  for (const step of after.steps) {
    const was = before.steps.find((s) => s.key === step.key);
    if (was && was.status === step.status && was.attempt === step.attempt) continue;
    if (step.status === 'running' || step.status === 'waiting') continue;
    input.onStep({
      step: step.key,
      status: step.status,
      attempt: step.attempt,
      ...(step.summary ? { summary: step.summary } : {}),
      ...(step.reason ? { reason: step.reason } : {}),
    });
  }
}

/** Answers for a step from the file (by key, then kind), else what the training premises shows. */
function answersFor(input: { answers?: AnswersFile; premises?: RunningPremises }, step: StepState, state: VisitState): VisitAnswers[] {
  const fromFile = input.answers?.answers[step.key] ?? input.answers?.answers[step.kind];
  if (fromFile) return Array.isArray(fromFile) ? fromFile : [fromFile];
  const premises = input.premises;
  if (premises && step.kind === 'verification' && state.route === 'own-network') {
    // The virtual ESME's display: kWh to one decimal place, truncated as a meter display does.
    const kWh = Math.floor(esmeImportWh(premises.model.esmeRegister, Date.now()) / 100) / 10;
    return [{ form: 'display-reading', value: kWh, unit: 'kWh' }];
  }
  return [];
}

/** Devices still without EUI-64 or install code get the label the file gives, or the premises' label of their type. */
async function identifyDevices(input: {
  runner: VisitRunner;
  store: JobStore;
  jobId: string;
  answers?: AnswersFile;
  premises?: RunningPremises;
}): Promise<void> {
  const job = input.store.getJob(input.jobId);
  const used = new Set(job.devices.map((d) => d.eui64).filter(Boolean));
  const byType = new Map<string, number>();
  for (const device of job.devices.filter((d) => HAN_TYPES.has(d.type) && (!d.eui64 || !d.installCode))) {
    const nth = byType.get(device.type) ?? 0;
    byType.set(device.type, nth + 1);
    const fromFile =
      input.answers?.labels.find((l) => l.deviceId === device.id) ??
      input.answers?.labels.filter((l) => l.deviceId === undefined && l.type === device.type)[nth];
    if (fromFile) {
      await input.runner.identify(input.jobId, device.id, fromFile.label, 'typed');
      continue;
    }
    const printed = input.premises?.model.devices.find((d) => d.type === device.type && (!used.has(d.eui64) || d.eui64 === device.eui64));
    if (printed) {
      used.add(printed.eui64);
      await input.runner.identify(input.jobId, device.id, printed.label, 'premises-label');
    }
  }
}
