import type { InstallView } from '../../src-shared/ipc/channels/install';
import type { Job } from '../../src-shared/model/job';
import { currentStep, prospectiveOutcome, stepDefinition, type FoldedVisit } from '../../src-shared/flows/install-visit';
import type { RunningPremises } from '../premises/training-premises';

/** The Install screen's projection of a job's visit: no install code or key ever leaves main through it. */
export function toInstallView(input: {
  job: Job;
  folded: FoldedVisit | undefined;
  running: InstallView['running'];
  premises: RunningPremises | undefined;
}): InstallView {
  const { job, folded } = input;
  const state = folded?.state;
  const trainingLabels = input.premises?.model.devices
    .filter((d) => d.type !== 'CHF' && d.type !== 'GPF')
    .map((d) => ({ type: d.type, eui64: d.eui64, label: d.label }));
  return {
    jobId: job.id,
    ...(state
      ? {
          visit: {
            visitId: state.visitId,
            route: state.route,
            unattended: state.unattended,
            startedAt: state.startedAt,
            ...(currentStep(state) ? { currentKey: currentStep(state)!.key } : {}),
            ...(state.outcome ? { outcome: state.outcome } : {}),
            prospective: prospectiveOutcome(state),
            steps: state.steps.map((step) => {
              const definition = stepDefinition(step.kind, state.route);
              return {
                ...step,
                title: definition.title,
                action: definition.action,
                ...(definition.needs ? { needs: definition.needs } : {}),
                skippable: definition.skippable,
                canPend: definition.canPend,
                judgement: definition.judgement ?? false,
              };
            }),
          },
        }
      : {}),
    ...(input.running ? { running: input.running } : {}),
    devices: job.devices.map((d) => ({
      id: d.id,
      type: d.type,
      status: d.status,
      hasInstallCode: d.installCode !== undefined,
      ...(d.eui64 ? { eui64: d.eui64 } : {}),
    })),
    ...(trainingLabels ? { trainingLabels } : {}),
    problems: folded?.problems ?? [],
  };
}
