import type { Controller } from 'zigbee-herdsman';
import type { DiagnosticsView, EnergyView, SurveyView, SurveyedNetwork } from '../../../src-shared/ipc/channels/diagnostics';
import { AppError } from '../../../src-shared/ipc/result';
import type { DeviceLink, DeviceTables, NetworkMap } from '../../../src-shared/model/han-links';
import type { HanDevice } from '../../../src-shared/model/han';
import {
  channelStats,
  recommendChannel,
  signalVerdict,
  verdictNote,
  wifiOverlap,
  ZIGBEE_CHANNELS,
  type EnergyScan,
  type SurveyNetwork,
  type SurveyPosition,
} from '../../../src-shared/model/rf-survey';
import type { Logger } from '../../util/logger';
import { LinkMonitor } from './link-monitor';
import { probeDevice, readNetworkMap, readTables } from './network-tables';
import { scanBeacons, scanEnergy, type ScanDongle } from './scanner';

/** Energy scans kept for min/mean/max (a few minutes of repeated scans). */
const ENERGY_HISTORY = 30;
/** Scan durations (IEEE 802.15.4 exponent): 3 ≈ 0.14 s per channel for energy, 4 ≈ 0.26 s for beacons. */
const ENERGY_DURATION = 3;
const BEACON_DURATION = 4;

/** The training premises' RF model controls (the emulated Z-Stack's radio world). */
export interface TrainingRadio {
  worsenLink(eui64: string, options: { toLqi: number; overMs: number }): void;
  dropDevice(eui64: string, options: { rejoinAfterMs: number }): void;
  clearImpairments(): void;
}

export interface DiagnosticsServiceOptions {
  readonly log: Logger;
  /** The training premises' emulated Z-Stack, used when the engineer names no dongle. */
  readonly trainingDongle: () => ScanDongle | undefined;
  /** The job's running coordinator, if any: its path, herdsman controller and devices. */
  readonly coordinator: () => { path: string; adapter: string; controller: Controller; devices: readonly HanDevice[] } | undefined;
  /** Appends the survey.position event to the job (the store validates it). */
  readonly recordPosition: (jobId: string, position: SurveyPosition) => Promise<void>;
  /** The job's recorded positions, oldest first (from its timeline). */
  readonly positions: (jobId: string) => Promise<SurveyPosition[]>;
  /** Device labels (training premises) for the map. */
  readonly labels?: () => ReadonlyMap<string, string>;
  readonly onChange?: () => void;
  readonly now?: () => number;
  readonly silentAfterMs?: number;
  /** Training premises only: the emulated radio's impairment controls. */
  readonly trainingRadio?: () => TrainingRadio | undefined;
  /** How long a reachability probe waits for the device's answer. */
  readonly probeTimeoutMs?: number;
}

/**
 * The Diagnostics screen's main-side state: energy scans and their statistics, the beacon survey (networks heard,
 * merged across scans), survey positions recorded in the job, and link quality on our own network.
 */
export class DiagnosticsService {
  readonly #options: DiagnosticsServiceOptions;
  readonly #now: () => number;
  readonly #monitor: LinkMonitor;
  #scans: EnergyScan[] = [];
  readonly #networks = new Map<string, SurveyedNetwork>();
  #lastSurvey: { atMs: number; adapter: string; heard: SurveyNetwork[] } | undefined;
  #busy = false;
  /** Device → the router it sits behind, from the last neighbour tables read (routers' "child" entries). */
  readonly #parents = new Map<string, string>();

  constructor(options: DiagnosticsServiceOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#monitor = new LinkMonitor({ now: this.#now, ...(options.silentAfterMs !== undefined ? { silentAfterMs: options.silentAfterMs } : {}) });
  }

  /** Keeps the link monitor on the running coordinator (called on HAN events and before each read). */
  followCoordinator(): void {
    this.#monitor.follow(this.#options.coordinator()?.controller);
  }

  view(): DiagnosticsView {
    return { energy: this.#energyView(), survey: this.#surveyView(), training: this.training };
  }

  async energyScan(dongle: ScanDongle | undefined, channels: readonly number[] = ZIGBEE_CHANNELS): Promise<EnergyView> {
    const target = this.#dongle(dongle);
    const result = await this.#exclusive(() => scanEnergy(target, channels, ENERGY_DURATION, this.#options.log, this.#running()));
    const scan: EnergyScan = { adapter: target.adapter, atMs: this.#now(), channels: result.readings, ...(result.note ? { note: result.note } : {}) };
    this.#scans = [...this.#scans, scan].slice(-ENERGY_HISTORY);
    this.#options.onChange?.();
    return this.#energyView();
  }

  clearEnergy(): EnergyView {
    this.#scans = [];
    return this.#energyView();
  }

  async beaconScan(dongle: ScanDongle | undefined, channels: readonly number[] = ZIGBEE_CHANNELS): Promise<SurveyView> {
    const target = this.#dongle(dongle);
    const heard = await this.#exclusive(() => scanBeacons(target, channels, BEACON_DURATION, this.#options.log, this.#running()));
    const atMs = this.#now();
    this.#lastSurvey = { atMs, adapter: target.adapter, heard };
    for (const network of heard) {
      // One row per beaconing device: a neighbour network's router may be heard better than its coordinator.
      const key = `${network.extendedPanId}:${network.panId}:${network.channel}:${network.source ?? 0}`;
      const previous = this.#networks.get(key);
      this.#networks.set(key, { ...network, firstHeardMs: previous?.firstHeardMs ?? atMs, lastHeardMs: atMs, timesHeard: (previous?.timesHeard ?? 0) + 1 });
    }
    this.#options.onChange?.();
    return this.#surveyView();
  }

  clearSurvey(): SurveyView {
    this.#networks.clear();
    this.#lastSurvey = undefined;
    return this.#surveyView();
  }

  /**
   * Records the hub's signal as heard in the latest beacon scan at a named position, with its verdict, in the job.
   * A hub not heard in that scan is recorded too ("none"): that is the evidence for Alt HAN.
   */
  async recordPosition(jobId: string, position: string, hubId: string): Promise<SurveyPosition> {
    const survey = this.#lastSurvey;
    if (!survey) throw new AppError('NO_SURVEY', 'Run a beacon scan at this position first.');
    const hub = survey.heard.filter((n) => n.extendedPanId === hubId).sort((a, b) => (b.lqi ?? 0) - (a.lqi ?? 0))[0];
    const signal = { lqi: hub?.lqi ?? null, rssi: hub?.rssi ?? null };
    const { verdict, basis } = signalVerdict(signal);
    const note = verdictNote(verdict);
    const record: SurveyPosition = {
      position,
      hubId,
      heard: hub !== undefined,
      ...(hub ? { channel: hub.channel, panId: hub.panId } : {}),
      lqi: signal.lqi,
      rssi: signal.rssi,
      verdict,
      basis,
      ...(note ? { note } : {}),
      adapter: survey.adapter,
    };
    await this.#options.recordPosition(jobId, record);
    return record;
  }

  positions(jobId: string): Promise<SurveyPosition[]> {
    return this.#options.positions(jobId);
  }

  links(): DeviceLink[] {
    this.followCoordinator();
    return this.#monitor.links(this.#options.coordinator()?.devices ?? [], this.#parents);
  }

  /** Probes each joined device once: one that does not answer is reported dropped until it is heard again. */
  async checkPresence(): Promise<DeviceLink[]> {
    const controller = this.#requireController();
    for (const device of this.#options.coordinator()?.devices ?? []) {
      if (device.state === 'whitelisted' || device.state === 'refused') continue;
      this.#monitor.noteProbe(device.eui64, await probeDevice(controller, device.eui64, this.#options.probeTimeoutMs ?? 5000));
    }
    return this.links();
  }

  /**
   * Training premises only: make a device's link worse over a minute, drop it (it rejoins after 30 s), or clear
   * the impairments, so a trainee sees what a failing link looks like here.
   */
  trainingImpair(eui64: string, action: 'worsen' | 'drop' | 'clear'): void {
    const radio = this.#options.trainingRadio?.();
    if (!radio) throw new AppError('NOT_TRAINING', 'Link impairments exist only on the training premises.');
    if (action === 'worsen') radio.worsenLink(eui64, { toLqi: 40, overMs: 60_000 });
    else if (action === 'drop') radio.dropDevice(eui64, { rejoinAfterMs: 30_000 });
    else radio.clearImpairments();
  }

  get training(): boolean {
    return this.#options.trainingRadio?.() !== undefined;
  }

  async tables(eui64: string): Promise<DeviceTables> {
    const controller = this.#requireController();
    const tables = await readTables(controller, eui64, this.#now);
    // The coordinator's table is its view of each neighbour's link: count those LQIs as samples.
    if (tables.nwkAddress === 0x0000) for (const row of tables.neighbours) this.#monitor.noteTableLqi(row.eui64, row.lqi);
    else for (const row of tables.neighbours) if (row.relationship === 'child') this.#parents.set(row.eui64, tables.eui64);
    return tables;
  }

  async networkMap(): Promise<NetworkMap> {
    const controller = this.#requireController();
    const map = await readNetworkMap(controller, this.#options.labels?.() ?? new Map(), this.#now);
    const coordinator = map.nodes.find((n) => n.role === 'coordinator');
    for (const link of map.links) {
      // A router's child sits behind that router (the map keeps each link once, from either side).
      const [parent, child] = link.relationship === 'child' ? [link.source, link.target] : link.relationship === 'parent' ? [link.target, link.source] : [];
      if (parent && child && parent !== coordinator?.id) this.#parents.set(child, parent);
      if (coordinator && (link.source === coordinator.id || link.target === coordinator.id))
        this.#monitor.noteTableLqi(link.source === coordinator.id ? link.target : link.source, link.lqi);
    }
    return map;
  }

  #requireController(): Controller {
    this.followCoordinator();
    const running = this.#options.coordinator();
    if (!running) throw new AppError('HAN_NOT_STARTED', "Start the job's HAN network first: link quality is read from our own coordinator.");
    return running.controller;
  }

  #running(): { path: string; controller: Controller } | undefined {
    const running = this.#options.coordinator();
    return running ? { path: running.path, controller: running.controller } : undefined;
  }

  #dongle(dongle: ScanDongle | undefined): ScanDongle {
    const target = dongle ?? this.#options.trainingDongle();
    if (!target) throw new AppError('NO_DONGLE', 'Choose a ZigBee dongle: none was given and the training premises is not running.');
    return target;
  }

  async #exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.#busy) throw new AppError('BUSY', 'A scan is already running; wait for it to finish.');
    this.#busy = true;
    try {
      return await work();
    } finally {
      this.#busy = false;
    }
  }

  #energyView(): EnergyView {
    const stats = channelStats(this.#scans);
    const latest = this.#scans[this.#scans.length - 1];
    const recommendation = recommendChannel(stats);
    return {
      scans: this.#scans.length,
      ...(latest ? { latest } : {}),
      stats,
      ...(recommendation ? { recommendation } : {}),
      wifi: ZIGBEE_CHANNELS.map((channel) => ({ channel, overlaps: wifiOverlap(channel) })),
    };
  }

  #surveyView(): SurveyView {
    return {
      networks: [...this.#networks.values()].sort((a, b) => a.channel - b.channel || (b.lqi ?? 0) - (a.lqi ?? 0)),
      ...(this.#lastSurvey ? { lastScanMs: this.#lastSurvey.atMs, lastHeard: this.#lastSurvey.heard.length } : {}),
    };
  }
}
