import type { Controller } from 'zigbee-herdsman';
import { lqiTrend, type DeviceLink, type LinkSample } from '../../../src-shared/model/han-links';
import type { HanDevice } from '../../../src-shared/model/han';

const HISTORY = 30;
const fromHerdsman = (ieee: string): string => ieee.replace(/^0x/, '').toUpperCase();

interface Counters {
  messages: number;
  leaves: number;
  rejoins: number;
  left: boolean;
  /** A probe went unanswered (the device dropped off the air without a leave). */
  unreachable: boolean;
  lqi: number | null;
  lastSeenMs: number | null;
  history: LinkSample[];
}

/**
 * Per-device traffic seen by our coordinator: LQI of every incoming frame (herdsman's `message.linkquality`, which
 * Z-Stack puts in AF_INCOMING_MSG), messages, leaves, unanswered probes (a device that dropped off the air sends
 * no leave) and rejoins (a device announce or new traffic after a leave, a failed probe or a silence).
 * It follows whichever herdsman controller the HAN service runs, re-attaching after a reconnect.
 */
export class LinkMonitor {
  readonly #counters = new Map<string, Counters>();
  readonly #now: () => number;
  readonly #silentAfterMs: number;
  #attached: Controller | undefined;
  #detach: (() => void) | undefined;

  constructor(options: { now?: () => number; silentAfterMs?: number } = {}) {
    this.#now = options.now ?? Date.now;
    this.#silentAfterMs = options.silentAfterMs ?? 10 * 60_000;
  }

  /** Follows this controller (or none); counters survive a reconnect of the same network. */
  follow(controller: Controller | undefined): void {
    if (controller === this.#attached) return;
    this.#detach?.();
    this.#detach = undefined;
    this.#attached = controller;
    if (!controller) return;
    const onMessage = ({ device, linkquality }: { device: { ieeeAddr: string }; linkquality: number }): void => {
      const c = this.#get(device.ieeeAddr);
      c.messages++;
      this.#sample(c, linkquality);
      if (c.left || c.unreachable) c.rejoins++;
      c.left = false;
      c.unreachable = false;
    };
    const onLeave = ({ ieeeAddr }: { ieeeAddr: string }): void => {
      const c = this.#get(ieeeAddr);
      c.leaves++;
      c.left = true;
    };
    const onAnnounce = ({ device }: { device: { ieeeAddr: string } }): void => {
      const c = this.#get(device.ieeeAddr);
      c.lastSeenMs = this.#now();
      // An announce after a leave, a failed probe or a silence is the device coming back.
      if (c.left || c.unreachable || this.#isSilent(c)) c.rejoins++;
      c.left = false;
      c.unreachable = false;
    };
    const onSeen = ({ device }: { device: { ieeeAddr: string; lastSeen?: number } }): void => {
      this.#get(device.ieeeAddr).lastSeenMs = device.lastSeen ?? this.#now();
    };
    controller.on('message', onMessage);
    controller.on('deviceLeave', onLeave);
    controller.on('deviceAnnounce', onAnnounce);
    controller.on('lastSeenChanged', onSeen);
    this.#detach = () => {
      controller.off('message', onMessage);
      controller.off('deviceLeave', onLeave);
      controller.off('deviceAnnounce', onAnnounce);
      controller.off('lastSeenChanged', onSeen);
    };
  }

  /** The result of a reachability probe: unanswered marks the device dropped until it is heard again. */
  noteProbe(eui64: string, answered: boolean): void {
    const c = this.#get(eui64);
    if (answered) {
      c.unreachable = false;
      c.lastSeenMs = this.#now();
    } else c.unreachable = true;
  }

  /** An LQI read from a neighbour table counts as a sample too (it is the coordinator's view of the link). */
  noteTableLqi(eui64: string, lqi: number): void {
    this.#sample(this.#get(eui64), lqi);
  }

  /** One row per device the HAN service knows, merged with what this monitor counted; `parents` from the tables. */
  links(devices: readonly HanDevice[], parents: ReadonlyMap<string, string> = new Map()): DeviceLink[] {
    return devices.map((device) => {
      const c = this.#counters.get(device.eui64);
      const lqi = c?.lqi ?? device.lqi ?? null;
      const lastSeenMs = c?.lastSeenMs ?? device.lastSeenMs ?? null;
      const history = c ? [...c.history] : [];
      const left = c?.left ?? device.state === 'left';
      const presence: DeviceLink['presence'] = left ? 'left' : c?.unreachable ? 'unreachable' : c && this.#isSilent(c) ? 'silent' : 'present';
      return {
        eui64: device.eui64,
        ...(device.nwkAddress !== undefined ? { nwkAddress: device.nwkAddress } : {}),
        ...(parents.has(device.eui64) ? { via: parents.get(device.eui64)! } : {}),
        type: device.type,
        lqi,
        rssi: null,
        lastSeenMs,
        messages: c?.messages ?? 0,
        retries: null,
        leaves: c?.leaves ?? 0,
        rejoins: c?.rejoins ?? 0,
        presence,
        history,
        trend: lqiTrend(history),
      };
    });
  }

  #isSilent(c: Counters): boolean {
    return c.lastSeenMs !== null && this.#now() - c.lastSeenMs > this.#silentAfterMs;
  }

  #sample(c: Counters, lqi: number): void {
    const atMs = this.#now();
    c.lqi = lqi;
    c.lastSeenMs = atMs;
    c.history.push({ atMs, lqi });
    if (c.history.length > HISTORY) c.history.splice(0, c.history.length - HISTORY);
  }

  #get(ieee: string): Counters {
    const key = fromHerdsman(ieee);
    let c = this.#counters.get(key);
    if (!c) {
      c = { messages: 0, leaves: 0, rejoins: 0, left: false, unreachable: false, lqi: null, lastSeenMs: null, history: [] };
      this.#counters.set(key, c);
    }
    return c;
  }
}
