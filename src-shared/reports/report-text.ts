/**
 * Free text in a report (notes, reasons, labels) is the engineer's, but a key or raw payload pasted into it
 * must not leave in a report. A run of 17+ hex digits with a letter in it, or 22+ digits (longer than a full
 * MPAN), is not an identifier the report prints (EUI-64s are 16): it is replaced.
 */
const HEX_RUN = /\b[0-9A-Fa-f]{17,}\b/g;

export const HEX_REMOVED = '[hex removed]';

export function scrubReportText(value: string): string {
  return value.replace(HEX_RUN, (run) => (/[A-Fa-f]/.test(run) || run.length >= 22 ? HEX_REMOVED : run));
}

/** "••••C3B5": the last four hex digits (an install code's CRC) at most; "••••" when even those are unknown. */
export function maskInstallCode(code: string | undefined): string {
  if (code === undefined || code.length < 12) return '••••';
  return '••••' + code.slice(-4).toUpperCase();
}
