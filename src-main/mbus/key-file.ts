import { join } from 'node:path';
import { AppError } from '../../src-shared/ipc/result';
import type { SecretStore } from '../secrets/secret-store';
import { readFileIfExists, writeFileAtomicSync } from '../store/atomic-file';
import type { Logger } from '../util/logger';
import { KeyStore } from './common/key-store';
import { type MeterAddress, meterKey } from './common/meter-address';

export const KEYS_FILE = 'wmbus-keys.json';

interface SavedKey {
  readonly address: MeterAddress;
  readonly token: string;
}

/**
 * Meter keys kept across restarts: sealed by the secret store, written with the shared atomic helper (a unique
 * temp file, fsync, rename, fsync of the folder), so concurrent saves never collide on one temp file. The disk is
 * written first and memory changed only when the write succeeded: on a failure both still hold the old keys,
 * and the error the engineer sees names no path.
 */
export class MeterKeyFile {
  readonly keys = new KeyStore();
  readonly #tokens = new Map<string, SavedKey>();
  readonly #secrets: SecretStore | undefined;
  readonly #file: string | undefined;
  readonly #log: Logger;

  constructor(options: { secrets?: SecretStore; dataDir?: string; log: Logger }) {
    this.#secrets = options.secrets;
    this.#file = options.secrets && options.dataDir ? join(options.dataDir, KEYS_FILE) : undefined;
    this.#log = options.log;
  }

  async load(): Promise<void> {
    if (!this.#file || !this.#secrets) return;
    try {
      const text = readFileIfExists(this.#file);
      if (text === undefined) return;
      for (const entry of JSON.parse(text) as SavedKey[]) {
        this.keys.set(entry.address, Buffer.from(await this.#secrets.decrypt(entry.token), 'hex'));
        this.#tokens.set(meterKey(entry.address), entry);
      }
    } catch (error) {
      this.#log.warn('meter keys not loaded', { error: error instanceof Error ? error.message : String(error) });
    }
  }

  /** Stores (or with `key: null` removes) a meter's key; resolves once it is on disk (when a data folder is set). */
  async set(address: MeterAddress, key: string | null): Promise<void> {
    const id = meterKey(address);
    const token = key !== null && this.#secrets ? await this.#secrets.encrypt(key.toUpperCase()) : undefined;
    // Built from the state at write time, after the await: concurrent calls each write everything known so far.
    const next = new Map(this.#tokens);
    if (token) next.set(id, { address, token });
    else next.delete(id);
    if (this.#file) {
      try {
        writeFileAtomicSync(this.#file, JSON.stringify([...next.values()], null, 1));
      } catch (error) {
        this.#log.warn('meter keys not saved', { error: error instanceof Error ? error.message : String(error) });
        const code = (error as NodeJS.ErrnoException).code;
        throw new AppError(
          'MBUS_KEYS_NOT_SAVED',
          `The meter key was not saved: the data folder could not be written${code ? ` (${code})` : ''}. Nothing was changed.`,
        );
      }
    }
    if (token) this.#tokens.set(id, { address, token });
    else this.#tokens.delete(id);
    if (key === null) this.keys.delete(address);
    else this.keys.set(address, Buffer.from(key, 'hex'));
  }
}
