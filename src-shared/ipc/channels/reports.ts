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

/** What became of a "save a copy": saved where the dialog said, cancelled there, or handed to the browser. */
export type ReportSaveResult =
  | { readonly kind: 'saved'; readonly path: string }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'download'; readonly name: string; readonly mimeType: string; readonly base64: string };

const jobId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'job id may use letters, digits, "-" and "_"');
const eventCount = z.number().int().min(1).max(10_000_000);

export const reportRequests = {
  /** Reports written for a job, newest first. */
  'reports:list': request<readonly ReportSetView[]>()(z.object({ jobId }).strict()),
  /** Writes the PDF, JSON and CSV of the job as it stands under <data>/reports/<jobId>/. */
  'reports:generate': request<ReportSetView>()(z.object({ jobId }).strict()),
  /** The report model for the preview: as the job stands, or as of its first eventCount events. */
  'reports:preview': request<InstallReport>()(z.object({ jobId, eventCount: eventCount.optional() }).strict()),
  /**
   * Saves a copy of one written report file elsewhere: in the app through the system's save dialog; where there
   * is none (the web host in a browser) the file comes back for the browser's own download.
   */
  'reports:saveAs': request<ReportSaveResult>()(z.object({ jobId, eventCount, format: z.enum(REPORT_FORMATS) }).strict()),
};

export const reportEvents = {};
