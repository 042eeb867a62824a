import { AppError } from '../../../src-shared/ipc/result';
import { buildJobReport } from '../../reports/report-builder';
import { copyWrittenReport, listReports, readWrittenReport, ReportFilesError, writeReportSet } from '../../reports/report-files';
import type { ReportFormat } from '../../../src-shared/ipc/channels/reports';
import type { SecretStore } from '../../secrets/secret-store';
import type { JobStore } from '../../store/job-store';
import type { HandlerGroup } from '../dispatch';

type ReportChannels = 'reports:list' | 'reports:generate' | 'reports:preview' | 'reports:saveAs';

/** The system's save dialog (the Electron shell's): the path chosen, or undefined when the engineer cancelled. */
export type SaveDialog = (suggestedName: string, format: ReportFormat) => Promise<string | undefined>;

const MIME_TYPES: Record<ReportFormat, string> = { pdf: 'application/pdf', json: 'application/json', csv: 'text/csv; charset=utf-8' };

/** Reports screen: files under <data>/reports/<jobId>/, made from the job's events by the same code as the CLI. */
export function createReportHandlers(store: JobStore, secrets: SecretStore, dataDir: string, saveDialog?: SaveDialog): HandlerGroup<ReportChannels> {
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
    'reports:saveAs': async ({ jobId, eventCount, format }) => {
      try {
        const { name, bytes } = await readWrittenReport(dataDir, jobId, eventCount, format);
        if (!saveDialog) return { kind: 'download', name, mimeType: MIME_TYPES[format], base64: bytes.toString('base64') };
        const target = await saveDialog(name, format);
        return target ? { kind: 'saved', path: await copyWrittenReport(dataDir, jobId, eventCount, format, target) } : { kind: 'cancelled' };
      } catch (error) {
        if (error instanceof ReportFilesError) throw new AppError(error.code, error.message);
        throw error;
      }
    },
  };
}
