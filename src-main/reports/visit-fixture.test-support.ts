import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeviceType } from '../../src-shared/model/job';
import { parseInstallCode } from '../../src-shared/model/install-code';
import { FileSecretStore } from '../secrets/file-secret-store';
import { JobStore } from '../store/job-store';

/**
 * A recorded own-network visit for report tests and the report benchmark: a work order with `devices`
 * devices (ESME, GSME, IHD, then more IHDs), a formed HAN, each device whitelisted → joined → interviewed
 * (the last one refused when there are three or more), a HAN-vs-DCC verification, a hostile note.
 */

export const FIXTURE_MPAN = '1200023305967';
export const HOSTILE_NOTE = '=HYPERLINK("http://evil.example/x","click")';

export interface VisitFixture {
  readonly dataDir: string;
  readonly store: JobStore;
  readonly secrets: FileSecretStore;
  readonly jobId: string;
  /** Every install code in full (code + CRC), to prove no report carries one. */
  readonly installCodes: readonly string[];
  readonly eui64s: readonly string[];
}

const TYPES: readonly DeviceType[] = ['ESME', 'GSME', 'IHD'];

export function fixtureEui64(index: number): string {
  return `00124B00${(0x1a2b0000 + index).toString(16).toUpperCase()}`;
}

export function fixtureInstallCode(index: number): string {
  const code = `83FED3407A93${(0x9c00 + index).toString(16).toUpperCase()}`;
  const parsed = parseInstallCode(code);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value.installCode + parsed.value.crc;
}

export const FIXTURE_REQUEST_ID = '90-B3-D5-1F-30-01-00-00:00-12-4B-00-1A-2B-00-00:1001';
export const FIXTURE_CHF_ID = '00124B00CAFE0001';

/**
 * The live Comms Hub parts a visit runner writes (visit-events.ts): route, pre-checks, a removed meter, the
 * hub's 8.14.1 answers, an 8.11 request answered, the first device's stages with link quality and identity,
 * an RF survey position, a skipped survey step, a hub fault; the outcome (commissioned-pending) when finished.
 */
async function recordLiveVisitParts(store: JobStore, jobId: string, eui64s: readonly string[]): Promise<void> {
  const visitId = 'V1';
  await store.appendEvent(jobId, 'visit.started', { visitId, route: 'live-comms-hub' });
  await store.appendEvent(jobId, 'visit.answers', {
    visitId,
    step: 'arrival',
    answers: { form: 'pre-checks', jobDetailsConfirmed: true, mpanConfirmed: true },
  });
  await store.appendEvent(jobId, 'visit.answers', {
    visitId,
    step: 'remove-meters',
    answers: { form: 'removed-meter', fuel: 'electricity', serial: 'K09A123456', finalReading: { value: 45678.9, unit: 'kWh' }, readMethod: 'display' },
  });
  await store.appendEvent(jobId, 'visit.answers', {
    visitId,
    step: 'fit-comms-hub',
    answers: {
      form: 'comms-hub',
      chfId: FIXTURE_CHF_ID,
      connectionMethod: 'Hot-shoe',
      location: 'Basement or Cellar',
      premiseType: 'Terraced',
      aerialInstall: false,
      wanAvailable: true,
    },
  });
  const dcc = { visitId, step: 'whitelist', deviceId: 'D1', requestId: FIXTURE_REQUEST_ID, serviceRequest: '8.11', name: 'Update HAN Device Log' } as const;
  await store.appendEvent(jobId, 'dcc.request', { ...dcc, state: 'queued', verdicts: { signature: 'none', result: 'queued' } });
  await store.appendEvent(jobId, 'dcc.request', {
    ...dcc,
    state: 'completed',
    responseCode: 'I0',
    responseMeaning: 'Success',
    verdicts: { signature: 'verified', result: 'success' },
  });
  await store.appendEvent(jobId, 'visit.step-result', {
    visitId,
    step: 'whitelist',
    deviceId: 'D1',
    attempt: 1,
    result: 'done',
    summary: 'ESME added to the CHF device log',
    requestIds: [FIXTURE_REQUEST_ID],
  });
  await store.appendEvent(jobId, 'visit.step-result', {
    visitId,
    step: 'commission',
    deviceId: 'D1',
    attempt: 1,
    result: 'pending',
    summary: '8.1.1 not sent',
    reason: 'the DCC side does not support critical requests',
    eui64: eui64s[0],
    linkQuality: { lqi: 180, rssi: -67 },
    details: { manufacturer: 'Acme Meters', model: 'E470', firmware: '1.2.3' },
  });
  await store.appendEvent(jobId, 'visit.answers', {
    visitId,
    step: 'rf-survey',
    answers: { form: 'rf-survey-position', position: 'Kitchen', lqi: 150, rssi: -71 },
  });
  await store.appendEvent(jobId, 'ihd.paired', {
    ihd: eui64s[2],
    meter: eui64s[0],
    meterType: 'ESME',
    proven: true,
    bindingConfirmed: true,
    ihdConfirmed: true,
    reportsReceived: 3,
  });
  await store.appendEvent(jobId, 'device.corrected', { id: 'D2', reason: 'mistyped', note: 'label read wrongly', label: 'Gas meter, hall' });
  await store.appendEvent(jobId, 'device.added', {
    type: 'MBUS',
    label: 'Heat meter',
    mbus: { manufacturer: 'KAM', id: '12345678', medium: 'heat', version: 8, primary: 5 },
  });
  await store.appendEvent(jobId, 'visit.step-skipped', { visitId, step: 'device-log-check', reason: 'unattended run', reasonCode: 'unattended-run' });
  await store.appendEvent(jobId, 'visit.step-fault', {
    visitId,
    step: 'fit-comms-hub',
    faultKind: 'comms-hub',
    chfFaultReason: 'LED Fault',
    chfFaultReturnType: 'Fault identified post installation',
    text: 'WAN LED stays off',
  });
}

export async function recordVisit(options: { devices: number; finished?: boolean; live?: boolean; dataDir?: string }): Promise<VisitFixture> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'han-report-')));
  const secrets = await FileSecretStore.open(dataDir);
  let clock = Date.parse('2026-11-27T09:00:00Z');
  const store = await JobStore.open(dataDir, { engineer: 'A. Fitter', owner: 'test', secrets, now: () => new Date((clock += 1000)) });
  const eui64s = Array.from({ length: options.devices }, (_, i) => fixtureEui64(i));
  const installCodes = eui64s.map((_, i) => fixtureInstallCode(i));
  const job = await store.importWorkOrder({
    format: 'han-commissioner.work-order',
    version: 1,
    reference: 'WO-2026-000417',
    appointment: { start: '2026-11-27T09:00:00Z', end: '2026-11-27T12:00:00Z' },
    engineer: 'A. Fitter',
    premises: {
      address: { line1: '14 Acacia Avenue', town: 'Reading', postcode: 'RG1 1AA' },
      mpan: FIXTURE_MPAN,
      mprn: '1234567890',
      accessNotes: 'Meter in the cellar',
    },
    devices: eui64s.map((eui64, i) => ({ type: TYPES[i] ?? 'IHD', eui64, installCode: installCodes[i]!, label: `Unit ${i + 1}` })),
  });
  const jobId = job.id;
  await store.appendEvent(jobId, 'han.network', { action: 'formed', panId: 0x1a62, extendedPanId: 'DD11223344556677', channel: 11, adapter: 'zstack' });
  const refused = options.devices >= 3 ? options.devices - 1 : -1;
  for (const [i, eui64] of eui64s.entries()) {
    const id = `D${i + 1}`;
    await store.appendEvent(jobId, 'han.device', { eui64, state: 'whitelisted' });
    if (i === refused) {
      await store.appendEvent(jobId, 'han.device', { eui64, state: 'refused', reason: 'install code does not match the device' });
      await store.appendEvent(jobId, 'device.updated', { id, status: 'failed', statusReason: 'install code does not match the device' });
      continue;
    }
    await store.appendEvent(jobId, 'han.device', { eui64, state: 'joined', deviceType: TYPES[i] ?? 'IHD' });
    await store.appendEvent(jobId, 'han.device', { eui64, state: 'interviewing' });
    await store.appendEvent(jobId, 'han.device', { eui64, state: 'ready' });
    await store.appendEvent(jobId, 'device.updated', { id, status: 'joined' });
  }
  const reading = (source: 'han' | 'dcc', valueWh: number, takenAt: string) => ({ source, value: valueWh / 1000, unit: 'kWh', valueWh, takenAt });
  await store.appendEvent(jobId, 'verification.recorded', {
    pass: true,
    first: reading('han', 1234567, '2026-11-27T10:00:00Z'),
    second: reading('dcc', 1234570, '2026-11-27T10:00:05Z'),
    differenceWh: 3,
    allowedWh: 10,
    elapsedMs: 5000,
    reason: 'HAN and DCC readings agree within 10 Wh',
    checkedAt: '2026-11-27T10:00:06Z',
  });
  await store.appendEvent(jobId, 'note.added', { text: HOSTILE_NOTE });
  if (options.live) await recordLiveVisitParts(store, jobId, eui64s);
  if (options.finished && options.live) {
    await store.appendEvent(jobId, 'visit.outcome', {
      visitId: 'V1',
      outcome: 'commissioned-pending',
      reason: 'ESME joined',
      pending: ['8.1.1 commission ESME D1'],
    });
  }
  if (options.finished) await store.appendEvent(jobId, 'job.status-changed', { status: 'completed' });
  return { dataDir, store, secrets, jobId, installCodes, eui64s };
}
