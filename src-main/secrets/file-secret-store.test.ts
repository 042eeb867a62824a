import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSecretStore, SECRET_KEY_FILE } from './file-secret-store';
import { SecretStoreError } from './secret-store';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'han-secrets-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('FileSecretStore', () => {
  it('round-trips secrets with a fresh IV each time and no plain text in the token', async () => {
    const store = await FileSecretStore.open(dir);
    const secret = '83FED3407A939723A5C639B26916D505C3B5';
    const a = await store.encrypt(secret);
    const b = await store.encrypt(secret);
    expect(a).not.toBe(b);
    expect(a).not.toContain(secret);
    expect(await store.decrypt(a)).toBe(secret);
    expect(await store.decrypt(b)).toBe(secret);
  });

  it('keeps a 32-byte key in secret.key, mode 0600, reused by the next open', async () => {
    const first = await FileSecretStore.open(dir);
    const token = await first.encrypt('network key');
    const key = await readFile(join(dir, SECRET_KEY_FILE));
    expect(key).toHaveLength(32);
    if (process.platform !== 'win32') expect((await stat(join(dir, SECRET_KEY_FILE))).mode & 0o777).toBe(0o600);
    const second = await FileSecretStore.open(dir);
    expect(await second.decrypt(token)).toBe('network key');
    expect(await readdir(dir)).toEqual([SECRET_KEY_FILE]); // no temp files left behind
  });

  it('states its weaker protection', async () => {
    const store = await FileSecretStore.open(dir);
    expect(store.describe()).toEqual({
      backend: 'file-aes-256-gcm',
      protection: 'file-key',
      warning: expect.stringContaining('anyone with access to your user account can read them'),
    });
  });

  it('rejects an altered token, a token from another key and a foreign token', async () => {
    const store = await FileSecretStore.open(dir);
    const token = await store.encrypt('secret');
    const body = Buffer.from(token.slice(3), 'base64url');
    body[body.length - 1]! ^= 1;
    await expect(store.decrypt('f1.' + body.toString('base64url'))).rejects.toThrow(/altered, or made with another secret.key/);
    const otherDir = await mkdtemp(join(tmpdir(), 'han-secrets-other-'));
    try {
      const other = await FileSecretStore.open(otherDir);
      await expect(other.decrypt(token)).rejects.toBeInstanceOf(SecretStoreError);
    } finally {
      await rm(otherDir, { recursive: true, force: true });
    }
    await expect(store.decrypt('djEwAAAA')).rejects.toThrow(/not encrypted by the file secret store/);
  });

  it('refuses a damaged key file instead of replacing it', async () => {
    await writeFile(join(dir, SECRET_KEY_FILE), Buffer.alloc(7));
    await expect(FileSecretStore.open(dir)).rejects.toThrow(/expected 32 bytes, found 7/);
  });

  it('agrees on one key when several processes create it at once', async () => {
    const stores = await Promise.all(Array.from({ length: 8 }, () => FileSecretStore.open(dir)));
    const token = await stores[3]!.encrypt('shared');
    for (const store of stores) expect(await store.decrypt(token)).toBe('shared');
  });

  it.runIf(process.platform !== 'win32')('fixes a secret.key others can read to 0600, and says so', async () => {
    const { chmod } = await import('node:fs/promises');
    await FileSecretStore.open(dir);
    await chmod(join(dir, SECRET_KEY_FILE), 0o644);
    const reopened = await FileSecretStore.open(dir);
    expect((await stat(join(dir, SECRET_KEY_FILE))).mode & 0o777).toBe(0o600);
    expect(reopened.describe().warning).toMatch(/was readable by other users \(mode 644\) and has been set to 600/);
  });
});
