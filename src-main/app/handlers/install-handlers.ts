import type { installRequests } from '../../../src-shared/ipc/channels/install';
import type { VisitRunner } from '../../flows/visit-runner';
import type { HandlerGroup } from '../dispatch';

/** Every install:* request of the contract: a channel added there without a handler here fails to compile. */
type InstallChannels = keyof typeof installRequests;

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
