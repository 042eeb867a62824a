import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
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
    let closed = false;
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
      // Misread, never "corrected": the computed CRC is not offered to the engineer.
      expect((wrongCrc as { error: { message: string } }).error.message).toMatch(/misread/);
      expect((wrongCrc as { error: { message: string } }).error.message).not.toContain(esme.installCodeCrc);

      const notices: unknown[] = [];
      services.events.subscribe((channel, payload) => void (channel === 'app:notice' && notices.push(payload)));
      // The window opens; it may already have closed by itself when the job's only device joined that fast.
      expect(await services.dispatch('han:openJoin', { seconds: 120 })).toMatchObject({ ok: true, value: { network: { joinWindow: expect.any(Object) } } });
      const deadline = Date.now() + 15_000;
      let ready = false;
      while (!ready && Date.now() < deadline) {
        const current = await services.dispatch('han:view', undefined);
        ready = (current as { value: HanView }).value.devices.some((d) => d.eui64 === esme.eui64 && d.state === 'ready');
        if (!ready) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(ready).toBe(true);
      // Every device on the job is ready: joining was closed automatically, with a notice.
      await expect.poll(async () => ((await services.dispatch('han:view', undefined)) as { value: HanView }).value.network?.joinWindow.open).toBe(false);
      await expect.poll(() => notices).toContainEqual(expect.objectContaining({ level: 'info', message: expect.stringContaining('joining was closed') }));
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
      const linkKey = view.deviceLog[0]!.linkKey;
      const networkKey = await readNetworkKeyFromEmulator(services);
      expect(networkKey).toMatch(/^[0-9A-F]{32}$/);
      await services.close();
      closed = true;
      const hanFiles = filesUnder(join(dataDir, 'han', jobId)).map((f) => f.split('/').pop());
      expect(hanFiles).toEqual(expect.arrayContaining(['han-state.json', 'coordinator-backup.json.sealed', 'herdsman-db.json']));
      expect(hanFiles).not.toContain('coordinator-backup.json');
      // Nothing secret is left in plain text in the data folder: not the install code, its link key or the network key.
      for (const file of filesUnder(dataDir)) {
        const content = readFileSync(file, 'latin1').toUpperCase();
        for (const secret of [esme.installCode, linkKey, networkKey]) expect(content.includes(secret), `${file} holds a secret in plain text`).toBe(false);
      }
    } finally {
      if (!closed) await services.close();
    }
  });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** The network key as the (emulated) coordinator holds it in NV: what must never be on disk in plain text. */
async function readNetworkKeyFromEmulator(services: { premises: { ports: { zigbee?: number } } | undefined }): Promise<string> {
  const { connect } = await import('node:net');
  const { encodeFrame, MtSubsystem, MtType, UnpiParser } = await import('../../zigbee/emulator/unpi');
  const socket = connect(services.premises!.ports.zigbee!, '127.0.0.1');
  try {
    return await new Promise<string>((resolve) => {
      const parser = new UnpiParser({
        frame: (f) => f.type === MtType.SRSP && resolve(f.data.subarray(3, 19).toString('hex').toUpperCase()),
        garbage: () => undefined,
      });
      socket.on('data', (chunk) => parser.push(chunk));
      // SYS osalNvReadExt(NWK_ACTIVE_KEY_INFO 0x003A, offset 0): status, length, key sequence number, key.
      socket.write(encodeFrame({ type: MtType.SREQ, subsystem: MtSubsystem.SYS, command: 0x1c, data: Buffer.from([0x3a, 0x00, 0x00, 0x00]) }));
    });
  } finally {
    socket.destroy();
  }
}
