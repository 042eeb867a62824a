import { type KeyLookup, type MeterAddress, meterKey } from './meter-address';
import { AesKey } from './security';

/**
 * Per-meter AES keys, keyed by the full meter address. In the app the keys live in the OS keystore; this is the
 * in-memory view the decoder asks. Keys are never logged (the logger redacts fields named "key").
 */
export class KeyStore {
  readonly #keys = new Map<string, AesKey>();

  set(address: MeterAddress, key: Uint8Array): void {
    this.#keys.set(meterKey(address), new AesKey(key));
  }

  delete(address: MeterAddress): boolean {
    return this.#keys.delete(meterKey(address));
  }

  has(address: MeterAddress): boolean {
    return this.#keys.has(meterKey(address));
  }

  readonly lookup: KeyLookup = (address) => this.#keys.get(meterKey(address));
}
