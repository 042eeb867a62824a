import PDFDocument from 'pdfkit';
import { DEVICE_STAGES, type InstallReport, type ReportDevice, type StageResult } from '../../src-shared/reports/report-model';
import { renderReportJson } from './report-json';
import { BODY_SIZE, contentWidth, drawIdentifier, fields, FONT, FONT_BOLD, heading, paragraph, table } from './pdf-layout';

/**
 * The A4 install report on pdfkit (no browser, so the CLI makes the same PDF as the app). It carries the JSON
 * report as an embedded `.json` file, so one file is both the human and the machine record; `report verify`
 * reads that attachment. pdfkit's standard fonts (Helvetica, Courier) come from its own AFM files, which the
 * main bundle leaves in node_modules (electron-vite externalises dependencies), so nothing is shipped here.
 */

type Doc = InstanceType<typeof PDFDocument>;

export function reportBaseName(report: InstallReport): string {
  return `install-report-${report.timeline.jobId}-e${report.timeline.eventCount}`;
}

const time = (iso: string | undefined): string => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC') : '—');
const stageText = (result: StageResult | undefined): string => (result ? result.outcome : '—');

function deviceDetail(device: ReportDevice): string | undefined {
  const parts: string[] = [];
  if (device.label) parts.push(`Label: ${device.label}`);
  if (!device.listed) parts.push('Not on the job: seen on the HAN only');
  for (const name of DEVICE_STAGES) {
    const result = device.stages[name];
    if (result?.reason) parts.push(`${name} ${result.outcome}: ${result.reason}`);
  }
  if (device.statusReason && device.status !== 'failed') parts.push(`Status: ${device.statusReason}`);
  else if (device.statusReason && !DEVICE_STAGES.some((s) => device.stages[s]?.reason === device.statusReason)) parts.push(`Failed: ${device.statusReason}`);
  const identity = [device.manufacturer, device.model, device.firmware ? `firmware ${device.firmware}` : undefined].filter(Boolean).join(' ');
  if (identity) parts.push(identity);
  if (device.mbus)
    parts.push(`M-Bus ${device.mbus.manufacturer} ${device.mbus.id} ${device.mbus.medium} v${device.mbus.version}${device.mbus.wireless ? ' (wireless)' : ''}`);
  for (const c of device.corrections ?? []) parts.push(`Corrected ${time(c.at)} (${c.reason}${c.note ? `: ${c.note}` : ''}): ${c.fields.join(', ')}`);
  if (device.leftNetworkAt) parts.push(`Left the network ${time(device.leftNetworkAt)}`);
  if (device.removed) {
    const why = [device.removed.reasonCode, device.removed.reason].filter(Boolean).join(': ');
    parts.push(`Removed from the job ${time(device.removed.at)}${why ? ` (${why})` : ''}`);
  }
  return parts.length ? parts.join(' · ') : undefined;
}

function summary(doc: Doc, report: InstallReport): void {
  const { address } = report.premises;
  fields(doc, [
    ['Job', { id: report.job.id }],
    ['Work order reference', report.job.workOrderReference],
    ['Premises', [address.line1, address.line2, address.town, address.postcode].filter(Boolean).join(', ')],
    ['MPAN', report.premises.mpan ? { id: report.premises.mpan } : undefined],
    ['MPRN', report.premises.mprn ? { id: report.premises.mprn } : undefined],
    ['Engineer', report.engineer.assigned],
    ['Recorded by', report.engineer.recordedBy.join(', ')],
    ['Appointment', report.premises.appointment ? `${time(report.premises.appointment.start)} – ${time(report.premises.appointment.end)}` : undefined],
    ['Visit started', time(report.visit.startedAt)],
    ['Visit ended', report.visit.endedAt ? time(report.visit.endedAt) : 'not finished'],
    ['Route', report.visit.route],
    ['Outcome', report.visit.outcome + (report.visit.outcomeReason ? ` — ${report.visit.outcomeReason}` : '')],
    ['Site notes', report.premises.siteNotes],
  ]);
}

function devices(doc: Doc, report: InstallReport): void {
  heading(doc, `Devices (${report.devices.length})`);
  const columns = [
    { header: 'ID', width: 28 },
    { header: 'Type', width: 36 },
    { header: 'EUI-64', width: 86 },
    { header: 'Install code', width: 52 },
    { header: 'Status', width: 62 },
    { header: 'Whitelist', width: 46 },
    { header: 'Join', width: 42 },
    { header: 'Interview', width: 46 },
    { header: 'Commission', width: 56 },
    { header: 'LQI / RSSI', width: contentWidth(doc) - 454 },
  ];
  table(
    doc,
    columns,
    report.devices.map((device) => ({
      cells: [
        device.id ?? '—',
        device.type,
        device.eui64 ? { id: device.eui64 } : '—',
        device.installCode ?? '—',
        device.status,
        ...DEVICE_STAGES.map((s) => stageText(device.stages[s])),
        device.linkQuality ? `${device.linkQuality.lqi ?? '—'} / ${device.linkQuality.rssi ?? '—'}` : '—',
      ],
      ...(deviceDetail(device) ? { detail: deviceDetail(device)! } : {}),
    })),
  );
}

function commsHub(doc: Doc, report: InstallReport): void {
  heading(doc, 'Comms Hub');
  const hub = report.commsHub;
  if (!hub) return paragraph(doc, 'None recorded.');
  fields(doc, [
    ['Device ID', hub.deviceId ? { id: hub.deviceId } : undefined],
    ['Install type', hub.installType],
    ['Connection method', hub.connectionMethod],
    ['Location', hub.location],
    ['Premises type', hub.premisesType],
    ['Aerial', hub.aerial],
    ['Additional information', hub.additionalInformation],
    ['Recorded', time(hub.recordedAt)],
  ]);
}

function evidence(doc: Doc, report: InstallReport): void {
  heading(doc, 'Visit steps');
  table(
    doc,
    [
      { header: 'Event', width: 40 },
      { header: 'Step', width: 150 },
      { header: 'Result', width: 80 },
      { header: 'Detail', width: contentWidth(doc) - 390 },
      { header: 'At', width: 120 },
    ],
    report.visit.steps.map((s) => ({ cells: [String(s.seq), s.step, s.result, s.detail ?? '', time(s.at)] })),
  );

  heading(doc, 'Removed meters');
  table(
    doc,
    [
      { header: 'Serial', width: 140 },
      { header: 'Fuel', width: 60 },
      { header: 'Final reading', width: 140 },
      { header: 'Removed', width: contentWidth(doc) - 340 },
    ],
    report.removedMeters.map((m) => ({
      cells: [
        { id: m.serial },
        m.fuel ?? '—',
        m.finalReading ? `${m.finalReading.value} ${m.finalReading.unit} (read by ${m.finalReading.readBy})` : '—',
        time(m.at),
      ],
      ...(m.reason ? { detail: m.reason } : {}),
    })),
  );

  heading(doc, 'Readings');
  table(
    doc,
    [
      { header: 'Event', width: 40 },
      { header: 'Source', width: 60 },
      { header: 'Value', width: 110 },
      { header: 'Taken at', width: 120 },
      { header: 'Reference', width: contentWidth(doc) - 330 },
    ],
    report.readings.map((r) => ({ cells: [String(r.seq), r.source, `${r.value} ${r.unit}`, time(r.takenAt), r.reference ? { id: r.reference } : '—'] })),
  );

  heading(doc, 'End-to-end verification');
  table(
    doc,
    [
      { header: 'Result', width: 44 },
      { header: 'First reading', width: 150 },
      { header: 'Second reading', width: 150 },
      { header: 'Difference / allowed', width: 90 },
      { header: 'Checked', width: contentWidth(doc) - 434 },
    ],
    report.verifications.map((v) => ({
      cells: [
        v.pass ? 'PASS' : 'FAIL',
        `${v.first.source}: ${v.first.value} ${v.first.unit} at ${time(v.first.takenAt)}`,
        `${v.second.source}: ${v.second.value} ${v.second.unit} at ${time(v.second.takenAt)}`,
        `${v.differenceWh} Wh / ${v.allowedWh} Wh`,
        time(v.checkedAt),
      ],
      detail: v.meterPointMpan
        ? `${v.reason} · meter point MPAN ${v.meterPointMpan}${v.mpanMismatchConfirmed ? ' (mismatch confirmed by the engineer)' : ''}`
        : v.reason,
    })),
  );

  heading(doc, 'IHD pairing');
  table(
    doc,
    [
      { header: 'IHD', width: 95 },
      { header: 'Meter', width: 95 },
      { header: 'Action', width: 60 },
      { header: 'Proven', width: 130 },
      { header: 'At', width: contentWidth(doc) - 380 },
    ],
    report.pairings.map((p) => ({
      cells: [{ id: p.ihd }, { id: p.meter }, p.action, p.proven === undefined ? '—' : p.proven ? `yes (${p.reportsReceived ?? 0} reports)` : 'no', time(p.at)],
      ...(p.error ? { detail: p.error } : {}),
    })),
  );

  heading(doc, 'RF survey positions');
  table(
    doc,
    [
      { header: 'Position', width: 200 },
      { header: 'LQI', width: 50 },
      { header: 'RSSI (dBm)', width: 60 },
      { header: 'Recorded', width: contentWidth(doc) - 310 },
    ],
    report.rfSurvey.map((p) => ({
      cells: [p.position, p.lqi?.toString() ?? '—', p.rssi?.toString() ?? '—', time(p.at)],
      ...(p.note ? { detail: p.note } : {}),
    })),
  );

  heading(doc, 'Faults, aborts and skipped steps');
  table(
    doc,
    [
      { header: 'Kind', width: 50 },
      { header: 'Step', width: 110 },
      { header: 'Reason', width: contentWidth(doc) - 280 },
      { header: 'At', width: 120 },
    ],
    report.faults.map((f) => ({ cells: [f.kind, f.step ?? '—', f.reason, time(f.at)], ...(f.detail ? { detail: f.detail } : {}) })),
  );

  heading(doc, 'DCC requests');
  table(
    doc,
    [
      { header: 'RequestID', width: 250 },
      { header: 'Service request', width: 112 },
      { header: 'Response', width: 48 },
      { header: 'At', width: contentWidth(doc) - 410 },
    ],
    report.dccRequests.map((r) => ({
      cells: [{ id: r.requestId }, r.serviceRequest, r.responseCode ?? 'none yet', time(r.at)],
      ...(r.outcome || r.detail ? { detail: [r.outcome, r.detail].filter(Boolean).join(' · ') } : {}),
    })),
  );

  heading(doc, 'HAN network');
  table(
    doc,
    [
      { header: 'Action', width: 70 },
      { header: 'PAN ID', width: 50 },
      { header: 'Extended PAN ID', width: 100 },
      { header: 'Channel', width: 50 },
      { header: 'Adapter', width: 80 },
      { header: 'At', width: contentWidth(doc) - 350 },
    ],
    report.hanNetworks.map((n) => ({ cells: [n.action, { id: n.panId }, { id: n.extendedPanId }, String(n.channel), n.adapter, time(n.at)] })),
  );

  heading(doc, 'Notes');
  table(
    doc,
    [
      { header: 'Note', width: contentWidth(doc) - 200 },
      { header: 'By', width: 80 },
      { header: 'At', width: 120 },
    ],
    report.notes.map((n) => ({ cells: [n.text, n.engineer, time(n.at)] })),
  );
}

function timeline(doc: Doc, report: InstallReport, attachmentName: string): void {
  heading(doc, 'Evidence');
  fields(doc, [
    ['Job timeline', `${report.timeline.eventCount} events, ${time(report.timeline.firstEventAt)} to ${time(report.timeline.lastEventAt)}`],
    ['Head hash (SHA-256)', { id: report.timeline.headHash }],
    ['Machine-readable copy', attachmentName],
  ]);
  paragraph(doc, `Check this report against the job's records with: hantool report verify <this file>`);
}

/** Header, footer and the DRAFT mark, drawn on every page once the page count is known. */
function decoratePages(doc: Doc, report: InstallReport): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const { left, bottom } = doc.page.margins;
    doc.page.margins.bottom = 0;
    const width = contentWidth(doc);
    doc.font(FONT).fontSize(7).fillColor('#555555');
    const jobLabel = 'Install report · job ';
    doc.text(jobLabel, left, 20, { lineBreak: false });
    drawIdentifier(doc, report.timeline.jobId, left + doc.font(FONT).fontSize(7).widthOfString(jobLabel), 20, 250, 7);
    doc
      .font(FONT)
      .fontSize(7)
      .text(`Page ${i + 1} of ${range.count}`, left, 20, { width, align: 'right', lineBreak: false });
    const headLabel = `${report.timeline.eventCount} events · head hash `;
    doc
      .font(FONT)
      .fontSize(7)
      .text(headLabel, left, doc.page.height - 28, { lineBreak: false });
    const labelWidth = doc.widthOfString(headLabel);
    drawIdentifier(doc, report.timeline.headHash, left + labelWidth, doc.page.height - 28, width - labelWidth, 7);
    if (report.status === 'draft') {
      // A red frame and a DRAFT line on every page; kept as real text so pdftotext and screen readers see it.
      doc
        .rect(12, 12, doc.page.width - 24, doc.page.height - 24)
        .lineWidth(3)
        .strokeColor('#cc0000')
        .stroke();
      doc.font(FONT_BOLD).fontSize(9).fillColor('#cc0000').text('DRAFT — visit unfinished: not a final install report', left, 32, { lineBreak: false });
      doc
        .font(FONT_BOLD)
        .fontSize(9)
        .text('DRAFT', left, doc.page.height - 28, { width, align: 'right', lineBreak: false });
    }
    doc.fillColor('black').fillOpacity(1);
    doc.page.margins.bottom = bottom;
  }
}

export async function renderReportPdf(report: InstallReport): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 50, bottom: 45, left: 40, right: 40 },
    bufferPages: true,
    info: { Title: `Install report ${report.timeline.jobId}`, Subject: report.job.workOrderReference ?? report.job.id, Creator: 'HAN Commissioner' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const attachmentName = `${reportBaseName(report)}.json`;
  doc.file(Buffer.from(renderReportJson(report), 'utf8'), { name: attachmentName, type: 'application/json', description: 'Install report (JSON)' });

  doc
    .font(FONT_BOLD)
    .fontSize(16)
    .text(report.status === 'draft' ? 'Install report — DRAFT' : 'Install report');
  doc.font(FONT).fontSize(BODY_SIZE).moveDown(0.3);
  summary(doc, report);
  devices(doc, report);
  commsHub(doc, report);
  evidence(doc, report);
  timeline(doc, report, attachmentName);
  decoratePages(doc, report);
  doc.end();
  return done;
}
