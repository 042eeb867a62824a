import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileSecretStore } from '../secrets/file-secret-store';
import { testConnectionInput } from './connection-input.test-support';
import { connectionParts, loadDccConnection, saveDccConnection } from './dcc-config';
import { zaz1KeyStore } from './gbcs/keys';
import { preCommandSigningKey } from './critical-request';
import { ConnectionFieldError, signingKeyOrigin } from './user-signing-key';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const pemOf = (curve: string): string => generateKeyPairSync('ec', { namedCurve: curve }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
const USER = '90B3D51F30010000';

async function opened() {
  const dir = mkdtempSync(join(tmpdir(), 'dcc-ds-key-'));
  dirs.push(dir);
  const store = await FileSecretStore.open(dir);
  let unsealed = 0;
  const secrets = {
    encrypt: (text: string) => store.encrypt(text),
    decrypt: (token: string) => (unsealed++, store.decrypt(token)),
  };
  return { dir, secrets, unsealed: () => unsealed };
}

describe("the User's GBCS digital-signing key", () => {
  it('is sealed when saved: the connection file holds a secret-store token and no PEM', async () => {
    const { dir, secrets } = await opened();
    const dsPem = pemOf('P-256');
    const saved = await saveDccConnection(dir, secrets, { ...testConnectionInput(), userDigitalSigningKeyPem: dsPem });
    const file = readFileSync(join(dir, 'connection.json'), 'utf8');
    expect(file).not.toContain('PRIVATE KEY');
    expect(file).not.toContain(dsPem.split('\n')[1]);
    expect(loadDccConnection(dir)?.userDigitalSigningKeyToken).toBe(saved.userDigitalSigningKeyToken);
    expect(await secrets.decrypt(saved.userDigitalSigningKeyToken!)).toBe(dsPem);
  });

  it('is unsealed on each use, never held, and offered before the ZAZ1 supplier key', async () => {
    const { dir, secrets, unsealed } = await opened();
    const ds = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const stored = await saveDccConnection(dir, secrets, {
      ...testConnectionInput(),
      userDigitalSigningKeyPem: ds.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    });
    const parts = await connectionParts(stored, secrets, dir);
    expect(unsealed()).toBe(0); // connecting unseals only the TLS client key (none here)
    const key = await preCommandSigningKey(parts.gbcsKeys, stored.userId);
    expect(unsealed()).toBe(1);
    expect(key?.equals(ds.privateKey)).toBe(true);
    const store = await parts.gbcsKeys();
    expect(unsealed()).toBe(2);
    const zaz1 = zaz1KeyStore().privateKeys(USER.toLowerCase(), 'ds');
    expect(store.privateKeys(USER.toLowerCase(), 'ds').slice(1)).toEqual(expect.arrayContaining([...zaz1]));
    expect(store.publicKeys(USER.toLowerCase(), 'ds')[0]?.equals(ds.publicKey)).toBe(true);
  });

  it('is refused beside its field when it is not a P-256 EC private key, and nothing is saved', async () => {
    const { dir, secrets } = await opened();
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    for (const [pem, reason] of [
      [pemOf('P-384'), /is an EC key on secp384r1, not a P-256 EC key: GBCS signs only with P-256/],
      [rsa, /is an RSA key, not a P-256 EC key/],
      ['-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n', /could not be read: paste the whole unencrypted PEM private key/],
    ] as const) {
      const refusal = await saveDccConnection(dir, secrets, { ...testConnectionInput(), userDigitalSigningKeyPem: pem }).catch((e: unknown) => e);
      expect(refusal).toBeInstanceOf(ConnectionFieldError);
      expect(refusal).toMatchObject({ field: 'userDigitalSigningKeyPem', message: expect.stringMatching(reason) });
    }
    expect(loadDccConnection(dir)).toBeUndefined();
  });

  it('a SMKI Device CA that is not a CA certificate is refused beside its own field', async () => {
    const { dir, secrets } = await opened();
    const refusal = await saveDccConnection(dir, secrets, { ...testConnectionInput(), smkiDeviceCaPem: testConnectionInput().userCertificatePem }).catch(
      (e: unknown) => e,
    );
    expect(refusal).toMatchObject({ field: 'smkiDeviceCaPem', message: expect.stringContaining('is not a CA certificate') });
    expect(loadDccConnection(dir)).toBeUndefined();
  });

  it('says where the signing key comes from without unsealing it', () => {
    expect(signingKeyOrigin({ userId: USER, testCredentials: false, userDigitalSigningKeyToken: 'sealed' })).toBe('secret-store');
    expect(signingKeyOrigin({ userId: '90-B3-D5-1F-30-01-00-00', testCredentials: true })).toBe('test-pki');
    // A ZAZ1 XML identity whose EUI has no ZAZ1 GBCS signing key, and a lab's own User without a key.
    expect(signingKeyOrigin({ userId: '90B3D51F30FFFF00', testCredentials: true })).toBe('none');
    expect(signingKeyOrigin({ userId: '00DB1234567800AA', testCredentials: false })).toBe('none');
  });
});
