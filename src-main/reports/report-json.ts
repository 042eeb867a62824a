import type { InstallReport } from '../../src-shared/reports/report-model';

/** The JSON report file: the model as it is, indented for people, one trailing newline. */
export function renderReportJson(report: InstallReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}
