import { tightenMode } from '../util/private-files';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createFileAtomicSync, FileExistsError } from '../store/atomic-file';
import { SecretStoreError, type SecretStore, type SecretStoreDescription } from './secret-store';

/**
 * File-backed secret store for plain Node: AES-256-GCM with a random 32-byte key in `<dataDir>/secret.key`
 * (mode 0600). It keeps secrets out of the job files, logs and exports, but anyone who can read the data
 * directory as this user can read the key too — the UI says so (describe().warning).
 *
 * Token: "f1." + base64url(iv[12] ‖ tag[16] ‖ ciphertext). The prefix names the format for later migrations.
 */

export const SECRET_KEY_FILE = 'secret.key';
const PREFIX = 'f1.';
/** Tokens sealed by the Electron app's safeStorage store (see src-main/shell/safe-storage-secrets.ts). */
export const OS_KEYSTORE_PREFIX = 'k1.';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class FileSecretStore implements SecretStore {
  readonly #key: Buffer;
  readonly #warning: string;

  private constructor(key: Buffer, warning: string) {
    this.#key = key;
    this.#warning = warning;
  }

  /** Opens the key in dataDir, creating it (atomically, never overwriting) on first use. */
  static async open(dataDir: string): Promise<FileSecretStore> {
    await mkdir(dataDir, { recursive: true });
    const path = join(dataDir, SECRET_KEY_FILE);
    const key = (await readKey(path)) ?? (await createKey(path));
    // A key file others can read is fixed, not only reported: it is made 600 before anything is sealed with it.
    const loose = tightenMode(path);
    let warning = 'Secrets are encrypted with a key stored beside the data; anyone with access to your user account can read them.';
    if (loose !== undefined) warning += ` The key file was readable by other users (mode ${loose.toString(8)}) and has been set to 600.`;
    return new FileSecretStore(key, warning);
  }

  async encrypt(plaintext: string): Promise<string> {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  async decrypt(token: string): Promise<string> {
    if (token.startsWith(OS_KEYSTORE_PREFIX)) {
      throw new SecretStoreError('this secret was sealed by the desktop app with the OS keystore; open the job in the HAN Commissioner app to use it');
    }
    if (!token.startsWith(PREFIX)) throw new SecretStoreError('this secret was not encrypted by the file secret store');
    const raw = Buffer.from(token.slice(PREFIX.length), 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretStoreError('encrypted secret is truncated');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretStoreError(
        `cannot decrypt a secret: it was altered, or made with another ${SECRET_KEY_FILE} (was the data directory copied without its key?)`,
      );
    }
  }

  describe(): SecretStoreDescription {
    return { backend: 'file-aes-256-gcm', protection: 'file-key', warning: this.#warning };
  }
}

async function readKey(path: string): Promise<Buffer | undefined> {
  let key: Buffer;
  try {
    key = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (key.length !== KEY_BYTES) throw new SecretStoreError(`${path} is damaged: expected ${KEY_BYTES} bytes, found ${key.length}`);
  return key;
}

/** Creates the key atomically and exclusively: a reader never sees a partial key, and of two processes starting together one key wins. */
async function createKey(path: string): Promise<Buffer> {
  const key = randomBytes(KEY_BYTES);
  try {
    createFileAtomicSync(path, key);
  } catch (error) {
    if (!(error instanceof FileExistsError)) throw error;
    // Another process created it first: use theirs.
    const existing = await readKey(path);
    if (!existing) throw new SecretStoreError(`${path} vanished while it was being created`);
    return existing;
  }
  return key;
}
