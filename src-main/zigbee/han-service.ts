import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Controller, setLogger, type Models } from 'zigbee-herdsman';
import { claimPort } from '../link/port-claims';
import { writeFileAtomicSync } from '../store/atomic-file';
import { herdsmanFiles, preparePrivateFolder, sealPlainBackup } from './backup-files';
import { scrubSecrets } from '../util/redact';
import { AppError } from '../../src-shared/ipc/result';
import type { Logger } from '../util/logger';
import { ADAPTER_CAPABILITIES, unavailableReason, type HanAdapterType } from '../../src-shared/model/han-adapters';
import { DeviceLog, normaliseEui64, type DeviceLogAddResult, type DeviceLogEntry } from './device-log';
import type {
  HanDevice,
  HanDeviceState,
  HanDeviceType,
  HanEvent,
  HanJobState,
  HanNetworkStatus,
  HanServiceState,
  MeteringReading,
  PairingResult,
  TimelineEntry,
} from '../../src-shared/model/han';
import { formatSummation, seDeviceType, unitName } from './metering';
import { hexToBytes, randomNetworkParams, type HanNetworkParams } from './network-params';

/**
 * The HAN coordinator role: one job's ZigBee network run by zigbee-herdsman on a dongle (or the emulator), behind
 * this small interface so the rest of the app never sees herdsman types. It forms the network with the job's random
 * parameters, keeps the device log (whitelist) and refuses everything else at join, tracks each device's
 * join/interview timeline, reads meters with the SE profile, pairs IHDs, and survives the adapter going away.
 *
 * herdsman keeps process-wide static state (device cache, database, logger), so only one HanService may run per
 * process at a time; `start()` enforces that.
 *
 * herdsman's own waits that bound how fast this can go (zigbee-herdsman 11.1.1):
 * - fresh network: 3 s "NIB settle" wait after formation (adapter/z-stack/adapter/manager.js beginCommissioning);
 * - permit join is capped at 254 s, so longer windows are re-opened by us;
 * - interview: a failed genBasic modelId/manufacturerName read is retried after 10 s (controller/model/device.js);
 *   node descriptor is tried 6 times, each waiting up to 10 s for the response (z-stack waitress default);
 * - a failed node-descriptor SREQ triggers route discovery plus a 3 s wait (zStackAdapter.sendZdoInternal);
 * - ZNP SREQs are strictly serialised (one outstanding request; znp.js queue is a mutex).
 */

export const SE_PROFILE_ID = 0x0109;
const METERING_ATTRIBUTES = [
  'currentSummDelivered',
  'unitOfMeasure',
  'multiplier',
  'divisor',
  'summaFormatting',
  'meteringDeviceType',
  'instantaneousDemand',
  'status',
] as const;
const IHD_REPORTS_RECEIVED = 0xfff0;
const IHD_LAST_SOURCE = 0xfff2;
const PERMIT_JOIN_MAX_S = 254;
const JOIN_WINDOW_MAX_S = 3600;
const STATE_FILE = 'han-state.json';

export interface HanServiceOptions {
  /** Folder of the job: herdsman's database and coordinator backup and our han-state.json live here. */
  readonly jobDir: string;
  readonly adapter: HanAdapterType;
  /** Serial path (/dev/ttyUSB0, COM3) or tcp://host:port. */
  readonly path: string;
  /** The engineer's channel; otherwise an SE preferred channel is chosen at random for a new job. */
  readonly channel?: number;
  readonly log: Logger;
  /** Our interview watchdog (herdsman's own node-descriptor retries alone take a minute). */
  readonly interviewTimeoutMs?: number;
  readonly reconnectDelayMs?: number;
  /** Timeout for each ZCL request (herdsman's default is 10 s). */
  readonly requestTimeoutMs?: number;
  readonly now?: () => number;
  /**
   * Seals the secrets at rest (install codes, link keys, the network key, herdsman's coordinator backup) with the
   * app's secret store. Without it (tests, benchmarks) they are written in plain text.
   */
  readonly secrets?: { encrypt(plaintext: string): Promise<string>; decrypt(token: string): Promise<string> };
}

/** han-state.json: the job's HAN. With a secret store, `sealed` carries the network key and the device log. */
interface PersistedState {
  readonly version: 1;
  readonly network: Omit<HanNetworkParams, 'networkKey'> & { readonly networkKey?: string };
  readonly deviceLog?: readonly DeviceLogEntry[];
  readonly devices: readonly HanDevice[];
  readonly sealed?: string;
}

/** The token of the one HanService running in this process (herdsman's state is process-wide). */
let running: symbol | undefined;

const toHerdsman = (eui64: string): string => `0x${eui64.toLowerCase()}`;
const fromHerdsman = (ieee: string): string => ieee.replace(/^0x/, '').toUpperCase();
const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

interface DeviceRecord {
  eui64: string;
  state: HanDeviceState;
  type: HanDeviceType;
  nwkAddress?: number;
  lqi?: number;
  lastSeenMs?: number;
  reading?: MeteringReading;
  pairedWith?: string;
  timeline: TimelineEntry[];
}

export class HanService extends EventEmitter<{ event: [HanEvent] }> {
  readonly #options: HanServiceOptions;
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #network: HanNetworkParams;
  readonly #deviceLog: DeviceLog;
  readonly #devices = new Map<string, DeviceRecord>();
  #controller: Controller | undefined;
  #state: HanServiceState = 'stopped';
  #coordinatorIeee: string | undefined;
  #joinEndsAt = 0;
  #joinTimer: NodeJS.Timeout | undefined;
  #reconnectTimer: NodeJS.Timeout | undefined;
  readonly #watchdogs = new Map<string, NodeJS.Timeout>();
  #stopping = false;
  /** How the last start went: a new network, the same one resumed, or restored from the job's backup. */
  lastStart: 'formed' | 'resumed' | 'restored' | undefined;
  readonly #token = Symbol('han-service');
  #saving: Promise<void> = Promise.resolve();

  private constructor(options: HanServiceOptions, state: HanJobState | undefined) {
    super();
    this.#options = options;
    this.#log = options.log;
    this.#now = options.now ?? Date.now;
    this.#network = state?.network ?? randomNetworkParams(options.channel);
    this.#deviceLog = new DeviceLog(state?.deviceLog ?? []);
    for (const device of state?.devices ?? []) this.#devices.set(device.eui64, { ...device, timeline: [...device.timeline] });
  }

  /** Opens a job's HAN: loads han-state.json from the job folder, or creates fresh network parameters. */
  static async open(options: HanServiceOptions): Promise<HanService> {
    mkdirSync(options.jobDir, { recursive: true });
    const file = join(options.jobDir, STATE_FILE);
    let state: HanJobState | undefined;
    if (existsSync(file)) {
      let persisted: PersistedState;
      try {
        persisted = JSON.parse(readFileSync(file, 'utf8')) as PersistedState;
        if (persisted.version !== 1 || !persisted.network || !Array.isArray(persisted.devices)) throw new Error('unexpected content');
      } catch (error) {
        // Never silently form a new network over a job's damaged state: its devices would be lost.
        throw new AppError('HAN_STATE_DAMAGED', `The job's HAN state (${file}) cannot be read (${errorText(error)}); restore it from a backup.`);
      }
      state = await unseal(persisted, options.secrets, file);
    }
    const service = new HanService(options, state);
    service.#save();
    await service.#flush();
    return service;
  }

  get network(): HanNetworkParams {
    return this.#network;
  }

  /**
   * Paths of herdsman's files in the job folder (the backup is what resumes the network on another dongle). The
   * plain backup holds the network key, so herdsman writes and reads it only inside a private (0700) folder,
   * and it is sealed into `sealedBackup` and removed after each of herdsman's writes.
   */
  get files(): { database: string; backup: string; sealedBackup: string; state: string } {
    return herdsmanFiles(this.#options.jobDir);
  }

  // ---- lifecycle ---------------------------------------------------------------------------------------------

  /** Starts the coordinator: forms the network on a new dongle, resumes it on the same one, restores it from backup. */
  #releasePort: (() => void) | undefined;

  async start(): Promise<'formed' | 'resumed' | 'restored'> {
    if (running && running !== this.#token) throw new AppError('BUSY', 'Another HAN network is already running in this app; stop it first.');
    running = this.#token;
    this.#stopping = false;
    // herdsman opens the port itself: claim it so discovery shows it in use and probes leave it alone.
    this.#releasePort ??= claimPort(this.#options.path);
    setLogger(herdsmanLogger(this.#log.child('herdsman')));
    this.#setState('starting');
    try {
      const result = await this.#startController();
      this.lastStart = result;
      this.#emit({ type: 'adapter', state: 'started' });
      // A join or interview the app's last run was cut off in (a crash, a kill) is finished now, as after a reconnect.
      if (result !== 'formed') this.#resumeInterrupted();
      return result;
    } catch (error) {
      this.#setState('stopped');
      if (running === this.#token) running = undefined;
      this.#releasePort?.();
      this.#releasePort = undefined;
      throw new AppError('ADAPTER_START_FAILED', `The ZigBee adapter did not start: ${errorText(error)}`);
    }
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.#reconnectTimer) clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    if (this.#joinTimer) clearTimeout(this.#joinTimer);
    this.#joinTimer = undefined;
    this.#joinEndsAt = 0;
    for (const timer of this.#watchdogs.values()) clearTimeout(timer);
    this.#watchdogs.clear();
    const controller = this.#controller;
    this.#controller = undefined;
    if (controller) await stopQuietly(controller);
    this.#setState('stopped');
    this.#save();
    await this.#flush();
    await this.#sealBackup();
    if (running === this.#token) running = undefined;
    this.#releasePort?.();
    this.#releasePort = undefined;
    this.#emit({ type: 'adapter', state: 'stopped' });
  }

  async #startController(): Promise<'formed' | 'resumed' | 'restored'> {
    const files = this.files;
    const controller = new Controller({
      network: {
        panID: this.#network.panId,
        extendedPanID: hexToBytes(this.#network.extendedPanId),
        channelList: [this.#network.channel],
        networkKey: hexToBytes(this.#network.networkKey),
        networkKeyDistribute: false,
      },
      transport: { path: this.#options.path, adapter: this.#options.adapter },
      databasePath: files.database,
      databaseBackupPath: `${files.database}.bak`,
      backupPath: files.backup,
      adapter: { disableLED: false },
      acceptJoiningDeviceHandler: (ieee) => Promise.resolve(this.#acceptJoining(fromHerdsman(ieee))),
    });
    this.#wire(controller);
    this.#sealEveryBackup(controller);
    this.#controller = controller;
    let result: 'reset' | 'resumed' | 'restored';
    try {
      await this.#unsealBackup();
      result = await controller.start();
    } catch (error) {
      this.#controller = undefined;
      await stopQuietly(controller);
      await this.#sealBackup();
      throw error;
    }
    await this.#sealBackup();
    if (this.#stopping || this.#controller !== controller) {
      // stop() came while this (re)connection was starting: do not leave a network running behind it.
      await stopQuietly(controller);
      throw new AppError('STOPPED', 'The HAN network was stopped while the adapter was starting.');
    }
    this.#coordinatorIeee = fromHerdsman(controller.getDevicesByType('Coordinator')[0]?.ieeeAddr ?? '');
    // Install codes live in the coordinator; (re-)adding them makes a resumed or moved network whole again.
    if (ADAPTER_CAPABILITIES[this.#options.adapter].installCodes !== 'no') {
      for (const entry of this.#deviceLog.list()) await this.#addInstallCode(controller, entry);
    }
    this.#refreshFromDatabase(controller);
    this.#setState('running');
    return result === 'reset' ? 'formed' : result;
  }

  #wire(controller: Controller): void {
    // Events of a controller that lost its adapter (late interview failures) must not touch the job.
    const current = (): boolean => this.#controller === controller;
    controller.on('adapterDisconnected', () => this.#onAdapterLost(controller));
    controller.on('deviceJoined', ({ device }) => current() && this.#onJoined(device));
    controller.on('deviceInterview', ({ status, device }) => current() && this.#onInterview(status, device));
    controller.on('deviceLeave', ({ ieeeAddr }) => current() && this.#transition(fromHerdsman(ieeeAddr), 'left'));
    controller.on('lastSeenChanged', ({ device }) => {
      const record = current() ? this.#devices.get(fromHerdsman(device.ieeeAddr)) : undefined;
      if (!record) return;
      record.lastSeenMs = device.lastSeen;
      if (device.linkquality !== undefined) record.lqi = device.linkquality;
    });
    controller.on('message', ({ device, linkquality }) => {
      const record = this.#devices.get(fromHerdsman(device.ieeeAddr));
      if (record) record.lqi = linkquality;
    });
  }

  #onAdapterLost(controller: Controller): void {
    if (this.#controller !== controller || this.#stopping) return;
    this.#log.warn('ZigBee adapter lost; reconnecting', { path: this.#options.path });
    this.#controller = undefined;
    this.#setState('adapter-lost');
    this.#emit({ type: 'adapter', state: 'lost', message: 'The ZigBee adapter stopped answering; reconnecting.' });
    for (const timer of this.#watchdogs.values()) clearTimeout(timer);
    this.#watchdogs.clear();
    if (this.#joinTimer) clearTimeout(this.#joinTimer);
    this.#joinTimer = undefined;
    void stopQuietly(controller).then(() => this.#scheduleReconnect());
  }

  #scheduleReconnect(): void {
    if (this.#stopping) return;
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      this.#startController()
        .then(async () => {
          this.#emit({ type: 'adapter', state: 'reconnected' });
          this.#resumeInterrupted();
          const remaining = Math.ceil((this.#joinEndsAt - this.#now()) / 1000);
          if (remaining > 0) await this.openJoinWindow(remaining);
        })
        .catch((error: unknown) => {
          this.#log.debug('reconnect failed', { error: errorText(error) });
          this.#scheduleReconnect();
        });
    }, this.#options.reconnectDelayMs ?? 2000);
  }

  /**
   * Devices whose join or interview the adapter loss (or the app's end) cut short, or that failed meanwhile, are
   * interviewed again on the new connection.
   */
  #resumeInterrupted(): void {
    const controller = this.#controller;
    if (!controller) return;
    for (const record of this.#devices.values()) {
      if (record.state !== 'joined' && record.state !== 'interviewing' && record.state !== 'failed') continue;
      const device = controller.getDeviceByIeeeAddr(toHerdsman(record.eui64));
      if (!device) continue;
      this.#onInterview('started', device);
      device.interview().then(
        () => this.#controller === controller && this.#onInterview('successful', device),
        () => this.#controller === controller && this.#onInterview('failed', device),
      );
    }
  }

  // ---- device log ------------------------------------------------------------------------------------------

  deviceLog(): DeviceLogEntry[] {
    return this.#deviceLog.list();
  }

  /** Adds a device to the job's device log; while running, its install code goes to the coordinator at once. */
  async addDevice(codeOrLabel: string, eui64?: string): Promise<DeviceLogAddResult> {
    const result = this.#deviceLog.add(codeOrLabel, eui64);
    if (!result.ok) return result;
    const reason = unavailableReason(this.#options.adapter, 'installCodes');
    if (reason) throw new AppError('UNSUPPORTED', reason);
    if (this.#controller) await this.#addInstallCode(this.#controller, result.entry);
    const record = this.#record(result.entry.eui64);
    if (record.state === 'refused' || record.timeline.length === 0) this.#transition(result.entry.eui64, 'whitelisted');
    this.#save();
    return result;
  }

  removeDevice(eui64: string): boolean {
    const removed = this.#deviceLog.remove(eui64);
    this.#save();
    return removed;
  }

  async #addInstallCode(controller: Controller, entry: DeviceLogEntry): Promise<void> {
    // Our parser has already checked the CRC, so herdsman never "repairs" it.
    await controller.addInstallCode(`Z:${entry.eui64}$I:${entry.installCode}${entry.crc}`);
  }

  #acceptJoining(eui64: string): boolean {
    if (this.#deviceLog.has(eui64)) return true;
    this.#log.info('join refused: not on the device log', { eui64 });
    this.#transition(eui64, 'refused', 'not on the device log');
    return false;
  }

  // ---- join window -------------------------------------------------------------------------------------------

  /** Opens joining for up to an hour, re-opening herdsman's ≤254 s permits until the window ends. */
  async openJoinWindow(seconds: number): Promise<{ endsAtMs: number }> {
    const controller = this.#requireController();
    const duration = Math.max(1, Math.min(JOIN_WINDOW_MAX_S, Math.floor(seconds)));
    this.#joinEndsAt = this.#now() + duration * 1000;
    if (this.#joinTimer) clearTimeout(this.#joinTimer);
    await this.#permit(controller);
    this.#emit({ type: 'join-window', open: true, endsAtMs: this.#joinEndsAt });
    return { endsAtMs: this.#joinEndsAt };
  }

  async closeJoinWindow(): Promise<void> {
    this.#joinEndsAt = 0;
    if (this.#joinTimer) clearTimeout(this.#joinTimer);
    this.#joinTimer = undefined;
    if (this.#controller) await this.#controller.permitJoin(0);
    this.#emit({ type: 'join-window', open: false });
  }

  async #permit(controller: Controller): Promise<void> {
    const remaining = Math.ceil((this.#joinEndsAt - this.#now()) / 1000);
    if (remaining <= 0) {
      this.#joinTimer = undefined;
      this.#emit({ type: 'join-window', open: false });
      return;
    }
    const slice = Math.min(PERMIT_JOIN_MAX_S, remaining);
    await controller.permitJoin(slice);
    // Re-open a little before herdsman's permit lapses so joining never pauses.
    const next = slice < remaining ? (slice - 4) * 1000 : slice * 1000;
    this.#joinTimer = setTimeout(() => {
      if (this.#controller !== controller) return;
      this.#permit(controller).catch((error: unknown) => this.#log.warn('re-opening joining failed', { error: errorText(error) }));
    }, next);
  }

  // ---- status ------------------------------------------------------------------------------------------------

  status(): HanNetworkStatus {
    const remainingS = Math.max(0, Math.ceil((this.#joinEndsAt - this.#now()) / 1000));
    return {
      state: this.#state,
      adapter: this.#options.adapter,
      path: this.#options.path,
      capabilities: ADAPTER_CAPABILITIES[this.#options.adapter],
      panId: this.#network.panId,
      extendedPanId: this.#network.extendedPanId,
      channel: this.#network.channel,
      ...(this.#coordinatorIeee ? { coordinatorIeee: this.#coordinatorIeee } : {}),
      joinWindow: remainingS > 0 ? { open: true, endsAtMs: this.#joinEndsAt, remainingS } : { open: false, remainingS: 0 },
    };
  }

  devices(): HanDevice[] {
    return [...this.#devices.values()].map((d) => ({ ...d, timeline: [...d.timeline] }));
  }

  device(eui64: string): HanDevice | undefined {
    const key = normaliseEui64(eui64);
    const record = key ? this.#devices.get(key) : undefined;
    return record ? { ...record, timeline: [...record.timeline] } : undefined;
  }

  /** Writes herdsman's coordinator backup now and returns it (zigpy open-coordinator-backup JSON). */
  async backup(): Promise<unknown> {
    const controller = this.#requireController();
    await controller.backup();
    const secrets = this.#options.secrets;
    const text = secrets ? await secrets.decrypt(readFileSync(this.files.sealedBackup, 'utf8')) : readFileSync(this.files.backup, 'utf8');
    return JSON.parse(text) as unknown;
  }

  /**
   * herdsman writes its backup at start, at stop and daily while the network runs, each through its public
   * `backup()`: wrapping that method on our controller seals each write at once, so no plain copy outlives it.
   */
  #sealEveryBackup(controller: Controller): void {
    const write = controller.backup.bind(controller);
    controller.backup = async () => {
      try {
        await write();
      } finally {
        await this.#sealBackup();
      }
    };
  }

  // ---- join and interview timeline -------------------------------------------------------------------------

  #onJoined(device: Models.Device): void {
    const eui64 = fromHerdsman(device.ieeeAddr);
    const record = this.#record(eui64);
    record.nwkAddress = device.networkAddress;
    this.#transition(eui64, 'joined');
  }

  #onInterview(status: 'started' | 'successful' | 'failed', device: Models.Device): void {
    const eui64 = fromHerdsman(device.ieeeAddr);
    if (status === 'started') {
      this.#transition(eui64, 'interviewing');
      const timeout = this.#options.interviewTimeoutMs ?? 90_000;
      this.#clearWatchdog(eui64);
      this.#watchdogs.set(
        eui64,
        setTimeout(() => {
          this.#watchdogs.delete(eui64);
          if (this.#devices.get(eui64)?.state === 'interviewing') this.#transition(eui64, 'failed', `timeout: ${interviewStage(device)}`);
        }, timeout),
      );
      return;
    }
    this.#clearWatchdog(eui64);
    if (status === 'failed') {
      this.#transition(eui64, 'failed', interviewStage(device));
      return;
    }
    void this.#recognise(device).then((type) => {
      const record = this.#record(eui64);
      record.type = type;
      record.nwkAddress = device.networkAddress;
      this.#transition(eui64, 'ready');
    });
  }

  #clearWatchdog(eui64: string): void {
    const timer = this.#watchdogs.get(eui64);
    if (timer) clearTimeout(timer);
    this.#watchdogs.delete(eui64);
  }

  /** Device type from the SE device id; meters are told apart by MeteringDeviceType (0 electric, 1 gas). */
  async #recognise(device: Models.Device): Promise<HanDeviceType> {
    const endpoint = device.endpoints.find((e) => e.profileID === SE_PROFILE_ID);
    const type = seDeviceType(endpoint?.profileID, endpoint?.deviceID);
    if (type !== 'Metering' || !endpoint) return type;
    try {
      const result = await endpoint.read('seMetering', ['meteringDeviceType'], this.#seOptions());
      const kind = Number(result.meteringDeviceType);
      return kind === 0 || kind === 127 ? 'ESME' : kind === 1 || kind === 128 ? 'GSME' : 'Metering';
    } catch {
      return 'Metering';
    }
  }

  // ---- SE reads ----------------------------------------------------------------------------------------------

  #seOptions(): { profileId: number; timeout?: number } {
    const reason = unavailableReason(this.#options.adapter, 'seProfile');
    if (reason) throw new AppError('UNSUPPORTED', reason);
    return { profileId: SE_PROFILE_ID, ...(this.#options.requestTimeoutMs ? { timeout: this.#options.requestTimeoutMs } : {}) };
  }

  /** Reads the meter's Metering cluster with the SE profile and scales the summation; errors are kept per attribute. */
  async readMetering(eui64: string): Promise<MeteringReading> {
    const endpoint = this.#seEndpoint(eui64);
    const options = this.#seOptions();
    const attributes: Record<string, { ok: true; value: number } | { ok: false; error: string }> = {};
    try {
      const all = await endpoint.read('seMetering', [...METERING_ATTRIBUTES], options);
      for (const name of METERING_ATTRIBUTES) attributes[name] = { ok: true, value: Number(all[name]) };
    } catch (error) {
      // One unsupported attribute fails the whole read: read each on its own so the engineer sees which.
      if (isTimeout(error)) {
        for (const name of METERING_ATTRIBUTES) attributes[name] = { ok: false, error: 'timeout' };
      } else {
        for (const name of METERING_ATTRIBUTES) {
          try {
            const one = await endpoint.read('seMetering', [name], options);
            attributes[name] = { ok: true, value: Number(one[name]) };
          } catch (inner) {
            attributes[name] = { ok: false, error: describeZclError(inner) };
          }
        }
      }
    }
    const value = (name: (typeof METERING_ATTRIBUTES)[number], fallback: number): number => {
      const a = attributes[name];
      return a && a.ok ? a.value : fallback;
    };
    const summation = attributes.currentSummDelivered;
    if (!summation || !summation.ok)
      throw new AppError('READ_FAILED', `CurrentSummationDelivered could not be read: ${summation && !summation.ok ? summation.error : 'no answer'}.`);
    const multiplier = value('multiplier', 1);
    const divisor = value('divisor', 1);
    const formatting = value('summaFormatting', 0);
    const scaled = formatSummation(summation.value, multiplier, divisor, formatting);
    const reading: MeteringReading = {
      atMs: this.#now(),
      value: scaled.value,
      text: scaled.text,
      unit: unitName(value('unitOfMeasure', 0)),
      raw: summation.value,
      multiplier,
      divisor,
      formatting,
      attributes,
    };
    const record = this.#record(normaliseEui64(eui64)!);
    record.reading = reading;
    this.#save();
    this.#emit({ type: 'reading', eui64: record.eui64, reading });
    return reading;
  }

  // ---- IHD pairing -----------------------------------------------------------------------------------------

  /**
   * Pairs an IHD with a meter: binds the meter's Metering cluster to the IHD, configures reporting of
   * CurrentSummationDelivered, then proves it by reading back the meter's binding table and waiting until the IHD's
   * own confirmation attribute shows a report from that meter.
   */
  async pairIhd(meterEui: string, ihdEui: string, options: { confirmTimeoutMs?: number; pollMs?: number } = {}): Promise<PairingResult> {
    const meter = this.#seEndpoint(meterEui);
    const ihd = this.#seEndpoint(ihdEui);
    const se = this.#seOptions();
    const meterKey = normaliseEui64(meterEui)!;
    const ihdKey = normaliseEui64(ihdEui)!;
    const result = {
      meter: meterKey,
      ihd: ihdKey,
      bound: false,
      reportingConfigured: false,
      bindingConfirmed: false,
      ihdConfirmed: false,
      ihdReportsReceived: 0,
    };
    // The proof is a report counted after binding: without a baseline, an old count could pass for a new one.
    let before: number;
    try {
      before = await this.#ihdReports(ihd, se).catch(() => this.#ihdReports(ihd, se));
    } catch (error) {
      return { ...result, error: `could not read the IHD's report counter before pairing: ${errorText(error)}` };
    }
    try {
      await meter.bind('seMetering', ihd);
      result.bound = true;
      await meter.configureReporting(
        'seMetering',
        [{ attribute: 'currentSummDelivered', minimumReportInterval: 1, maximumReportInterval: 1800, reportableChange: 1 }],
        se,
      );
      result.reportingConfigured = true;
      const table = await this.#requireDevice(meterEui).bindingTable();
      result.bindingConfirmed = table.some((b) => b.clusterId === 0x0702 && typeof b.dest === 'string' && fromHerdsman(b.dest) === ihdKey);
      const deadline = this.#now() + (options.confirmTimeoutMs ?? 30_000);
      for (;;) {
        const received = await this.#ihdReports(ihd, se);
        result.ihdReportsReceived = received;
        if (received > before) {
          const source = await ihd.read('genBasic', [IHD_LAST_SOURCE], se);
          result.ihdConfirmed =
            String(Object.values(source)[0] ?? '')
              .toUpperCase()
              .replace(/^0X/, '') === meterKey;
          break;
        }
        if (this.#now() >= deadline) break;
        await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 250));
      }
    } catch (error) {
      return { ...result, error: errorText(error) };
    }
    if (result.bindingConfirmed && result.ihdConfirmed) {
      this.#record(ihdKey).pairedWith = meterKey;
      this.#save();
    }
    return result;
  }

  async unpairIhd(meterEui: string, ihdEui: string): Promise<void> {
    const meter = this.#seEndpoint(meterEui);
    const ihd = this.#seEndpoint(ihdEui);
    await meter.unbind('seMetering', ihd);
    const record = this.#record(normaliseEui64(ihdEui)!);
    delete record.pairedWith;
    this.#save();
  }

  async #ihdReports(ihd: Models.Endpoint, se: { profileId: number }): Promise<number> {
    const result = await ihd.read('genBasic', [IHD_REPORTS_RECEIVED], se);
    return Number(Object.values(result)[0] ?? 0);
  }

  /** The coordinator's neighbour table: LQI per device, stored on the device records. */
  async neighbours(): Promise<{ eui64: string; nwkAddress: number; lqi: number; relationship: number }[]> {
    const coordinator = this.#requireController().getDevicesByType('Coordinator')[0];
    if (!coordinator) throw new AppError('ADAPTER_LOST', 'The coordinator is not known yet.');
    const table = await coordinator.lqi();
    const rows = table.map((n) => ({ eui64: fromHerdsman(n.eui64), nwkAddress: n.nwkAddress, lqi: n.lqi, relationship: n.relationship }));
    for (const row of rows) {
      const record = this.#devices.get(row.eui64);
      if (record) record.lqi = row.lqi;
    }
    return rows;
  }

  /** The running herdsman controller, for diagnostics (energy scan, neighbour and routing tables, traffic counts). */
  get runningController(): Controller | undefined {
    return this.#state === 'running' ? this.#controller : undefined;
  }

  // ---- internals ---------------------------------------------------------------------------------------------

  #requireController(): Controller {
    if (!this.#controller || this.#state !== 'running') throw new AppError('ADAPTER_LOST', 'The ZigBee adapter is not connected.');
    return this.#controller;
  }

  #requireDevice(eui64: string): Models.Device {
    const controller = this.#requireController();
    const key = normaliseEui64(eui64);
    const device = key ? controller.getDeviceByIeeeAddr(toHerdsman(key)) : undefined;
    if (!device) throw new AppError('NOT_FOUND', `Device ${eui64} has not joined this network.`);
    return device;
  }

  #seEndpoint(eui64: string): Models.Endpoint {
    const device = this.#requireDevice(eui64);
    const endpoint = device.endpoints.find((e) => e.profileID === SE_PROFILE_ID);
    if (!endpoint) throw new AppError('NOT_SE', `Device ${eui64} has no Smart Energy endpoint (profile 0x0109).`);
    return endpoint;
  }

  #refreshFromDatabase(controller: Controller): void {
    for (const device of controller.getDevicesIterator((d) => d.type !== 'Coordinator')) {
      const record = this.#devices.get(fromHerdsman(device.ieeeAddr));
      if (record) record.nwkAddress = device.networkAddress;
    }
  }

  #record(eui64: string): DeviceRecord {
    let record = this.#devices.get(eui64);
    if (!record) {
      record = { eui64, state: 'whitelisted', type: 'Unknown', timeline: [] };
      this.#devices.set(eui64, record);
    }
    return record;
  }

  #transition(eui64: string, state: HanDeviceState, reason?: string): void {
    const record = this.#record(eui64);
    const entry: TimelineEntry = { atMs: this.#now(), state, ...(reason ? { reason } : {}) };
    record.state = state;
    record.timeline.push(entry);
    this.#save();
    this.#emit({ type: 'device', eui64, entry });
  }

  #setState(state: HanServiceState): void {
    this.#state = state;
  }

  #emit(event: HanEvent): void {
    this.emit('event', event);
  }

  /** Queues a write of han-state.json; writes happen in order, sealing the secrets when a secret store is given. */
  #save(): void {
    const state: HanJobState = { version: 1, network: this.#network, deviceLog: this.#deviceLog.list(), devices: this.devices() };
    const file = this.files.state;
    const secrets = this.#options.secrets;
    this.#saving = this.#saving
      .then(async () => {
        let persisted: PersistedState = state;
        if (secrets) {
          const { networkKey, ...network } = state.network;
          persisted = {
            version: 1,
            network,
            devices: state.devices,
            sealed: await secrets.encrypt(JSON.stringify({ networkKey, deviceLog: state.deviceLog })),
          };
        }
        // Durable and private: the state names the network and, without a secret store, holds its key.
        writeFileAtomicSync(file, JSON.stringify(persisted, null, 2));
      })
      .catch((error: unknown) => this.#log.error('could not save the HAN state', { error: errorText(error) }));
  }

  #flush(): Promise<void> {
    return this.#saving;
  }

  /** herdsman reads its coordinator backup in plain text during start: unseal it, in the private folder, just for that. */
  async #unsealBackup(): Promise<void> {
    const secrets = this.#options.secrets;
    const { backup, sealedBackup } = this.files;
    preparePrivateFolder(backup);
    if (!secrets || !existsSync(sealedBackup)) return;
    writeFileAtomicSync(backup, await secrets.decrypt(readFileSync(sealedBackup, 'utf8')));
  }

  /** Seals herdsman's coordinator backup (it holds the network key) and removes the plain-text file. */
  async #sealBackup(): Promise<void> {
    const secrets = this.#options.secrets;
    if (secrets) await sealPlainBackup(this.#options.jobDir, secrets);
  }
}

async function unseal(persisted: PersistedState, secrets: HanServiceOptions['secrets'], file: string): Promise<HanJobState> {
  if (persisted.sealed === undefined) {
    if (!persisted.network.networkKey || !Array.isArray(persisted.deviceLog))
      throw new AppError('HAN_STATE_DAMAGED', `The job's HAN state (${file}) has no network key.`);
    return {
      version: 1,
      network: { ...persisted.network, networkKey: persisted.network.networkKey },
      deviceLog: persisted.deviceLog,
      devices: persisted.devices,
    };
  }
  if (!secrets) throw new AppError('HAN_STATE_SEALED', `The job's HAN state (${file}) is sealed and no secret store is available.`);
  const inner = JSON.parse(await secrets.decrypt(persisted.sealed)) as { networkKey: string; deviceLog: DeviceLogEntry[] };
  return { version: 1, network: { ...persisted.network, networkKey: inner.networkKey }, deviceLog: inner.deviceLog, devices: persisted.devices };
}

function interviewStage(device: Models.Device): string {
  if (device.type === 'Unknown' || device.manufacturerID === undefined) return 'no node descriptor';
  if (device.endpoints.length === 0) return 'no active endpoints';
  if (device.endpoints.some((e) => e.profileID === undefined)) return 'no simple descriptor';
  return 'interview failed';
}

/** herdsman's messages quote the request options (`"timeout":5000`), so match on the message without them. */
function withoutOptions(error: unknown): string {
  return errorText(error).replace(/\{[^}]*\}/g, '');
}

function isTimeout(error: unknown): boolean {
  return /timeout|timed out/i.test(withoutOptions(error));
}

function describeZclError(error: unknown): string {
  const text = withoutOptions(error);
  if (/UNSUPPORTED_ATTRIBUTE/i.test(text)) return 'unsupported attribute';
  if (/UNSUPPORTED_CLUSTER|UNSUP_CLUSTER/i.test(text)) return 'unsupported cluster (wrong profile?)';
  if (/timeout|timed out/i.test(text)) return 'timeout';
  return text;
}

async function stopQuietly(controller: Controller): Promise<void> {
  try {
    await controller.stop();
  } catch {
    // A controller that never started, or lost its adapter, may fail to stop cleanly; nothing more to release.
  }
}

/**
 * herdsman logs free text, which redaction by field name cannot see into: its debug output carries whole MT
 * frames (install codes, NV writes of the network key), so it is dropped, and other levels are scrubbed of
 * key-length hex runs and byte arrays.
 */
export function herdsmanLogger(log: Logger): Parameters<typeof setLogger>[0] {
  const text = (m: string | (() => string) | Error): string => scrubSecrets(m instanceof Error ? m.message : typeof m === 'function' ? m() : m);
  return {
    debug: () => undefined,
    info: (m, ns) => log.info(text(m), { ns }),
    warning: (m, ns) => log.warn(text(m), { ns }),
    error: (m, ns) => log.error(text(m), { ns }),
  };
}
