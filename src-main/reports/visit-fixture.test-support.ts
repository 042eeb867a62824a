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

export async function recordVisit(options: { devices: number; finished?: boolean; dataDir?: string }): Promise<VisitFixture> {
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
  if (options.finished) await store.appendEvent(jobId, 'job.status-changed', { status: 'completed' });
  return { dataDir, store, secrets, jobId, installCodes, eui64s };
}
