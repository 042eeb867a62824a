import { useEffect, useState } from 'react';
import type { JobView } from '../../../src-shared/ipc/channels/jobs';
import { invoke, onEvent } from '../../ipc';

/** The job whose network runs, kept current: device types before the interview, pairings, what is on the job. */
export function useJobView(jobId: string | undefined): JobView | undefined {
  const [job, setJob] = useState<JobView>();
  useEffect(() => {
    if (!jobId) {
      setJob(undefined);
      return undefined;
    }
    const load = (): void => void invoke('jobs:get', { id: jobId }).then((r) => r.ok && setJob(r.value));
    load();
    return onEvent('jobs:changed', ({ id }) => id === jobId && load());
  }, [jobId]);
  return job;
}
