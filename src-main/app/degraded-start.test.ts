import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testConnectionInput } from '../dcc/connection-input.test-support';
import { prepareDccConnection, writeDccConnection } from '../dcc/dcc-config';
import type { EmulatorFactory } from '../premises/emulator';
import { FileSecretStore } from '../secrets/file-secret-store';
import { createAppServices } from './app-services';

const root = mkdtempSync(join(tmpdir(), 'han-degraded-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const brokenEmulator: EmulatorFactory = {
  name: 'dcc',
  label: 'DCC simulator (emulated)',
  start: () => Promise.reject(new Error(`EADDRNOTAVAIL: cannot bind ${root}/premises`)),
};

describe('a degraded start', () => {
  it('a service that cannot start is reported and the rest of the app starts', async () => {
    const services = await createAppServices({ dataDir: join(root, 'a'), owner: 'test', premises: 'on', emulators: [brokenEmulator], pollIntervalMs: 60_000 });
    try {
      const info = await services.dispatch('app:info', undefined);
      expect(info).toMatchObject({ ok: true, value: { trainingPremises: false, serviceProblems: [{ service: 'premises' }] } });
      // The reason is kept, without the data folder's absolute path.
      const [problem] = (info as { value: { serviceProblems: { message: string }[] } }).value.serviceProblems;
      expect(problem!.message).toContain('EADDRNOTAVAIL');
      expect(problem!.message).not.toContain(root);
      expect(await services.dispatch('jobs:list', undefined)).toEqual({ ok: true, value: [] });
      expect(await services.dispatch('dcc:status', undefined)).toMatchObject({ ok: true, value: { mode: 'none' } });
      expect(await services.dispatch('mbus:status', undefined)).toMatchObject({ ok: true });
    } finally {
      await services.close();
    }
  });

  it('a saved DCC connection whose listener port is taken does not stop the app; the DCC screen says why', async () => {
    const dataDir = join(root, 'b');
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const secrets = await FileSecretStore.open(dataDir);
    const stored = await prepareDccConnection(secrets, testConnectionInput({ listenerPort: port }));
    writeDccConnection(join(dataDir, 'dcc'), stored);
    const services = await createAppServices({ dataDir, owner: 'test', premises: 'off', pollIntervalMs: 60_000 });
    try {
      const status = await services.dispatch('dcc:status', undefined);
      expect(status).toMatchObject({ ok: true, value: { mode: 'none', problem: expect.stringContaining('already in use') } });
      // Fixed from the UI: forget it (or save a corrected one) and the problem is gone, without a restart.
      expect(await services.dispatch('dcc:forget', undefined)).toMatchObject({ ok: true, value: { mode: 'none' } });
      expect(await services.dispatch('dcc:status', undefined)).not.toMatchObject({ value: { problem: expect.anything() } });
    } finally {
      await services.close();
      blocker.close();
    }
  });
});

describe('meaning, not only shape', () => {
  it('han:start for a job that does not exist is refused, and no folder is made for it', async () => {
    const dataDir = join(root, 'c');
    const services = await createAppServices({ dataDir, owner: 'test', premises: 'off', pollIntervalMs: 60_000 });
    try {
      expect(await services.dispatch('han:start', { jobId: 'J-20990101-0001' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      expect(existsSync(join(dataDir, 'han', 'J-20990101-0001'))).toBe(false);
      const created = await services.dispatch('jobs:create', {
        premises: { address: { line1: '1 Test Street', town: 'Reading', postcode: 'RG1 1AA' }, mpan: '1200023305967' },
      });
      const jobId = (created as { value: { id: string } }).value.id;
      const notSerial = await services.dispatch('han:start', { jobId, dongle: { adapter: 'zstack', path: '/etc/passwd' } });
      expect(notSerial).toMatchObject({ ok: false, error: { code: 'NOT_A_SERIAL_DEVICE' } });
    } finally {
      await services.close();
    }
  });
});
