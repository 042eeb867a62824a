import { AppError } from '../../../src-shared/ipc/result';
import { DccConfigError, DccNotConfiguredError, type DccService } from '../../dcc/dcc-service';
import { DccReadError } from '../../dcc/read-verification';
import type { JobStore } from '../../store/job-store';
import type { HandlerGroup } from '../dispatch';
import type { EventBus } from '../event-bus';

type DccChannels = 'dcc:status' | 'dcc:configure' | 'dcc:forget' | 'dcc:requests' | 'dcc:verify' | 'dcc:retryQueued' | 'dcc:simulatorFaults';

/** DCC screen handlers. Verification results go into the job's timeline as `verification.recorded`. */
export function createDccHandlers(dcc: DccService, store: JobStore, events: EventBus): HandlerGroup<DccChannels> {
  const wrap = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      if (error instanceof DccNotConfiguredError) throw new AppError('DCC_NOT_CONFIGURED', error.message);
      if (error instanceof DccReadError) throw new AppError('DCC_READ_FAILED', error.message);
      if (error instanceof DccConfigError) throw new AppError('DCC_CONFIG_INVALID', error.message);
      throw error;
    }
  };
  return {
    'dcc:status': () => dcc.status(),
    'dcc:configure': (input) => wrap(() => dcc.configure(input)),
    'dcc:forget': () => dcc.forget(),
    'dcc:requests': () => dcc.requests(),
    'dcc:verify': ({ jobId, ...request }) =>
      wrap(async () => {
        // A job's verification is of the job's own ESME, never another meter's reading recorded against it;
        // without a job, the training premises' ESME.
        const esmeId = jobId ? store.getJob(jobId).devices.find((d) => d.type === 'ESME' && d.eui64)?.eui64 : undefined;
        if (jobId && !esmeId)
          throw new AppError('NO_ESME', 'This job has no ESME with an EUI-64: add the electricity meter to the job before verifying its reading.');
        const record = await dcc.verify({ ...request, ...(esmeId ? { esmeId } : {}) });
        if (jobId) {
          await store.appendEvent(jobId, 'verification.recorded', record);
          events.emit('jobs:changed', { id: jobId });
        }
        return record;
      }),
    'dcc:retryQueued': () => wrap(() => dcc.retryQueued()),
    'dcc:simulatorFaults': (faults) => dcc.setSimulatorFaults(faults),
  };
}
