import { AppError } from '../../../src-shared/ipc/result';
import { DccConfigError, DccNotConfiguredError, type DccService } from '../../dcc/dcc-service';
import { DccReadError } from '../../dcc/read-verification';
import type { JobStore } from '../../store/job-store';
import type { HandlerGroup } from '../dispatch';
import type { EventBus } from '../event-bus';

type DccChannels = 'dcc:status' | 'dcc:configure' | 'dcc:forget' | 'dcc:requests' | 'dcc:verify' | 'dcc:retryQueued' | 'dcc:simulatorFaults';

/** DCC screen handlers. Verification results go into the job's timeline as `verification.recorded`. */
/**
 * Stops a verification whose job names another meter point than the one the reading comes from, until the engineer
 * confirms: the record would otherwise prove a reading against the wrong supply.
 */
export function checkMeterPoint(jobMpan: string | undefined, meterPointMpan: string | undefined, confirmed: boolean): Record<string, unknown> {
  if (!jobMpan || !meterPointMpan) return { ...(jobMpan ? { jobMpan } : {}), ...(meterPointMpan ? { meterPointMpan } : {}) };
  const core = (mpan: string): string => mpan.slice(-13);
  const mismatch = core(jobMpan) !== core(meterPointMpan);
  if (mismatch && !confirmed) {
    throw new AppError(
      'MPAN_MISMATCH',
      `The job's MPAN is ${jobMpan} but the reading comes from meter point ${meterPointMpan}. Check you are at the right supply; confirm to record it anyway, or abort.`,
    );
  }
  return { jobMpan, meterPointMpan, ...(mismatch ? { mpanMismatchConfirmed: true } : {}) };
}

export function createDccHandlers(
  dcc: DccService,
  store: JobStore,
  events: EventBus,
  meterPointMpan: () => string | undefined = () => undefined,
): HandlerGroup<DccChannels> {
  const wrap = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      if (error instanceof DccNotConfiguredError) throw new AppError('DCC_NOT_CONFIGURED', error.message);
      if (error instanceof DccReadError) throw new AppError('DCC_READ_FAILED', error.message);
      if (error instanceof DccConfigError) throw new AppError('DCC_CONFIG_INVALID', error.message, error.fields);
      throw error;
    }
  };
  return {
    'dcc:status': () => dcc.status(),
    'dcc:configure': (input) => wrap(() => dcc.configure(input)),
    'dcc:forget': () => dcc.forget(),
    'dcc:requests': () => dcc.requests(),
    'dcc:verify': ({ jobId, confirmMpanMismatch, ...request }) =>
      wrap(async () => {
        // A job's verification is of the job's own ESME, never another meter's reading recorded against it;
        // without a job, the training premises' ESME.
        const esmeId = jobId ? store.getJob(jobId).devices.find((d) => d.type === 'ESME' && d.eui64)?.eui64 : undefined;
        if (jobId && !esmeId)
          throw new AppError('NO_ESME', 'This job has no ESME with an EUI-64: add the electricity meter to the job before verifying its reading.');
        const meterPoint = jobId ? checkMeterPoint(store.getJob(jobId).premises.mpan, meterPointMpan(), confirmMpanMismatch === true) : {};
        const record = await dcc.verify({ ...request, ...(esmeId ? { esmeId } : {}) });
        if (jobId) {
          await store.appendEvent(jobId, 'verification.recorded', { ...record, ...meterPoint });
          events.emit('jobs:changed', { id: jobId });
        }
        return record;
      }),
    'dcc:retryQueued': () => wrap(() => dcc.retryQueued()),
    'dcc:simulatorFaults': (faults) => dcc.setSimulatorFaults(faults),
  };
}
