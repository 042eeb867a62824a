import { assertSerialDevice } from '../link/serial-device';
import { join } from 'node:path';
import type { HanView } from '../../src-shared/ipc/channels/han';
import { AppError } from '../../src-shared/ipc/result';
import type { HanEvent } from '../../src-shared/model/han';
import type { HanAdapterType } from '../../src-shared/model/han-adapters';
import type { RunningPremises } from '../premises/training-premises';
import type { Logger } from '../util/logger';
import { dongleRoles } from './han-roles';
import { HanService, type HanServiceOptions } from './han-service';
import { readJobDongle, writeJobDongle } from './job-dongle';

/** Job events the manager writes: HAN steps (timeline only) and the status of the job's own devices. */
export type RecordKind = 'han.network' | 'han.device' | 'device.updated';

/** A HAN step as the status of the job's device: joined, commissioned (interviewed and ready) or failed. */
const JOB_DEVICE_STATUS: Partial<Record<string, 'joined' | 'commissioned' | 'failed'>> = {
  joined: 'joined',
  ready: 'commissioned',
  failed: 'failed',
  refused: 'failed',
};

export interface HanManagerOptions {
  readonly dataDir: string;
  readonly log: Logger;
  readonly premises: () => RunningPremises | undefined;
  readonly onEvent: (event: HanEvent) => void;
  /** Appends a han.* event to the job's timeline (the job store); failures are logged, never thrown. */
  readonly record?: (jobId: string, kind: RecordKind, payload: Record<string, unknown>) => Promise<void>;
  /** The job's devices with install codes (revealed from the job store), loaded into the device log on start. */
  readonly jobDevices?: (
    jobId: string,
  ) => Promise<readonly { readonly id?: string; readonly eui64?: string; readonly installCode?: string; readonly status?: string }[]>;
  /** The app's secret store: install codes, link keys, the network key and herdsman's backup are sealed at rest. */
  readonly secrets?: HanServiceOptions['secrets'];
  /** For tests: faster interview failure and reconnects. */
  readonly serviceDefaults?: { interviewTimeoutMs?: number; reconnectDelayMs?: number };
}

/**
 * The app's one HAN coordinator at a time (herdsman's state is process-wide): which job's network runs, on which
 * dongle, and the view the HAN screen shows. Each job keeps its network under <dataDir>/han/<jobId>/.
 */
export class HanManager {
  readonly #options: HanManagerOptions;
  #service: HanService | undefined;
  #jobId: string | undefined;
  #recording: Promise<void> = Promise.resolve();
  #release: (() => void) | undefined;
  /** The job's own device ids by EUI-64, so HAN steps update their status. */
  #jobDeviceIds = new Map<string, string>();

  constructor(options: HanManagerOptions) {
    this.#options = options;
  }

  async start(jobId: string, dongle?: { adapter: HanAdapterType; path: string }, channel?: number): Promise<HanView> {
    if (this.#service && this.#jobId === jobId) return this.view();
    // A network belongs to a job: refused before anything starts or a folder is made for a job that does not exist.
    await this.#options.jobDevices?.(jobId);
    if (dongle && !dongle.path.startsWith('tcp://')) assertSerialDevice(dongle.path);
    await this.stop();
    const jobDir = join(this.#options.dataDir, 'han', jobId);
    const target = dongle ?? readJobDongle(jobDir) ?? this.#trainingDongle();
    const release = dongleRoles.claim(target.path, 'coordinator');
    let service: HanService;
    try {
      service = await this.#startService(jobId, target, channel);
    } catch (error) {
      release();
      throw error;
    }
    if (dongle && !this.isTrainingDongle(dongle)) writeJobDongle(jobDir, dongle);
    this.#release = release;
    this.#service = service;
    this.#jobId = jobId;
    this.#record(jobId, 'han.network', { action: service.lastStart ?? 'resumed', ...this.#networkFields(service) });
    await this.#loadJobDevices(jobId, service);
    return this.view();
  }

  async #startService(jobId: string, target: { adapter: HanAdapterType; path: string }, channel: number | undefined): Promise<HanService> {
    const service = await HanService.open({
      jobDir: join(this.#options.dataDir, 'han', jobId),
      adapter: target.adapter,
      path: target.path,
      log: this.#options.log,
      ...(channel !== undefined ? { channel } : {}),
      ...(this.#options.secrets ? { secrets: this.#options.secrets } : {}),
      ...this.#options.serviceDefaults,
    });
    service.on('event', (event) => {
      this.#options.onEvent(event);
      this.#recordEvent(jobId, service, event);
    });
    await service.start();
    return service;
  }

  /** Devices the job already lists (typed at the desk or from a work order) go onto the device log. */
  async #loadJobDevices(jobId: string, service: HanService): Promise<void> {
    if (!this.#options.jobDevices) return;
    try {
      for (const device of await this.#options.jobDevices(jobId)) {
        if (device.id && device.eui64) this.#jobDeviceIds.set(device.eui64, device.id);
        if (!device.eui64 || !device.installCode || service.deviceLog().some((e) => e.eui64 === device.eui64)) continue;
        const result = await service.addDevice(`${device.eui64}|${device.installCode}`);
        if (!result.ok) this.#options.log.warn('job device not added to the device log', { eui64: device.eui64, reason: result.error.code });
      }
    } catch (error) {
      this.#options.log.warn('could not load the job devices', { jobId, error: error instanceof Error ? error.message : String(error) });
    }
  }

  /** A device added to the running job after start (or matched when it joined): HAN steps update its status too. */
  linkJobDevice(eui64: string, id: string): void {
    this.#jobDeviceIds.set(eui64, id);
  }

  #networkFields(service: HanService): Record<string, unknown> {
    const status = service.status();
    return { panId: status.panId, extendedPanId: status.extendedPanId, channel: status.channel, adapter: status.adapter };
  }

  #recordEvent(jobId: string, service: HanService, event: HanEvent): void {
    if (event.type === 'device') {
      const type = service.device(event.eui64)?.type;
      this.#record(jobId, 'han.device', {
        eui64: event.eui64,
        state: event.entry.state,
        ...(event.entry.reason ? { reason: event.entry.reason.slice(0, 200) } : {}),
        ...(type && type !== 'Unknown' ? { deviceType: type } : {}),
      });
      const id = this.#jobDeviceIds.get(event.eui64);
      const status = JOB_DEVICE_STATUS[event.entry.state];
      if (id && status) {
        this.#record(jobId, 'device.updated', { id, status, statusReason: event.entry.reason ? event.entry.reason.slice(0, 200) : null });
      }
    } else if (event.type === 'adapter' && (event.state === 'lost' || event.state === 'reconnected')) {
      this.#record(jobId, 'han.network', { action: event.state === 'lost' ? 'adapter-lost' : 'reconnected', ...this.#networkFields(service) });
    }
  }

  #record(jobId: string, kind: RecordKind, payload: Record<string, unknown>): void {
    // Appends are queued in order; a job that cannot take them (deleted, read-only) must not stop the HAN.
    this.#recording = this.#recording
      .then(() => this.#options.record?.(jobId, kind, payload))
      .catch((error: unknown) =>
        this.#options.log.warn('could not record HAN event in the job', { jobId, kind, error: error instanceof Error ? error.message : String(error) }),
      );
  }

  async stop(): Promise<HanView> {
    const service = this.#service;
    const jobId = this.#jobId;
    this.#service = undefined;
    this.#jobId = undefined;
    this.#jobDeviceIds = new Map();
    this.#release?.();
    this.#release = undefined;
    if (service && jobId) {
      await service.stop();
      this.#record(jobId, 'han.network', { action: 'stopped', ...this.#networkFields(service) });
      await this.#recording;
    }
    return this.view();
  }

  /** The running service, or an error the engineer can act on. */
  service(): HanService {
    if (!this.#service) throw new AppError('HAN_NOT_STARTED', 'Start the HAN network for a job first.');
    return this.#service;
  }

  view(): HanView {
    const premises = this.#options.premises();
    const trainingLabels = premises?.model.devices
      .filter((d) => d.type !== 'CHF' && d.type !== 'GPF')
      .map((d) => ({ type: d.type, eui64: d.eui64, label: d.label }));
    const service = this.#service;
    return {
      ...(this.#jobId ? { jobId: this.#jobId } : {}),
      ...(service ? { network: service.status() } : {}),
      deviceLog: service ? service.deviceLog().map(({ installCode: _secret, ...rest }) => rest) : [],
      devices: service ? service.devices() : [],
      ...(trainingLabels ? { trainingLabels } : {}),
    };
  }

  async close(): Promise<void> {
    await this.stop();
  }

  /** Whether a dongle is the training premises' emulated coordinator (whose port changes every run). */
  isTrainingDongle(dongle: { path: string } | undefined): boolean {
    const path = this.#trainingPath();
    return dongle === undefined || (path !== undefined && dongle.path === path);
  }

  #trainingPath(): string | undefined {
    const port = this.#options.premises()?.ports.zigbee;
    return port === undefined ? undefined : `tcp://127.0.0.1:${port}`;
  }

  #trainingDongle(): { adapter: HanAdapterType; path: string } {
    const path = this.#trainingPath();
    if (path === undefined) throw new AppError('NO_DONGLE', 'Choose a ZigBee dongle: no dongle was given and the training premises is not running.');
    return { adapter: 'zstack', path };
  }
}
