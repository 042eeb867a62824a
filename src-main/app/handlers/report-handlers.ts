import { AppError } from '../../../src-shared/ipc/result';
import { buildJobReport } from '../../reports/report-builder';
import { listReports, ReportFilesError, saveReportCopy, writeReportSet } from '../../reports/report-files';
import type { SecretStore } from '../../secrets/secret-store';
import type { JobStore } from '../../store/job-store';
import type { HandlerGroup } from '../dispatch';

type ReportChannels = 'reports:list' | 'reports:generate' | 'reports:preview' | 'reports:saveCopy';

/** Reports screen: files under <data>/reports/<jobId>/, made from the job's events by the same code as the CLI. */
export function createReportHandlers(store: JobStore, secrets: SecretStore, dataDir: string): HandlerGroup<ReportChannels> {
  return {
    'reports:list': ({ jobId }) => {
      store.getJob(jobId); // NOT_FOUND for an unknown job, rather than an empty list
      return listReports(dataDir, jobId);
    },
    'reports:generate': async ({ jobId }) => writeReportSet(dataDir, await buildJobReport(store, secrets, jobId)),
    'reports:preview': async ({ jobId, eventCount }) => {
      const events = store.getJob(jobId).seq;
      if (eventCount !== undefined && eventCount > events) throw new AppError('NOT_FOUND', `job ${jobId} has ${events} events, not ${eventCount}`);
      return buildJobReport(store, secrets, jobId, eventCount);
    },
    'reports:saveCopy': async ({ jobId, eventCount, format, folder }) => {
      try {
        return { path: await saveReportCopy(dataDir, jobId, eventCount, format, folder) };
      } catch (error) {
        if (error instanceof ReportFilesError) throw new AppError(error.code, error.message);
        throw error;
      }
    },
  };
}
