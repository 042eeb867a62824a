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
 * Walk-by receiver: decodes everything a stick hears and keeps one entry per meter, keyed by the full address
 * (manufacturer, id, version, type) — never by id alone, since different meters share ids.
 */
export class WirelessReceiver {
  readonly #meters = new Map<string, HeardMeter>();
  readonly #updates = new ListenerSet<[HeardMeter, DecodedTelegram | undefined]>();
  readonly #keys: KeyLookup;
  /** Compact-frame formats learnt from each meter's full frames. */
  readonly formats = new FormatCache();
  rejected = 0;

  constructor(keys: KeyLookup) {
    this.#keys = keys;
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
    this.#meters.set(key, meter);
    this.#updates.emit(meter, t);
    return meter;
  }

  meters(): HeardMeter[] {
    return [...this.#meters.values()];
  }

  onUpdate(listener: (meter: HeardMeter, telegram: DecodedTelegram | undefined) => void): () => void {
    return this.#updates.add(listener);
  }
}
