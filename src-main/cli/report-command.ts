import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { REPORT_FORMATS, type ReportFormat } from '../../src-shared/ipc/channels/reports';
import { PdfAttachmentError } from '../reports/pdf-attachment';
import { buildJobReport } from '../reports/report-builder';
import { renderReportCsv } from '../reports/report-csv';
import { renderReportJson } from '../reports/report-json';
import { renderReportPdf } from '../reports/report-pdf';
import { ReportFileError, readReportFile, verifyReport } from '../reports/report-verify';
import { FileSecretStore } from '../secrets/file-secret-store';
import { writeFileAtomicSync } from '../store/atomic-file';
import { resolveDataDir } from '../store/data-dir';
import { JobStore } from '../store/job-store';
import { StoreError } from '../store/store-errors';
import { CliInputError, type CliCommand, type CliIo } from './cli-command';
import type { DataDirOption } from './job-command';

/**
 * `hantool report <jobId> --format pdf|json|csv [--out FILE]` and `hantool report verify <report.json|report.pdf>`.
 * Both open the store read-only (no lock), so they work while the app or web host runs.
 */

const USAGE = 'report: usage: hantool report <jobId> --format pdf|json|csv [--out FILE] | hantool report verify <report.json|report.pdf>';

async function openReadOnly(dataDir: string): Promise<{ store: JobStore; secrets: FileSecretStore }> {
  const secrets = await FileSecretStore.open(dataDir);
  const store = await JobStore.open(dataDir, { engineer: process.env.HAN_ENGINEER ?? userInfo().username, readOnly: true, secrets });
  return { store, secrets };
}

function parseReportArgs(args: readonly string[]): { jobId: string; format: ReportFormat; out?: string } {
  let jobId: string | undefined;
  let format: string | undefined;
  let out: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--format' || arg === '--out') {
      const value = args[++i];
      if (!value) throw new CliInputError(`report: ${arg} needs a value`);
      if (arg === '--format') format = value;
      else out = value;
    } else if (arg.startsWith('-')) throw new CliInputError(`report: unknown option ${arg}`);
    else if (jobId === undefined) jobId = arg;
    else throw new CliInputError(USAGE);
  }
  if (!jobId) throw new CliInputError(USAGE);
  if (!format || !(REPORT_FORMATS as readonly string[]).includes(format)) throw new CliInputError('report: --format must be pdf, json or csv');
  return { jobId, format: format as ReportFormat, ...(out !== undefined ? { out } : {}) };
}

async function makeReport(args: readonly string[], io: CliIo, dataDir: string): Promise<number> {
  const { jobId, format, out } = parseReportArgs(args);
  if (format === 'pdf' && out === undefined && (io.stdoutIsTerminal !== false || !io.bytes)) {
    throw new CliInputError('report: a PDF is not written to a terminal; give --out FILE or redirect stdout');
  }
  const { store, secrets } = await openReadOnly(dataDir);
  try {
    let report;
    try {
      report = await buildJobReport(store, secrets, jobId);
    } catch (error) {
      if (error instanceof StoreError && error.code === 'NOT_FOUND') throw new CliInputError(`report: no job ${jobId} in ${dataDir}`);
      throw error;
    }
    const content = format === 'pdf' ? await renderReportPdf(report) : format === 'json' ? renderReportJson(report) : renderReportCsv(report);
    if (out !== undefined) {
      // Written atomically (temp, fsync, rename), so it must name a file: a pipe or device is reached through stdout.
      if (statSync(out, { throwIfNoEntry: false })?.isFile() === false) throw new CliInputError(`report: --out ${out} is not a file; redirect stdout instead`);
      writeFileAtomicSync(out, content);
      const { eventCount, headHash } = report.timeline;
      io.json({ jobId, format, path: out, status: report.status, eventCount, headHash });
    } else if (typeof content === 'string') io.out(content);
    else io.bytes!(content);
    return 0;
  } finally {
    await store.close();
  }
}

async function verify(args: readonly string[], io: CliIo, dataDir: string): Promise<number> {
  if (args.length !== 1) throw new CliInputError('report verify: usage: hantool report verify <report.json|report.pdf>');
  const file = args[0]!;
  let report;
  try {
    report = readReportFile(await readFile(file));
  } catch (error) {
    if (error instanceof ReportFileError || error instanceof PdfAttachmentError) throw new CliInputError(`report verify: ${file}: ${error.message}`);
    throw new CliInputError(`report verify: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const { store, secrets } = await openReadOnly(dataDir);
  try {
    const verdict = await verifyReport(report, store, secrets);
    io.json(verdict);
    return verdict.valid ? 0 : 1;
  } finally {
    await store.close();
  }
}

export function createReportCommand(options: DataDirOption = {}): CliCommand {
  return {
    name: 'report',
    usage: 'report <jobId> --format pdf|json|csv [--out FILE] | report verify <file>   install report; verify against the job',
    async run(args, io) {
      const dataDir = (options.dataDir ?? resolveDataDir)();
      return args[0] === 'verify' ? verify(args.slice(1), io, dataDir) : makeReport(args, io, dataDir);
    },
  };
}

export const reportCommand = createReportCommand();
