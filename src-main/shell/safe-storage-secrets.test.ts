import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SafeStorage } from 'electron';
import { afterAll, describe, expect, it } from 'vitest';
import { FileSecretStore } from '../secrets/file-secret-store';
import { createSafeStorageSecrets } from './safe-storage-secrets';

/** A stand-in keystore: reversible, but not the identity, so a missing decrypt would show. */
function fakeSafeStorage(backend: string, available = true): SafeStorage {
  return {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (text: string) => Buffer.from([...Buffer.from(text, 'utf8')].map((b) => b ^ 0x5a)),
    decryptString: (data: Buffer) => Buffer.from([...data].map((b) => b ^ 0x5a)).toString('utf8'),
  } as unknown as SafeStorage;
}

const dir = mkdtempSync(join(tmpdir(), 'han-safe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('safeStorage secret store', () => {
  it('refuses Linux basic_text and an unavailable keystore', () => {
    expect(createSafeStorageSecrets(fakeSafeStorage('basic_text'), 'linux')).toBeUndefined();
    expect(createSafeStorageSecrets(fakeSafeStorage('gnome_libsecret', false), 'linux')).toBeUndefined();
  });

  it('round-trips with a k1. token that does not contain the secret', async () => {
    const store = createSafeStorageSecrets(fakeSafeStorage('gnome_libsecret'), 'linux')!;
    expect(store.describe()).toEqual({ backend: 'electron-safe-storage:gnome_libsecret', protection: 'os-keystore' });
    const token = await store.encrypt('83FED3407A939723A5C639B26916D505');
    expect(token.startsWith('k1.')).toBe(true);
    expect(token).not.toContain('83FED340');
    expect(await store.decrypt(token)).toBe('83FED3407A939723A5C639B26916D505');
  });

  it('opens secrets the web host sealed with the file key, and the web host says clearly it cannot open the app’s', async () => {
    const file = await FileSecretStore.open(dir);
    const app = createSafeStorageSecrets(fakeSafeStorage('kwallet5'), 'linux', file)!;
    expect(await app.decrypt(await file.encrypt('from the web host'))).toBe('from the web host');
    await expect(file.decrypt(await app.encrypt('from the app'))).rejects.toThrow(/sealed by the desktop app/);
  });
});
