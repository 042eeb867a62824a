import type { VisitRunner } from '../../flows/visit-runner';
import type { HandlerGroup } from '../dispatch';

type InstallChannels =
  | 'install:view'
  | 'install:begin'
  | 'install:answer'
  | 'install:identify'
  | 'install:run'
  | 'install:cancel'
  | 'install:skip'
  | 'install:fault'
  | 'install:abort'
  | 'install:complete';

/** Install screen handlers: thin calls into the visit runner; refusals cross as AppError codes with the reason. */
export function createInstallHandlers(runner: VisitRunner): HandlerGroup<InstallChannels> {
  return {
    'install:view': ({ jobId }) => runner.view(jobId),
    'install:begin': ({ jobId, route }) => runner.begin(jobId, route),
    'install:answer': ({ jobId, key, answers }) => runner.answer(jobId, key, answers),
    'install:identify': ({ jobId, deviceId, label }) => runner.identify(jobId, deviceId, label),
    'install:run': ({ jobId, key }) => runner.run(jobId, key),
    'install:cancel': ({ jobId }) => runner.cancel(jobId),
    'install:skip': ({ jobId, key, reason, reasonCode }) => runner.skip(jobId, key, reason, reasonCode),
    'install:fault': ({ jobId, key, faultKind, chfFaultReason, text }) =>
      runner.fault(jobId, key, { faultKind, text, ...(chfFaultReason ? { chfFaultReason } : {}) }),
    'install:abort': ({ jobId, abortReason, reason }) => runner.abort(jobId, abortReason, reason),
    'install:complete': ({ jobId }) => runner.complete(jobId),
  };
}
