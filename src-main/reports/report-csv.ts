import { DEVICE_STAGES, type InstallReport, type ReportDevice } from '../../src-shared/reports/report-model';

/**
 * The device table as CSV for a back office's spreadsheet: RFC 4180 (CRLF, quotes doubled, fields with
 * commas, quotes or line breaks quoted), UTF-8 with a BOM so Excel reads it as UTF-8. A cell that begins
 * with = + - @, a tab or a CR is prefixed with ' so no spreadsheet evaluates it as a formula (OWASP CSV
 * injection) — numbers included: an RSSI of -67 is written '-67.
 */

export const CSV_COLUMNS = [
  'jobId',
  'workOrderReference',
  'mpan',
  'mprn',
  'deviceId',
  'type',
  'eui64',
  'label',
  'installCode',
  'listed',
  'status',
  'statusReason',
  'manufacturer',
  'model',
  'firmware',
  'mbusId',
  ...DEVICE_STAGES,
  'failureReason',
  'lqi',
  'rssi',
  'removedReason',
  'jobNotes',
] as const;

type CsvColumn = (typeof CSV_COLUMNS)[number];

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | boolean | undefined): string {
  let text = value === undefined ? '' : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function failureReason(device: ReportDevice): string | undefined {
  return (
    DEVICE_STAGES.map((s) => device.stages[s]).find((result) => result?.outcome === 'failed')?.reason ??
    (device.status === 'failed' ? device.statusReason : undefined)
  );
}

function deviceRow(report: InstallReport, device: ReportDevice): Record<CsvColumn, string | number | boolean | undefined> {
  return {
    jobId: report.job.id,
    workOrderReference: report.job.workOrderReference,
    mpan: report.premises.mpan,
    mprn: report.premises.mprn,
    deviceId: device.id,
    type: device.type,
    eui64: device.eui64,
    label: device.label,
    installCode: device.installCode,
    listed: device.listed,
    status: device.status,
    statusReason: device.statusReason,
    manufacturer: device.manufacturer,
    model: device.model,
    firmware: device.firmware,
    mbusId: device.mbus ? `${device.mbus.manufacturer} ${device.mbus.id}` : undefined,
    whitelist: device.stages.whitelist?.outcome,
    join: device.stages.join?.outcome,
    interview: device.stages.interview?.outcome,
    commission: device.stages.commission?.outcome,
    failureReason: failureReason(device),
    lqi: device.linkQuality?.lqi,
    rssi: device.linkQuality?.rssi,
    removedReason: device.removed?.reason,
    jobNotes: report.notes.map((n) => n.text).join('\n') || undefined,
  };
}

export function renderReportCsv(report: InstallReport): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const device of report.devices) {
    const row = deviceRow(report, device);
    lines.push(CSV_COLUMNS.map((column) => csvCell(row[column])).join(','));
  }
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}
