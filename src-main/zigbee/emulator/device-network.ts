import type { Logger } from '../../util/logger';
import { aesMmoHash } from '../link-key';
import { DEV_STATE, type CoordinatorState } from './coordinator-state';
import type { HostLink } from './host-link';
import { ieeeLe, u16, u8 } from './mt-codec';
import type { OwnNetwork, RadioWorld } from './radio-world';
import type { TopologyView } from './topology';
import { MtSubsystem } from './unpi';
import type { VirtualSeDevice } from './virtual-se-device';

export type EmulatorEvent =
  | { kind: 'joined'; eui64: string; nwkAddress: number }
  | { kind: 'join-refused'; eui64: string; reason: 'no-install-code' | 'install-code-mismatch' }
  | { kind: 'left'; eui64: string }
  | { kind: 'delivered'; eui64: string; what: string; atMs: number }
  | { kind: 'poll'; eui64: string; atMs: number }
  | { kind: 'report'; from: string; to: string; clusterId: number }
  | { kind: 'permit-join'; seconds: number }
  | { kind: 'dropped'; eui64: string }
  | { kind: 'rejoined'; eui64: string; nwkAddress: number }
  | { kind: 'malformed'; reason: string };

export interface DeviceNetworkOptions {
  readonly now: () => number;
  readonly log: Logger;
  readonly emit: (event: EmulatorEvent) => void;
  readonly sleepyPollMs: number;
  readonly joinDelayMs: number;
  readonly joinRetryMs: number;
}

const ZDO_TC_DEV_IND = 0xca;
const ZDO_END_DEVICE_ANNCE_IND = 0xc1;
const MAC_TRANSACTION_PERSISTENCE_MS = 7680;

/**
 * The virtual devices on the air around the coordinator: the trust centre's join decisions (install-code keys
 * only), who joined through whom, which device is reachable now (power, RF impairments, its parent), and
 * delivery — at once to routers, through the parent's indirect queue to a sleepy end device when it polls.
 */
export class DeviceNetwork {
  readonly devices: VirtualSeDevice[];
  sleepyPollMs: number;
  readonly #host: HostLink;
  readonly #state: CoordinatorState;
  readonly #radio: RadioWorld;
  readonly #options: DeviceNetworkOptions;
  readonly #pollTimers = new Map<string, NodeJS.Timeout>();
  readonly #indirect = new Map<string, { enqueuedAt: number; deliver: () => void; expire?: () => void }[]>();
  #permitUntil = 0;
  #permitTimer: NodeJS.Timeout | undefined;
  #nextNwk = 0x3a01;

  constructor(devices: VirtualSeDevice[], host: HostLink, state: CoordinatorState, radio: RadioWorld, options: DeviceNetworkOptions) {
    this.devices = devices;
    this.#host = host;
    this.#state = state;
    this.#radio = radio;
    this.#options = options;
    this.sleepyPollMs = options.sleepyPollMs;
    radio.on('drop', (eui64) => options.emit({ kind: 'dropped', eui64 }));
    radio.on('rejoin', (eui64) => this.#rejoin(eui64));
  }

  device(eui64: string): VirtualSeDevice | undefined {
    return this.devices.find((d) => d.eui64 === eui64.toUpperCase());
  }

  /** A joined device by network address. */
  joinedAt(nwk: number): VirtualSeDevice | undefined {
    return this.devices.find((d) => d.joined && d.nwkAddress === nwk);
  }

  // ---- joining -----------------------------------------------------------------------------------------------

  permitOpen(): boolean {
    return this.#permitUntil > this.#options.now();
  }

  permitJoin(seconds: number): void {
    this.#options.emit({ kind: 'permit-join', seconds });
    if (seconds === 0) {
      this.closePermit();
      return;
    }
    if (this.#permitTimer) clearTimeout(this.#permitTimer);
    this.#permitUntil = this.#options.now() + seconds * 1000;
    this.#permitTimer = setTimeout(() => this.closePermit(), seconds * 1000);
    this.#permitTimer.unref();
    for (const device of this.devices) device.leftOnRequest = false;
    this.scheduleJoins();
  }

  closePermit(): void {
    this.#permitUntil = 0;
    if (this.#permitTimer) clearTimeout(this.#permitTimer);
    this.#permitTimer = undefined;
  }

  scheduleJoins(): void {
    const step = this.#options.joinDelayMs;
    this.devices.filter((d) => !d.joined && d.powered).forEach((device, i) => this.scheduleJoin(device, step * (i + 1)));
  }

  scheduleJoin(device: VirtualSeDevice, delayMs: number): void {
    this.#host.later(delayMs, () => this.#attemptJoin(device));
  }

  /** The trust centre's decision: only a device whose install-code key was added gets the network key. */
  #attemptJoin(device: VirtualSeDevice): void {
    if (device.joined || !device.powered || device.leftOnRequest || !this.permitOpen() || this.#state.devState !== DEV_STATE.COORDINATOR) return;
    if (!this.#host.connected) return; // re-scheduled when a host attaches, so no indication is lost
    const expected = this.#state.tcLinkKeys.get(device.eui64);
    const deviceKey = aesMmoHash(Buffer.from(device.spec.installCode + device.spec.installCodeCrc, 'hex'))
      .toString('hex')
      .toUpperCase();
    if (expected !== deviceKey) {
      const reason = expected === undefined ? 'no-install-code' : 'install-code-mismatch';
      this.#options.log.info('join refused by trust centre', { eui64: device.eui64, reason });
      this.#options.emit({ kind: 'join-refused', eui64: device.eui64, reason });
      this.scheduleJoin(device, this.#options.joinRetryMs);
      return;
    }
    if (device.nwkAddress === 0) {
      device.nwkAddress = this.#nextNwk;
      this.#nextNwk = (this.#nextNwk + 0x1b3) & 0xfff7 || 0x1001;
    }
    device.joined = true;
    device.parentNwk = this.#chooseParent(device);
    this.#state.nv.setAssociation(device.eui64, device.nwkAddress);
    this.#startPolling(device);
    this.#options.log.info('device joined', { eui64: device.eui64, nwk: device.nwkAddress, parent: device.parentNwk });
    this.#options.emit({ kind: 'joined', eui64: device.eui64, nwkAddress: device.nwkAddress });
    this.#announce(device);
  }

  /** ZDO_TC_DEV_IND (nwk, ieee, parent) then the device's announce, as the trust centre reports a (re)join. */
  #announce(device: VirtualSeDevice): void {
    this.#host.areq(MtSubsystem.ZDO, ZDO_TC_DEV_IND, Buffer.concat([u16(device.nwkAddress), ieeeLe(device.eui64), u16(device.parentNwk)]));
    this.#host.areq(
      MtSubsystem.ZDO,
      ZDO_END_DEVICE_ANNCE_IND,
      Buffer.concat([u16(device.nwkAddress), u16(device.nwkAddress), ieeeLe(device.eui64), u8(device.capabilities)]),
    );
  }

  /** An end device whose RF placement puts it behind a router joins through that router when it is on the air. */
  #chooseParent(device: VirtualSeDevice): number {
    const wanted = device.spec.parentEui64 ? this.device(device.spec.parentEui64) : undefined;
    return wanted && wanted.joined && !wanted.spec.sleepy && wanted.parentNwk === 0 && this.reachable(wanted) ? wanted.nwkAddress : 0x0000;
  }

  parentOf(device: VirtualSeDevice): VirtualSeDevice | undefined {
    return device.parentNwk === 0 ? undefined : this.joinedAt(device.parentNwk);
  }

  /** On the air: powered, not dropped by an impairment, and (for a child of a router) its parent too. */
  reachable(device: VirtualSeDevice): boolean {
    if (!device.powered || this.#radio.isDropped(device.eui64)) return false;
    const parent = this.parentOf(device);
    return parent === undefined || (parent.powered && !this.#radio.isDropped(parent.eui64));
  }

  /** A dropped device comes back: a secured rejoin through its parent, reported by the trust centre like a join. */
  #rejoin(eui64: string): void {
    const device = this.device(eui64);
    if (!device?.joined || !device.powered) return;
    this.#options.emit({ kind: 'rejoined', eui64: device.eui64, nwkAddress: device.nwkAddress });
    this.#announce(device);
  }

  /**
   * Devices in the NV address manager are on this network (e.g. after a backup was restored onto this dongle):
   * they stay joined without a new join, as real devices keep working when their coordinator is replaced.
   */
  syncAssociations(): void {
    for (const association of this.#state.nv.associations()) {
      const device = this.device(association.eui64);
      if (!device || device.joined) continue;
      device.joined = true;
      device.nwkAddress = association.nwkAddress;
      this.#startPolling(device);
    }
    for (const device of this.devices.filter((d) => d.joined && d.parentNwk === 0 && d.spec.parentEui64)) device.parentNwk = this.#chooseParent(device);
  }

  forget(device: VirtualSeDevice): void {
    if (device.joined) this.#state.nv.setAssociation(device.eui64, undefined);
    device.joined = false;
    device.parentNwk = 0;
    device.bindings.length = 0;
    device.reporting.clear();
    this.#indirect.delete(device.eui64);
    const timer = this.#pollTimers.get(device.eui64);
    if (timer) clearInterval(timer);
    this.#pollTimers.delete(device.eui64);
  }

  // ---- over the air ------------------------------------------------------------------------------------------

  /**
   * Delivers something to a device over the air: at once for routers; for a sleepy end device it waits in the
   * parent's indirect queue until the device polls, and expires after the MAC transaction persistence time.
   */
  viaAir(device: VirtualSeDevice, what: string, deliver: () => void, expire?: () => void): void {
    const run = (): void => {
      this.#options.emit({ kind: 'delivered', eui64: device.eui64, what, atMs: this.#options.now() });
      deliver();
    };
    if (!device.spec.sleepy) {
      run();
      return;
    }
    const queue = this.#indirect.get(device.eui64) ?? [];
    queue.push({ enqueuedAt: this.#options.now(), deliver: run, ...(expire ? { expire } : {}) });
    this.#indirect.set(device.eui64, queue);
  }

  #startPolling(device: VirtualSeDevice): void {
    if (!device.spec.sleepy || this.#pollTimers.has(device.eui64)) return;
    const timer = setInterval(() => this.#poll(device), this.sleepyPollMs);
    this.#pollTimers.set(device.eui64, timer);
  }

  #poll(device: VirtualSeDevice): void {
    if (!device.joined || !this.reachable(device)) return;
    const now = this.#options.now();
    this.#options.emit({ kind: 'poll', eui64: device.eui64, atMs: now });
    const queue = this.#indirect.get(device.eui64) ?? [];
    this.#indirect.delete(device.eui64);
    for (const item of queue) {
      if (now - item.enqueuedAt > MAC_TRANSACTION_PERSISTENCE_MS) item.expire?.();
      else item.deliver();
    }
  }

  // ---- what the radio sees -----------------------------------------------------------------------------------

  topology(): TopologyView {
    return {
      coordinatorIeee: this.#state.ieee,
      onAir: this.devices.filter((d) => d.joined && this.reachable(d)),
      linkLqi: (eui64) => this.#radio.linkLqi(eui64),
    };
  }

  /** Our network as beacons and energy scans see it; undefined while the coordinator is not running. */
  ownNetwork(): OwnNetwork | undefined {
    const nib = this.#state.nib();
    if (!nib || !this.#state.running) return undefined;
    const routers = this.devices.filter((d) => d.joined && !d.spec.sleepy && d.parentNwk === 0 && this.reachable(d));
    return {
      channel: nib.channel,
      panId: nib.panId,
      extendedPanId: Buffer.from(nib.extPanIdRaw).reverse().toString('hex').toUpperCase(),
      permitJoin: this.permitOpen(),
      updateId: this.#state.nwkUpdateId,
      routers: routers.map((d) => ({ nwkAddress: d.nwkAddress, lqi: this.#radio.linkLqi(d.eui64), depth: 1 })),
    };
  }

  stop(): void {
    for (const timer of this.#pollTimers.values()) clearInterval(timer);
    this.#pollTimers.clear();
    this.closePermit();
  }
}
