import { EventEmitter } from 'node:events';
import { rfRandom, type NearbyNetwork, type RfEnvironment } from '../../premises/rf-environment';

/**
 * The radio world around the emulated coordinator: what an energy scan measures, which beacons an active scan
 * hears, and the link quality of each virtual device. The static part comes from the premises' RfEnvironment and
 * is always on. Dynamic impairments are OFF until a test (or the Settings screen) turns them on, so benchmarks
 * and tests stay deterministic.
 *
 * Impairment API (reach it as `emulator.radio`, or `premises.emulators.get('zigbee').details.radio`):
 *   radio.worsenLink(eui64, { toLqi, overMs })  the device's link LQI falls linearly to `toLqi` over `overMs`
 *   radio.dropDevice(eui64, { rejoinAfterMs })   the device goes silent (no MAC ACK, no reports) and after
 *                                                 `rejoinAfterMs` rejoins: TC device ind + device announce
 *   radio.addNoise(channels, energy)              extra energy (0–255) on those channels, e.g. a microwave oven
 *   radio.clearImpairments()                      back to the static environment (a dropped device stays dropped
 *                                                 until its rejoin timer fires)
 *   radio.impairments                              what is switched on now (for a Settings view)
 * Each change is also emitted as 'change' so a UI can follow it.
 */

export interface LinkImpairment {
  readonly fromLqi: number;
  readonly toLqi: number;
  readonly startMs: number;
  readonly overMs: number;
}

export interface Impairments {
  readonly links: ReadonlyMap<string, LinkImpairment>;
  readonly noise: ReadonlyMap<number, number>;
  readonly dropped: ReadonlySet<string>;
}

/** A beacon as Z-Stack's MT_ZdoBeaconIndCB packs it (21 bytes). */
export interface Beacon {
  readonly sourceAddr: number;
  readonly panId: number;
  readonly channel: number;
  readonly permitJoin: boolean;
  readonly routerCapacity: boolean;
  readonly deviceCapacity: boolean;
  readonly protocolVersion: number;
  readonly stackProfile: number;
  readonly lqi: number;
  readonly depth: number;
  readonly updateId: number;
  /** Extended PAN ID, 16 hex digits most significant first. */
  readonly extendedPanId: string;
}

/** Our own network, as far as its beacons and energy are concerned. */
export interface OwnNetwork {
  readonly channel: number;
  readonly panId: number;
  readonly extendedPanId: string;
  readonly permitJoin: boolean;
  readonly updateId: number;
  /** Routers of our network that answer beacon requests. */
  readonly routers: readonly { nwkAddress: number; lqi: number; depth: number }[];
}

export type RadioEvents = { change: [Impairments]; drop: [string]; rejoin: [string] };

export class RadioWorld extends EventEmitter<RadioEvents> {
  readonly environment: RfEnvironment;
  readonly #now: () => number;
  readonly #jitter: () => number;
  readonly #links = new Map<string, LinkImpairment>();
  readonly #noise = new Map<number, number>();
  readonly #dropped = new Set<string>();
  readonly #timers = new Set<NodeJS.Timeout>();
  /** The static LQI of each device's link, set when the device is placed. */
  readonly #baseLqi = new Map<string, number>();

  constructor(environment: RfEnvironment, options: { seed?: number; now?: () => number } = {}) {
    super();
    this.environment = environment;
    this.#now = options.now ?? Date.now;
    // Scan-to-scan variation from its own seeded stream: repeated scans differ, but the same run gives the same values.
    const random = rfRandom((options.seed ?? 1) + 0x5ca7);
    this.#jitter = () => Math.floor(random() * 11) - 5;
  }

  place(eui64: string, lqi: number): void {
    this.#baseLqi.set(eui64.toUpperCase(), lqi);
  }

  /** LQI of the device's link to its parent now: the static value, lowered by a worsening link if one is on. */
  linkLqi(eui64: string): number {
    const key = eui64.toUpperCase();
    const base = this.#baseLqi.get(key) ?? 200;
    const worsening = this.#links.get(key);
    if (!worsening) return base;
    const progress = worsening.overMs <= 0 ? 1 : Math.min(1, Math.max(0, (this.#now() - worsening.startMs) / worsening.overMs));
    return Math.round(worsening.fromLqi + (worsening.toLqi - worsening.fromLqi) * progress);
  }

  /** A dropped device hears nothing and is heard by no one until it rejoins. */
  isDropped(eui64: string): boolean {
    return this.#dropped.has(eui64.toUpperCase());
  }

  /** Energy (0–255) measured on a channel by one energy-detect scan. */
  energy(channel: number, own?: OwnNetwork): number {
    if (channel < 11 || channel > 26) return 0;
    let level = this.environment.energy[channel - 11]! + (this.#noise.get(channel) ?? 0);
    if (own && own.channel === channel && own.routers.length > 0) level += 8; // our own routers' traffic
    return Math.max(0, Math.min(255, level + this.#jitter()));
  }

  /** The beacons an active scan of these channels hears: nearby networks, then our own network's routers. */
  beacons(channelMask: number, own?: OwnNetwork): Beacon[] {
    const scanned = (channel: number): boolean => (channelMask & (1 << channel)) !== 0;
    const out: Beacon[] = [];
    for (const network of this.environment.networks.filter((n) => scanned(n.channel))) out.push(...nearbyBeacons(network));
    if (own && scanned(own.channel)) {
      for (const router of own.routers) {
        out.push({
          sourceAddr: router.nwkAddress,
          panId: own.panId,
          channel: own.channel,
          permitJoin: own.permitJoin,
          routerCapacity: true,
          deviceCapacity: true,
          protocolVersion: 2,
          stackProfile: 2,
          lqi: router.lqi,
          depth: router.depth,
          updateId: own.updateId,
          extendedPanId: own.extendedPanId,
        });
      }
    }
    return out;
  }

  get impairments(): Impairments {
    return { links: new Map(this.#links), noise: new Map(this.#noise), dropped: new Set(this.#dropped) };
  }

  worsenLink(eui64: string, options: { toLqi: number; overMs: number }): void {
    const key = eui64.toUpperCase();
    this.#links.set(key, { fromLqi: this.linkLqi(key), toLqi: clampLqi(options.toLqi), startMs: this.#now(), overMs: Math.max(0, options.overMs) });
    this.#changed();
  }

  dropDevice(eui64: string, options: { rejoinAfterMs: number }): void {
    const key = eui64.toUpperCase();
    if (this.#dropped.has(key)) return;
    this.#dropped.add(key);
    this.emit('drop', key);
    const timer = setTimeout(
      () => {
        this.#timers.delete(timer);
        if (!this.#dropped.delete(key)) return;
        this.emit('rejoin', key);
        this.#changed();
      },
      Math.max(0, options.rejoinAfterMs),
    );
    this.#timers.add(timer);
    this.#changed();
  }

  addNoise(channels: readonly number[], energy: number): void {
    for (const channel of channels) if (channel >= 11 && channel <= 26) this.#noise.set(channel, Math.max(0, Math.min(255, energy)));
    this.#changed();
  }

  clearImpairments(): void {
    this.#links.clear();
    this.#noise.clear();
    this.#changed();
  }

  stop(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  #changed(): void {
    this.emit('change', this.impairments);
  }
}

function clampLqi(lqi: number): number {
  return Math.max(0, Math.min(255, Math.round(lqi)));
}

function nearbyBeacons(network: NearbyNetwork): Beacon[] {
  return network.beaconing.map((node) => ({
    sourceAddr: node.nwkAddress,
    panId: network.panId,
    channel: network.channel,
    permitJoin: network.permitJoin,
    routerCapacity: node.routerCapacity,
    deviceCapacity: node.deviceCapacity,
    protocolVersion: 2, // ZigBee PRO
    stackProfile: 2,
    lqi: node.lqi,
    depth: node.depth,
    updateId: 0,
    extendedPanId: network.extendedPanId,
  }));
}

/** MT_ZdoBeaconIndCB's 21-byte beacon record. */
export function encodeBeacon(beacon: Beacon): Buffer {
  const out = Buffer.alloc(21);
  out.writeUInt16LE(beacon.sourceAddr, 0);
  out.writeUInt16LE(beacon.panId, 2);
  out[4] = beacon.channel;
  out[5] = beacon.permitJoin ? 1 : 0;
  out[6] = beacon.routerCapacity ? 1 : 0;
  out[7] = beacon.deviceCapacity ? 1 : 0;
  out[8] = beacon.protocolVersion;
  out[9] = beacon.stackProfile;
  out[10] = beacon.lqi;
  out[11] = beacon.depth;
  out[12] = beacon.updateId;
  Buffer.from(beacon.extendedPanId, 'hex').reverse().copy(out, 13); // little-endian, as Z-Stack keeps an extended address
  return out;
}

/** The MAC scan time per channel: aBaseSuperframeDuration × (2^n + 1) symbols of 16 µs (IEEE 802.15.4). */
export function scanMsPerChannel(duration: number): number {
  return (960 * (2 ** Math.min(duration, 14) + 1) * 16) / 1000;
}
