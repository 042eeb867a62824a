import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPremisesModel, type PremisesModel } from '../premises/premises-model';
import { silentLogger } from '../util/logger';
import { seDeviceSpecs, type VirtualSeDeviceSpec } from './emulator/virtual-se-device';
import { ZnpEmulator, type EmulatorEvent, type ZnpEmulatorOptions } from './emulator/znp-emulator';
import { HanService, type HanServiceOptions } from './han-service';
import type { HanEvent } from '../../src-shared/model/han';

/** herdsman against the Z-Stack emulator over real TCP, with herdsman's files in a temp job folder. */
export interface Rig {
  readonly model: PremisesModel;
  readonly emulator: ZnpEmulator;
  readonly jobDir: string;
  service: HanService;
  readonly emulatorEvents: (EmulatorEvent & { t: number })[];
  readonly hanEvents: HanEvent[];
  openService(extra?: Partial<HanServiceOptions>): Promise<HanService>;
  waitFor<T>(probe: () => T | undefined | false, timeoutMs?: number, what?: string): Promise<T>;
  close(): Promise<void>;
}

export const FROZEN_NOW = Date.UTC(2026, 0, 15, 9, 30);

export async function startRig(
  options: { devices?: (model: PremisesModel) => VirtualSeDeviceSpec[]; emulator?: Partial<ZnpEmulatorOptions>; service?: Partial<HanServiceOptions> } = {},
): Promise<Rig> {
  const model = createPremisesModel(7, FROZEN_NOW - 3_600_000);
  const emulator = await ZnpEmulator.start({
    devices: options.devices ? options.devices(model) : seDeviceSpecs(model.devices, model.rf),
    rf: model.rf,
    esmeRegister: model.esmeRegister,
    log: silentLogger,
    now: () => FROZEN_NOW,
    joinDelayMs: 10,
    joinRetryMs: 200,
    sleepyPollMs: 250,
    ...options.emulator,
  });
  const emulatorEvents: (EmulatorEvent & { t: number })[] = [];
  emulator.on('event', (e) => emulatorEvents.push({ ...e, t: Date.now() }));
  const jobDir = mkdtempSync(join(tmpdir(), 'han-job-'));
  const hanEvents: HanEvent[] = [];
  const openService = async (extra: Partial<HanServiceOptions> = {}): Promise<HanService> => {
    const service = await HanService.open({
      jobDir,
      adapter: 'zstack',
      path: `tcp://127.0.0.1:${emulator.port}`,
      log: silentLogger,
      reconnectDelayMs: 200,
      requestTimeoutMs: 5000,
      ...options.service,
      ...extra,
    });
    service.on('event', (e) => hanEvents.push(e));
    return service;
  };
  const rig: Rig = {
    model,
    emulator,
    jobDir,
    service: await openService(),
    emulatorEvents,
    hanEvents,
    openService,
    async waitFor(probe, timeoutMs = 20_000, what = 'condition') {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = probe();
        if (value !== undefined && value !== false) return value as never;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async close() {
      await rig.service.stop().catch(() => undefined);
      await emulator.stop();
      rmSync(jobDir, { recursive: true, force: true });
    },
  };
  return rig;
}
