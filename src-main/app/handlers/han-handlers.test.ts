import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HanView } from '../../../src-shared/ipc/channels/han';
import type { MeteringReading } from '../../../src-shared/model/han';
import { zigbeeEmulatorFactory } from '../../zigbee/emulator/zigbee-emulator-factory';
import { createAppServices } from '../app-services';

const dataDir = mkdtempSync(join(tmpdir(), 'han-app-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('HAN through the app contract (training premises)', () => {
  it('starts a job’s network with the job’s devices on the device log, joins and reads the ESME, and records the steps in the job', async () => {
    const services = await createAppServices({
      dataDir,
      owner: 'test',
      premises: 'on',
      emulators: [zigbeeEmulatorFactory],
      engineer: 'Tester',
      pollIntervalMs: 60_000,
    });
    try {
      expect(await services.dispatch('han:addDevice', { text: '83FED3407A939723A5C639B26916D505', eui64: '0011223344556677' })).toMatchObject({
        ok: false,
        error: { code: 'HAN_NOT_STARTED' },
      });
      const esme = services.premises!.model.devices.find((d) => d.type === 'ESME')!;
      const created = await services.dispatch('jobs:create', {
        premises: { address: { line1: '1 Test Street', town: 'Reading', postcode: 'RG1 1AA' } },
        devices: [{ type: 'ESME', eui64: esme.eui64, installCode: esme.installCode + esme.installCodeCrc }],
      });
      const jobId = (created as { value: { id: string } }).value.id;

      const started = await services.dispatch('han:start', { jobId });
      expect(started).toMatchObject({ ok: true, value: { jobId, network: { state: 'running', adapter: 'zstack' } } });
      const view = (started as { value: HanView }).value;
      expect(view.deviceLog.map((e) => e.eui64)).toEqual([esme.eui64]);
      // Install codes are secrets: only the training labels (printed on the virtual devices) carry them.
      expect(JSON.stringify({ ...view, trainingLabels: [] })).not.toContain(esme.installCode);

      const wrongCrc = await services.dispatch('han:addDevice', { text: `${esme.eui64}|${esme.installCode}0000` });
      expect(wrongCrc).toMatchObject({ ok: false, error: { code: 'BAD_CRC' } });
      expect((wrongCrc as { error: { message: string } }).error.message).toContain(esme.installCodeCrc);

      expect(await services.dispatch('han:openJoin', { seconds: 120 })).toMatchObject({ ok: true, value: { network: { joinWindow: { open: true } } } });
      const deadline = Date.now() + 15_000;
      let ready = false;
      while (!ready && Date.now() < deadline) {
        const current = await services.dispatch('han:view', undefined);
        ready = (current as { value: HanView }).value.devices.some((d) => d.eui64 === esme.eui64 && d.state === 'ready');
        if (!ready) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(ready).toBe(true);
      const reading = await services.dispatch('han:read', { eui64: esme.eui64 });
      expect(reading).toMatchObject({ ok: true, value: { unit: 'kWh' } });
      expect((reading as { value: MeteringReading }).value.value).toBeGreaterThan(0);

      expect(await services.dispatch('han:stop', undefined)).toMatchObject({ ok: true, value: { devices: [] } });
      const job = await services.dispatch('jobs:get', { id: jobId });
      const kinds = (job as { value: { timeline: { kind: string; details: string }[] } }).value.timeline.map((e) => e.kind);
      expect(kinds).toEqual(expect.arrayContaining(['han.network', 'han.device']));
      expect(kinds.filter((k) => k === 'han.device').length).toBeGreaterThanOrEqual(4);
      // The job's own ESME record shows the outcome.
      const devices = (job as { value: { devices: { eui64?: string; status: string }[] } }).value.devices;
      expect(devices.find((d) => d.eui64 === esme.eui64)!.status).toBe('commissioned');
    } finally {
      await services.close();
    }
  });
});
