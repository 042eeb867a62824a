import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findEventKind } from '../../src-shared/model/job';
import { createPremisesModel } from '../premises/premises-model';
import type { RunningPremises } from '../premises/training-premises';
import { silentLogger } from '../util/logger';
import { seDeviceSpecs } from './emulator/virtual-se-device';
import { ZnpEmulator } from './emulator/znp-emulator';
import { HanManager } from './han-manager';

describe('HanManager on the training premises', () => {
  const model = createPremisesModel(5);
  let emulator: ZnpEmulator;
  let dataDir: string;
  let manager: HanManager;
  const recorded: { jobId: string; kind: string; payload: Record<string, unknown> }[] = [];

  beforeAll(async () => {
    emulator = await ZnpEmulator.start({
      devices: seDeviceSpecs(model.devices).filter((d) => d.type === 'ESME'),
      esmeRegister: model.esmeRegister,
      log: silentLogger,
      joinDelayMs: 5,
    });
    dataDir = mkdtempSync(join(tmpdir(), 'han-manager-'));
    const premises = { model, ports: { zigbee: emulator.port }, emulators: new Map(), stop: async () => undefined } as unknown as RunningPremises;
    manager = new HanManager({
      dataDir,
      log: silentLogger,
      premises: () => premises,
      onEvent: () => undefined,
      record: async (jobId, kind, payload) => {
        recorded.push({ jobId, kind, payload });
      },
      // The job already lists the ESME with its install code (code + CRC, as the job store keeps it).
      jobDevices: async () => {
        const esme = model.devices.find((d) => d.type === 'ESME')!;
        return [{ eui64: esme.eui64, installCode: esme.installCode + esme.installCodeCrc }, { eui64: '0011223344556677' }];
      },
    });
  });
  afterAll(async () => {
    await manager.close();
    await emulator.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('needs a started network before device-log changes', () => {
    expect(() => manager.service()).toThrow(expect.objectContaining({ code: 'HAN_NOT_STARTED' }));
    expect(manager.view().trainingLabels).toHaveLength(4);
  });

  it('runs the job’s network on the emulated dongle and records its steps as valid han.* job events', async () => {
    const view = await manager.start('JOB-1');
    expect(view.network).toMatchObject({ state: 'running', adapter: 'zstack' });
    const esme = model.devices.find((d) => d.type === 'ESME')!;
    // Loaded from the job: the ESME (with its code) is on the device log; the device without a code is not.
    expect(manager.view().deviceLog.map((e) => e.eui64)).toEqual([esme.eui64]);
    expect(manager.view().deviceLog[0]).not.toHaveProperty('installCode');
    await manager.service().openJoinWindow(60);
    const deadline = Date.now() + 10_000;
    while (manager.view().devices[0]?.state !== 'ready' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    const networkKey = manager.service().network.networkKey;
    await manager.stop();
    const kinds = recorded.map((r) => `${r.kind}:${String(r.payload.action ?? r.payload.state)}`);
    expect(kinds[0]).toBe('han.network:formed');
    expect(kinds).toEqual(expect.arrayContaining(['han.device:whitelisted', 'han.device:joined', 'han.device:interviewing', 'han.device:ready']));
    expect(kinds[kinds.length - 1]).toBe('han.network:stopped');
    expect(recorded.every((r) => r.jobId === 'JOB-1')).toBe(true);
    // Whatever the manager records is accepted by the job store's schemas, and never carries the network key.
    for (const r of recorded) {
      expect(findEventKind(r.kind)!.payload.safeParse(r.payload).success).toBe(true);
      expect(JSON.stringify(r.payload).toUpperCase()).not.toContain(networkKey);
    }
    expect(recorded.find((r) => r.payload.state === 'ready')!.payload.deviceType).toBe('ESME');
  });

  it('refuses to open a job whose HAN state is damaged instead of forming a new network over it', async () => {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(join(dataDir, 'han', 'JOB-BAD'), { recursive: true });
    writeFileSync(join(dataDir, 'han', 'JOB-BAD', 'han-state.json'), '{"version":1,"netw');
    await expect(manager.start('JOB-BAD')).rejects.toMatchObject({ code: 'HAN_STATE_DAMAGED' });
    expect(manager.view().network).toBeUndefined();
  });
});
