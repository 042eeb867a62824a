/**
 * One interface for every secret the app keeps (install codes, network and link keys, wM-Bus keys, DCC
 * private keys). The Electron app backs it with safeStorage (OS keystore); plain Node (web host, CLI,
 * tests) uses the file-backed store, whose weaker protection `describe().warning` states for the UI.
 */
export interface SecretStore {
  /** Returns an opaque text token; the plain text never appears in it. */
  encrypt(plaintext: string): Promise<string>;
  /** Throws SecretStoreError when the token was not made by this store's key or was altered. */
  decrypt(token: string): Promise<string>;
  describe(): SecretStoreDescription;
}

export interface SecretStoreDescription {
  /** e.g. "file-aes-256-gcm", "electron-safe-storage:gnome_libsecret". */
  readonly backend: string;
  readonly protection: 'os-keystore' | 'file-key';
  /** Plain words for the UI when protection is weaker than the OS keystore. */
  readonly warning?: string;
}

export class SecretStoreError extends Error {
  readonly code = 'SECRET_STORE';
  constructor(message: string) {
    super(message);
    this.name = 'SecretStoreError';
  }
}
