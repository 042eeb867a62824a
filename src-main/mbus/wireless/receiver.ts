import { toHex } from '../common/hex';
import type { DataRecord, DecodedTelegram } from '../common/telegram';
import { ListenerSet } from '../../link/listeners';
import { FormatCache } from '../common/compact';
import { decodeWireless } from './decode-wireless';
import type { KeyLookup, MeterAddress } from '../common/meter-address';
import { meterKey } from '../common/meter-address';
import type { ReceivedTelegram } from './sticks/stick';

/** One wireless meter as the walk-by view lists it. */
export interface HeardMeter {
  readonly key: string;
  readonly address: MeterAddress;
  readonly medium: string;
  readonly count: number;
  readonly rssiDbm?: number;
  readonly lastSeen: number;
  readonly lastTelegram: string;
  readonly encrypted: boolean;
  readonly decrypted: boolean;
  readonly reason?: string;
  readonly records: readonly DataRecord[];
}

/**
 * Meters the walk-by list keeps: more than a stairwell of a large block hears (flats × heat, water and
 * heat-cost allocators), and in line with the format cache (2048 formats). Beyond it the least recently heard
 * meter goes and is counted, so a receiver left running for days neither grows without end nor hides that
 * meters were dropped.
 */
export const WALK_BY_CAPACITY = 1000;

/**
 * Walk-by receiver: decodes everything a stick hears and keeps one entry per meter, keyed by the full address
 * (manufacturer, id, version, type) — never by id alone, since different meters share ids. Bounded: the most
 * recently heard `capacity` meters are kept (a Map iterates in insertion order; a meter heard again moves to
 * the end), and `dropped` counts the meters let go.
 */
export class WirelessReceiver {
  readonly #meters = new Map<string, HeardMeter>();
  readonly #updates = new ListenerSet<[HeardMeter, DecodedTelegram | undefined]>();
  readonly #drops = new ListenerSet<[readonly string[], number]>();
  readonly #keys: KeyLookup;
  readonly #capacity: number;
  /** Compact-frame formats learnt from each meter's full frames. */
  readonly formats = new FormatCache();
  rejected = 0;
  /** Meters let go since the receiver started, least recently heard first, to stay within the capacity. */
  dropped = 0;

  constructor(keys: KeyLookup, capacity = WALK_BY_CAPACITY) {
    if (!(capacity >= 1)) throw new RangeError('a walk-by list holds at least one meter');
    this.#keys = keys;
    this.#capacity = capacity;
  }

  /** Feeds one received telegram; returns the meter entry, or undefined when the telegram was malformed. */
  accept(received: ReceivedTelegram): HeardMeter | undefined {
    const result = decodeWireless(received.bytes, this.#keys, this.formats);
    if (!result.ok) {
      this.rejected++;
      return undefined;
    }
    const t = result.telegram;
    const h = t.header!;
    const address: MeterAddress = { manufacturer: h.manufacturer, id: h.id, version: h.version, deviceType: h.mediumCode };
    const key = meterKey(address);
    const previous = this.#meters.get(key);
    const meter: HeardMeter = {
      key,
      address,
      medium: h.medium,
      count: (previous?.count ?? 0) + 1,
      lastSeen: received.receivedAt,
      ...(received.rssiDbm !== undefined ? { rssiDbm: received.rssiDbm } : {}),
      lastTelegram: toHex(received.bytes),
      encrypted: t.encrypted,
      decrypted: t.decrypted,
      ...(t.decryptionError || t.note ? { reason: t.decryptionError ?? t.note } : {}),
      records: t.records,
    };
    this.#meters.delete(key);
    this.#meters.set(key, meter);
    const evicted: string[] = [];
    for (const oldest of this.#meters.keys()) {
      if (this.#meters.size <= this.#capacity) break;
      this.#meters.delete(oldest);
      evicted.push(oldest);
    }
    this.dropped += evicted.length;
    this.#updates.emit(meter, t);
    if (evicted.length > 0) this.#drops.emit(evicted, this.dropped);
    return meter;
  }

  /** The meters kept, least recently heard first. */
  meters(): HeardMeter[] {
    return [...this.#meters.values()];
  }

  /** Called with the keys of the meters let go and the running total of meters dropped. */
  onDropped(listener: (keys: readonly string[], dropped: number) => void): () => void {
    return this.#drops.add(listener);
  }

  onUpdate(listener: (meter: HeardMeter, telegram: DecodedTelegram | undefined) => void): () => void {
    return this.#updates.add(listener);
  }
}
