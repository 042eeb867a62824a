import type { SafeStorage } from 'electron';
import { OS_KEYSTORE_PREFIX } from '../secrets/file-secret-store';
import { SecretStoreError, type SecretStore, type SecretStoreDescription } from '../secrets/secret-store';

/**
 * SecretStore backed by Electron's safeStorage (DPAPI, Keychain, libsecret/kwallet). On Linux without a keyring
 * safeStorage silently falls back to a hard-coded password ("basic_text"): we refuse that, and the shell then
 * uses the file-backed store, whose weaker protection the UI states.
 *
 * Tokens are prefixed "k1." so a secret sealed here is told apart from one the web host or CLI sealed with the
 * file key ("f1."); those still open through `fileStore`, since all three share one data directory.
 * (Electron 41 has only the synchronous safeStorage API; move to the async one when upgrading past it.)
 */
export function createSafeStorageSecrets(safeStorage: SafeStorage, platform: NodeJS.Platform, fileStore?: SecretStore): SecretStore | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  const backend = platform === 'linux' ? safeStorage.getSelectedStorageBackend() : platform === 'win32' ? 'dpapi' : 'keychain';
  if (backend === 'basic_text' || backend === 'unknown') return undefined;
  const description: SecretStoreDescription = { backend: `electron-safe-storage:${backend}`, protection: 'os-keystore' };
  return {
    async encrypt(plaintext) {
      return OS_KEYSTORE_PREFIX + safeStorage.encryptString(plaintext).toString('base64');
    },
    async decrypt(token) {
      if (!token.startsWith(OS_KEYSTORE_PREFIX)) {
        if (fileStore) return fileStore.decrypt(token);
        throw new SecretStoreError('this secret was sealed with the file key, which this app cannot open');
      }
      try {
        return safeStorage.decryptString(Buffer.from(token.slice(OS_KEYSTORE_PREFIX.length), 'base64'));
      } catch (error) {
        throw new SecretStoreError(`a stored secret could not be decrypted by the OS keystore: ${(error as Error).message}`);
      }
    },
    describe: () => description,
  };
}
