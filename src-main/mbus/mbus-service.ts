import type {
  HeardDroppedView,
  HeardMeterView,
  MbusMeterView,
  MbusReadView,
  MbusStatus,
  PrimaryScanView,
  ScanProgressView,
  SecondaryScanView,
  TelegramView,
} from '../../src-shared/ipc/channels/mbus';
import { AppError } from '../../src-shared/ipc/result';
import { createLink } from '../link/create-link';
import type { DeviceLink, LinkTarget } from '../link/device-link';
import type { SecretStore } from '../secrets/secret-store';
import type { Logger } from '../util/logger';
import { type MeterAddress, meterKey } from './common/meter-address';
import { MeterKeyFile } from './key-file';
import { type HeardMeter, WALK_BY_CAPACITY, WirelessReceiver } from './wireless/receiver';
import { AmberStick } from './wireless/sticks/amber';
import { probeStick } from './wireless/sticks/probe-stick';
import type { WmbusStick } from './wireless/sticks/stick';
import { decodeTelegram } from './decode';
import { parseHex } from './common/hex';
import { ADDRESS_SELECTED } from './wired/wired-frame';
import { type FoundSlave, MbusError, MbusMaster, type MbusMasterOptions } from './wired/master';
import { mbusLinkTarget } from './mbus-links';
import { idMask } from './wired/secondary-address';
import { telegramView } from './telegram-view';

export interface MbusServiceOptions {
  readonly wired?: { readonly target: LinkTarget; readonly training: boolean; readonly master?: MbusMasterOptions };
  readonly wireless?: { readonly target: LinkTarget; readonly training: boolean };
  readonly log: Logger;
  /** Meter keys are kept encrypted with this store (the OS keystore in the Electron app). */
  readonly secrets?: SecretStore;
  readonly dataDir?: string;
  readonly onProgress?: (progress: ScanProgressView) => void;
  readonly onHeard?: (meter: HeardMeterView) => void;
  readonly onHeardDropped?: (dropped: HeardDroppedView) => void;
  /** Walk-by list capacity (default WALK_BY_CAPACITY). */
  readonly walkByCapacity?: number;
}

function describe(target: LinkTarget): string {
  return target.kind === 'tcp' ? `tcp://${target.host}:${target.port}` : `${target.path} @ ${target.baudRate}`;
}

function meterView(slave: FoundSlave): MbusMeterView {
  const h = slave.header;
  return {
    id: h.id,
    manufacturer: h.manufacturer,
    version: h.version,
    medium: h.medium,
    deviceType: h.mediumCode,
    ...(slave.primary !== undefined ? { primary: slave.primary } : {}),
    secondary: slave.secondary,
  };
}

/**
 * The M-Bus screen's service: one wired master (gateway or level converter) and one wireless stick with its
 * walk-by receiver. One wired operation at a time, since the bus carries one exchange at a time.
 */
export class MbusService {
  readonly #options: MbusServiceOptions;
  #wired: MbusServiceOptions['wired'];
  #wireless: MbusServiceOptions['wireless'];
  readonly #log: Logger;
  readonly #keyFile: MeterKeyFile;
  readonly #receiver: WirelessReceiver;
  readonly #walkByCapacity: number;
  #wiredLink: DeviceLink | undefined;
  #master: MbusMaster | undefined;
  #scanning: 'primary' | 'secondary' | undefined;
  #busy = false;
  #abort: AbortController | undefined;
  #stick: WmbusStick | undefined;

  private constructor(options: MbusServiceOptions) {
    this.#options = options;
    this.#wired = options.wired;
    this.#wireless = options.wireless;
    this.#log = options.log;
    this.#keyFile = new MeterKeyFile({
      log: options.log,
      ...(options.secrets ? { secrets: options.secrets } : {}),
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    });
    const capacity = options.walkByCapacity ?? WALK_BY_CAPACITY;
    this.#receiver = new WirelessReceiver(this.#keyFile.keys.lookup, capacity);
    this.#receiver.onDropped((keys, dropped) => options.onHeardDropped?.({ keys, dropped, capacity }));
    this.#walkByCapacity = capacity;
  }

  static async start(options: MbusServiceOptions): Promise<MbusService> {
    const service = new MbusService(options);
    await service.#keyFile.load();
    if (options.wireless) {
      try {
        await service.#startWireless(options.wireless.target);
      } catch (error) {
        options.log.warn('wireless receiver not started', { error: error instanceof Error ? error.message : String(error) });
      }
    }
    return service;
  }

  status(): MbusStatus {
    const wired = this.#wired;
    const wireless = this.#wireless;
    return {
      ...(wired ? { wired: { target: describe(wired.target), training: wired.training } } : {}),
      ...(wireless && this.#stick ? { wireless: { target: describe(wireless.target), stick: this.#stick.model, training: wireless.training } } : {}),
      ...(this.#scanning ? { scanning: this.#scanning } : {}),
      ...(this.#receiver.dropped > 0 ? { walkBy: { capacity: this.#walkByCapacity, dropped: this.#receiver.dropped } } : {}),
    };
  }

  async #withMaster<T>(run: (master: MbusMaster) => Promise<T>): Promise<T> {
    const wired = this.#wired;
    if (!wired) throw new AppError('MBUS_NOT_CONFIGURED', 'No wired M-Bus master is configured: connect an M-Bus level converter or gateway.');
    if (this.#busy) throw new AppError('MBUS_BUSY', 'The wired bus is busy with another operation; wait for it or cancel the scan.');
    this.#busy = true;
    try {
      if (!this.#master || !this.#wiredLink?.isOpen) {
        this.#wiredLink = createLink(wired.target);
        await this.#wiredLink.open();
        this.#master = new MbusMaster(this.#wiredLink, { log: this.#log, ...wired.master });
      }
      return await run(this.#master);
    } catch (error) {
      if (error instanceof MbusError) throw new AppError('MBUS_NO_ANSWER', error.message);
      if (error instanceof AppError) throw error;
      if (error instanceof Error && error.name === 'AbortError') throw new AppError('MBUS_CANCELLED', 'Cancelled.');
      throw new AppError('MBUS_LINK', `M-Bus link: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.#busy = false;
    }
  }

  scanPrimary(args: { from: number; to: number }): Promise<PrimaryScanView> {
    return this.#withMaster(async (master) => {
      this.#scanning = 'primary';
      this.#abort = new AbortController();
      try {
        const report = await master.scanPrimary({
          from: args.from,
          to: args.to,
          signal: this.#abort.signal,
          onProgress: (p) => this.#options.onProgress?.({ kind: 'primary', done: p.done, total: p.total, found: p.found }),
        });
        return { meters: report.slaves.map(meterView), collisions: report.collisions, cancelled: report.cancelled };
      } finally {
        this.#scanning = undefined;
      }
    });
  }

  scanSecondary(): Promise<SecondaryScanView> {
    return this.#withMaster(async (master) => {
      this.#scanning = 'secondary';
      this.#abort = new AbortController();
      try {
        const report = await master.scanSecondary({
          signal: this.#abort.signal,
          onProgress: (p) => this.#options.onProgress?.({ kind: 'secondary', done: p.done, total: p.total, found: p.found }),
        });
        return { meters: report.slaves.map(meterView), unresolved: report.unresolved, probes: report.probes, cancelled: report.cancelled };
      } finally {
        this.#scanning = undefined;
      }
    });
  }

  cancelScan(): boolean {
    if (!this.#scanning || !this.#abort) return false;
    this.#abort.abort();
    return true;
  }

  read(args: { primary: number } | { secondary: string }): Promise<MbusReadView> {
    return this.#withMaster(async (master) => {
      let address: number;
      if ('secondary' in args) {
        const ack = await master.select(idMask(args.secondary.toUpperCase()));
        if (ack !== 'ack')
          throw new AppError('MBUS_NO_ANSWER', `No single meter answers secondary address ${args.secondary} (${ack === 'none' ? 'no answer' : 'collision'}).`);
        address = ADDRESS_SELECTED;
      } else {
        address = args.primary;
        const ping = await master.ping(address);
        if (ping === 'none') throw new AppError('MBUS_NO_ANSWER', `No meter answers at primary address ${address}.`);
      }
      const result = await master.read(address, { restart: address === ADDRESS_SELECTED });
      return { telegrams: result.telegrams.map((t, i) => telegramView(result.frames[i]!, t)) };
    });
  }

  setPrimary(args: { target: number | string; newAddress: number }): Promise<boolean> {
    return this.#withMaster(async (master) => {
      await master.setPrimaryAddress(typeof args.target === 'string' ? args.target.toUpperCase() : args.target, args.newAddress);
      return true;
    });
  }

  /** Points the wired master at another level converter (serial, 8E1) or gateway (tcp://host:port). */
  async connectWired(input: string, baudRate?: number): Promise<MbusStatus> {
    if (this.#busy) throw new AppError('MBUS_BUSY', 'The wired bus is busy; cancel the scan first.');
    let target: LinkTarget;
    try {
      target = mbusLinkTarget(input, 'mbus', baudRate);
    } catch (error) {
      throw new AppError('INVALID_ARGUMENT', error instanceof Error ? error.message : String(error));
    }
    await this.#wiredLink?.close().catch(() => undefined);
    this.#wiredLink = undefined;
    this.#master = undefined;
    this.#wired = { target, training: false, master: { ...(baudRate ? { baudRate } : {}) } };
    return this.status();
  }

  /** Switches the walk-by receiver to another stick: Amber (9600) or iM871A (57600) on serial, or over TCP. */
  async connectWireless(input: string): Promise<MbusStatus> {
    // One stick at a time: a second call (a double click) must not open another and leak the first.
    if (this.#connectingWireless) throw new AppError('BUSY', 'A wireless M-Bus stick is being connected; wait for it to finish.');
    this.#connectingWireless = true;
    try {
      return await this.#connectWireless(input);
    } finally {
      this.#connectingWireless = false;
    }
  }

  #connectingWireless = false;

  async #connectWireless(input: string): Promise<MbusStatus> {
    await this.#stick?.close().catch(() => undefined);
    this.#stick = undefined;
    const candidates: LinkTarget[] = [];
    try {
      const first = mbusLinkTarget(input, 'amber');
      candidates.push(first);
      if (first.kind === 'serial') candidates.push(mbusLinkTarget(input, 'imst'));
    } catch (error) {
      throw new AppError('INVALID_ARGUMENT', error instanceof Error ? error.message : String(error));
    }
    const failures: string[] = [];
    for (const target of candidates) {
      try {
        await this.#startWireless(target);
        this.#wireless = { target, training: false };
        return this.status();
      } catch (error) {
        failures.push(error instanceof Error ? error.message : String(error));
      }
    }
    throw new AppError('MBUS_NO_STICK', `No Amber or iM871A stick answers on ${input}: ${failures.join('; ')}`);
  }

  decode(hex: string, key?: string): TelegramView {
    const bytes = parseHex(hex);
    if (!bytes) throw new AppError('INVALID_ARGUMENT', 'The telegram must be an even number of hex digits.');
    const keyBytes = key ? parseHex(key) : undefined;
    const result = decodeTelegram(bytes, keyBytes ? () => keyBytes : this.#keyFile.keys.lookup, this.#receiver.formats);
    if (!result.ok) throw new AppError('MBUS_MALFORMED', `${result.error.reason} at byte offset ${result.error.offset}`);
    return telegramView(bytes, result.telegram);
  }

  // ---- wireless

  async #startWireless(target: LinkTarget): Promise<void> {
    const link = createLink(target);
    await link.open();
    const stick = await probeStick(link);
    if (!stick) {
      await link.close();
      throw new Error(`no wM-Bus stick answers on ${describe(target)}`);
    }
    if (stick instanceof AmberStick) await stick.initialise('T1');
    else await stick.setMode('T1');
    this.#stick = stick;
    stick.onTelegram((received) => {
      const meter = this.#receiver.accept(received);
      if (meter) this.#options.onHeard?.(this.#heardView(meter));
    });
    this.#log.info('wireless receiver started', { stick: stick.model, target: describe(target) });
  }

  #heardView(m: HeardMeter): HeardMeterView {
    const bytes = parseHex(m.lastTelegram)!;
    const decoded = decodeTelegram(bytes, this.#keyFile.keys.lookup, this.#receiver.formats);
    return {
      key: m.key,
      meter: { id: m.address.id, manufacturer: m.address.manufacturer, version: m.address.version, medium: m.medium, deviceType: m.address.deviceType },
      count: m.count,
      ...(m.rssiDbm !== undefined ? { rssiDbm: m.rssiDbm } : {}),
      lastSeen: new Date(m.lastSeen).toISOString(),
      encrypted: m.encrypted,
      decrypted: m.decrypted,
      hasKey: this.#keyFile.keys.has(m.address),
      ...(m.reason ? { reason: m.reason } : {}),
      lastTelegram: decoded.ok
        ? telegramView(bytes, decoded.telegram)
        : { hex: m.lastTelegram, kind: 'wireless', encrypted: m.encrypted, decrypted: false, records: [], breakdown: [] },
    };
  }

  heard(): HeardMeterView[] {
    return this.#receiver.meters().map((m) => this.#heardView(m));
  }

  /** Stores (or with `key: null` removes) a meter's key; the last telegram heard is decoded again with it. */
  async setKey(address: MeterAddress, key: string | null): Promise<HeardMeterView | null> {
    const normalised = { ...address, manufacturer: address.manufacturer.toUpperCase(), id: address.id.toUpperCase() };
    await this.#keyFile.set(normalised, key);
    const heard = this.#receiver.meters().find((m) => m.key === meterKey(normalised));
    if (!heard) return null;
    const again = this.#receiver.accept({
      bytes: parseHex(heard.lastTelegram)!,
      receivedAt: heard.lastSeen,
      ...(heard.rssiDbm !== undefined ? { rssiDbm: heard.rssiDbm } : {}),
    });
    return again ? this.#heardView(again) : null;
  }

  async close(): Promise<void> {
    this.#abort?.abort();
    await this.#stick?.close().catch(() => undefined);
    await this.#wiredLink?.close().catch(() => undefined);
  }
}
