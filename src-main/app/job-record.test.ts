import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { JobView } from '../../src-shared/ipc/channels/jobs';
import { dccEmulatorFactory } from '../dcc/emulator/dcc-emulator';
import { createAppServices } from './app-services';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'han-record-'));
  dirs.push(dir);
  return dir;
}

const address = { line1: '1 Test Street', town: 'Reading', postcode: 'RG1 1AA' };
const MPAN = '1200023305967';

function start(dir: string, engineer?: string) {
  return createAppServices({
    dataDir: dir,
    owner: 'test',
    premises: 'on',
    emulators: [dccEmulatorFactory],
    ...(engineer ? { engineer } : {}),
    pollIntervalMs: 60_000,
  });
}

function value<T>(result: unknown): T {
  expect(result).toMatchObject({ ok: true });
  return (result as { value: T }).value;
}

describe('the job record through the app contract', () => {
  it('records the job form’s engineer on every event, remembers the name and the open job across a restart', async () => {
    const dir = dataDir();
    let services = await start(dir, 'Preset Name');
    try {
      expect(value(await services.dispatch('jobs:engineer', undefined))).toEqual({ name: 'Preset Name', source: 'environment' });
      const { id } = value<{ id: string }>(await services.dispatch('jobs:create', { premises: { address, mpan: MPAN, engineer: 'Sam Fitter' } }));
      await services.dispatch('jobs:addNote', { id, text: 'meter in the cellar' });
      const job = value<JobView>(await services.dispatch('jobs:get', { id }));
      expect(job.recordedBy).toEqual(['Sam Fitter']);
      expect(value(await services.dispatch('jobs:setSession', { openJobId: id, screen: 'han', theme: 'dark' }))).toEqual({
        openJobId: id,
        screen: 'han',
        theme: 'dark',
      });
    } finally {
      await services.close();
    }
    services = await start(dir, 'Preset Name');
    try {
      expect(value(await services.dispatch('jobs:engineer', undefined))).toEqual({ name: 'Sam Fitter', source: 'remembered' });
      const session = value<{ openJobId: string }>(await services.dispatch('jobs:session', undefined));
      expect(session).toMatchObject({ screen: 'han', theme: 'dark' });
      // The training premises takes the visited job's MPAN.
      expect(value(await services.dispatch('jobs:trainingMeterPoint', undefined))).toMatchObject({ running: true, mpan: MPAN, source: 'job' });
    } finally {
      await services.close();
    }
  });

  it('refuses a label for another device, corrects and removes devices with reasons, and refuses a duplicate M-Bus meter', async () => {
    const services = await start(dataDir(), 'Tester');
    try {
      const { id } = value<{ id: string }>(await services.dispatch('jobs:create', { premises: { address, mpan: MPAN } }));
      const label = 'Z:00124B000123CA38$I:83FED3407A939723A5C639B26916D505C3B5';
      const refused = await services.dispatch('jobs:addDevice', { id, device: { type: 'PPMID', eui64: '00124B000123CA39', installCode: label } });
      expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', fields: ['device.eui64'] } });
      const added = value<JobView>(await services.dispatch('jobs:addDevice', { id, device: { type: 'PPMID', installCode: label } }));
      expect(added.devices).toEqual([expect.objectContaining({ type: 'PPMID', eui64: '00124B000123CA38', hasInstallCode: true })]);
      const deviceId = added.devices[0]!.id;
      const corrected = value<JobView>(await services.dispatch('jobs:correctDevice', { id, deviceId, reason: 'mistyped', type: 'IHD' }));
      expect(corrected.devices[0]).toMatchObject({ type: 'IHD', correction: { reason: 'mistyped' } });
      const removed = value<JobView>(await services.dispatch('jobs:removeDevice', { id, deviceId, reasonCode: 'returned', note: 'customer refused' }));
      expect(removed.devices).toEqual([]);
      expect(removed.removedDevices[0]).toMatchObject({ id: deviceId, removal: { reasonCode: 'returned', reason: 'customer refused', engineer: 'Tester' } });

      const mbus = { manufacturer: 'ABB', id: '12345678', medium: 'Water', version: 2 };
      value(await services.dispatch('jobs:addDevice', { id, device: { type: 'MBUS', mbus, label: 'M-Bus ABB 12345678' } }));
      const twice = await services.dispatch('jobs:addDevice', { id, device: { type: 'MBUS', mbus: { ...mbus, primary: 3 }, label: 'again' } });
      expect(twice).toMatchObject({ ok: false, error: { message: expect.stringContaining('already device') } });
    } finally {
      await services.close();
    }
  });

  it('stops a verification whose job names another MPAN than the meter point until the engineer confirms', async () => {
    const services = await start(dataDir(), 'Tester');
    try {
      const esme = services.premises!.model.devices.find((d) => d.type === 'ESME')!.eui64;
      const { id } = value<{ id: string }>(
        await services.dispatch('jobs:create', { premises: { address, mpan: MPAN }, devices: [{ type: 'ESME', eui64: esme }] }),
      );
      await services.dispatch('jobs:setSession', { openJobId: id });
      // Following the job: no warning.
      expect(await services.dispatch('dcc:verify', { method: 'han-vs-dcc', jobId: id })).toMatchObject({ ok: true });
      // A trainer's deliberate mismatch stops the engineer.
      value(await services.dispatch('jobs:setTrainingMismatch', { mpan: '1234567890126' }));
      const stopped = await services.dispatch('dcc:verify', { method: 'han-vs-dcc', jobId: id });
      expect(stopped).toMatchObject({ ok: false, error: { code: 'MPAN_MISMATCH', message: expect.stringContaining('1234567890126') } });
      expect(await services.dispatch('dcc:verify', { method: 'han-vs-dcc', jobId: id, confirmMpanMismatch: true })).toMatchObject({ ok: true });
      const job = value<JobView>(await services.dispatch('jobs:get', { id }));
      const records = job.timeline.filter((e) => e.kind === 'verification.recorded').map((e) => JSON.parse(e.details));
      expect(records).toHaveLength(2);
      expect(records[0]).toMatchObject({ jobMpan: MPAN, meterPointMpan: MPAN });
      expect(records[1]).toMatchObject({ jobMpan: MPAN, meterPointMpan: '1234567890126', mpanMismatchConfirmed: true });
    } finally {
      await services.close();
    }
  });
});
