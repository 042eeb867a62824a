import { z } from 'zod';
import type { InstallReport } from '../../reports/report-model';
import { request } from '../define';

/** Report file formats: the A4 PDF (JSON attached), the JSON report, the device table as CSV. */
export const REPORT_FORMATS = ['pdf', 'json', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportFileView {
  readonly format: ReportFormat;
  readonly name: string;
  readonly bytes: number;
}

/** One generation of a job's report: the PDF, JSON and CSV made from its first `eventCount` events. */
export interface ReportSetView {
  readonly jobId: string;
  readonly eventCount: number;
  readonly headHash: string;
  readonly status: 'draft' | 'final';
  readonly outcome: InstallReport['visit']['outcome'];
  /** When the files were written. */
  readonly writtenAt: string;
  /** Where they are, under the data folder. */
  readonly folder: string;
  readonly files: readonly ReportFileView[];
}

const jobId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'job id may use letters, digits, "-" and "_"');
const eventCount = z.number().int().min(1).max(10_000_000);

export const reportRequests = {
  /** Reports written for a job, newest first. */
  'reports:list': request<readonly ReportSetView[]>()(z.object({ jobId }).strict()),
  /** Writes the PDF, JSON and CSV of the job as it stands under <data>/reports/<jobId>/. */
  'reports:generate': request<ReportSetView>()(z.object({ jobId }).strict()),
  /** The report model for the preview: as the job stands, or as of its first eventCount events. */
  'reports:preview': request<InstallReport>()(z.object({ jobId, eventCount: eventCount.optional() }).strict()),
  /** Copies one written report file into a folder the engineer names. */
  'reports:saveCopy': request<{ readonly path: string }>()(
    z
      .object({
        jobId,
        eventCount,
        format: z.enum(REPORT_FORMATS),
        folder: z.string().trim().min(1, 'name the folder to save into').max(1000),
      })
      .strict(),
  ),
};

export const reportEvents = {};
