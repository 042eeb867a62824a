import type { SafeStorage } from 'electron';
import { SecretStoreError, type SecretStore, type SecretStoreDescription } from '../secrets/secret-store';

/**
 * SecretStore backed by Electron's safeStorage (DPAPI, Keychain, libsecret/kwallet). On Linux without a keyring
 * safeStorage silently falls back to a hard-coded password ("basic_text"): we refuse that, and the shell then
 * uses the file-backed store, whose weaker protection the UI states.
 */
export function createSafeStorageSecrets(safeStorage: SafeStorage, platform: NodeJS.Platform): SecretStore | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  const backend = platform === 'linux' ? safeStorage.getSelectedStorageBackend() : platform === 'win32' ? 'dpapi' : 'keychain';
  if (backend === 'basic_text' || backend === 'unknown') return undefined;
  const description: SecretStoreDescription = { backend: `electron-safe-storage:${backend}`, protection: 'os-keystore' };
  return {
    async encrypt(plaintext) {
      return safeStorage.encryptString(plaintext).toString('base64');
    },
    async decrypt(token) {
      try {
        return safeStorage.decryptString(Buffer.from(token, 'base64'));
      } catch (error) {
        throw new SecretStoreError(`a stored secret could not be decrypted by the OS keystore: ${(error as Error).message}`);
      }
    },
    describe: () => description,
  };
}
