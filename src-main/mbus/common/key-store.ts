import { type KeyLookup, type MeterAddress } from './meter-address';
import { AesKey } from './security';

interface KeyEntry {
  readonly address: MeterAddress;
  readonly key: AesKey;
}

/**
 * Per-meter AES keys, keyed by the full meter address. In the app the keys live in the OS keystore; this is the
 * in-memory view the decoder asks. Keys are never logged (the logger redacts fields named "key").
 * Indexed by id, then matched on manufacturer, version and device type: the lookup runs for every encrypted
 * telegram heard, and building a joined string key per lookup cost more than the match.
 */
export class KeyStore {
  readonly #byId = new Map<string, KeyEntry[]>();

  set(address: MeterAddress, key: Uint8Array): void {
    const entry: KeyEntry = {
      address: { manufacturer: address.manufacturer, id: address.id, version: address.version, deviceType: address.deviceType },
      key: new AesKey(key),
    };
    const same = this.#byId.get(address.id) ?? [];
    const at = same.findIndex((e) => sameMeter(e.address, address));
    if (at >= 0) same[at] = entry;
    else same.push(entry);
    this.#byId.set(address.id, same);
  }

  delete(address: MeterAddress): boolean {
    const same = this.#byId.get(address.id);
    const at = same ? same.findIndex((e) => sameMeter(e.address, address)) : -1;
    if (!same || at < 0) return false;
    same.splice(at, 1);
    if (same.length === 0) this.#byId.delete(address.id);
    return true;
  }

  has(address: MeterAddress): boolean {
    return this.lookup(address) !== undefined;
  }

  readonly lookup: KeyLookup = (address) => {
    const same = this.#byId.get(address.id);
    if (same === undefined) return undefined;
    for (const entry of same) if (sameMeter(entry.address, address)) return entry.key;
    return undefined;
  };
}

function sameMeter(a: MeterAddress, b: MeterAddress): boolean {
  return a.manufacturer === b.manufacturer && a.version === b.version && a.deviceType === b.deviceType;
}
