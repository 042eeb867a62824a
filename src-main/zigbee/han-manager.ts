import { join } from 'node:path';
import type { HanView } from '../../src-shared/ipc/channels/han';
import { AppError } from '../../src-shared/ipc/result';
import type { HanEvent } from '../../src-shared/model/han';
import type { HanAdapterType } from '../../src-shared/model/han-adapters';
import type { RunningPremises } from '../premises/training-premises';
import type { Logger } from '../util/logger';
import { HanService } from './han-service';

export interface HanManagerOptions {
  readonly dataDir: string;
  readonly log: Logger;
  readonly premises: () => RunningPremises | undefined;
  readonly onEvent: (event: HanEvent) => void;
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

  constructor(options: HanManagerOptions) {
    this.#options = options;
  }

  async start(jobId: string, dongle?: { adapter: HanAdapterType; path: string }, channel?: number): Promise<HanView> {
    if (this.#service && this.#jobId === jobId) return this.view();
    await this.stop();
    const target = dongle ?? this.#trainingDongle();
    const service = HanService.open({
      jobDir: join(this.#options.dataDir, 'han', jobId),
      adapter: target.adapter,
      path: target.path,
      log: this.#options.log,
      ...(channel !== undefined ? { channel } : {}),
      ...this.#options.serviceDefaults,
    });
    service.on('event', (event) => this.#options.onEvent(event));
    await service.start();
    this.#service = service;
    this.#jobId = jobId;
    return this.view();
  }

  async stop(): Promise<HanView> {
    const service = this.#service;
    this.#service = undefined;
    this.#jobId = undefined;
    if (service) await service.stop();
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

  #trainingDongle(): { adapter: HanAdapterType; path: string } {
    const port = this.#options.premises()?.ports.zigbee;
    if (port === undefined) throw new AppError('NO_DONGLE', 'Choose a ZigBee dongle: no dongle was given and the training premises is not running.');
    return { adapter: 'zstack', path: `tcp://127.0.0.1:${port}` };
  }
}
