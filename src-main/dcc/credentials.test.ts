import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileSecretStore } from '../secrets/file-secret-store';
import { createTestTls } from './emulator/test-ca';
import {
  certificateIssuerRfc2253,
  certificateSerialDecimal,
  isTestCertificate,
  secretStoreKeyProvider,
  testDccCredentials,
  testUserCredentials,
} from './credentials';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('DUIS signing credentials', () => {
  it('loads the ZAZ1 test User and DCC identities with the KeyInfo names DCC’s tool uses', () => {
    const user = testUserCredentials();
    expect(certificateIssuerRfc2253(user.certificate)).toBe('CN=Z1,OU=07');
    expect(certificateSerialDecimal(user.certificate)).toBe('27572613927499351639968579586655397031');
    expect(certificateSerialDecimal(testDccCredentials().certificate)).toBe('167048897159233642262001557408276884033');
    expect(user.certificate.checkPrivateKey(user.privateKey)).toBe(true);
  });

  it('never serialises the private key', () => {
    const text = JSON.stringify({ credentials: testUserCredentials() });
    expect(text).not.toMatch(/PRIVATE|privateKey/);
    expect(JSON.parse(text)).toEqual({ credentials: { userId: '90-B3-D5-1F-30-01-00-00', certificateSerial: expect.any(String), testCredentials: true } });
  });

  it('takes the key from the secret store and flags test certificates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'han-cred-'));
    dirs.push(dir);
    const store = await FileSecretStore.open(dir);
    const user = testUserCredentials();
    const token = await store.encrypt(user.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    expect(token).not.toContain('PRIVATE');
    const provider = secretStoreKeyProvider(store, { userId: '90B3D51F30010000', certificatePem: user.certificate.toString(), privateKeyToken: token });
    const loaded = await provider();
    expect(loaded).toMatchObject({ userId: '90-B3-D5-1F-30-01-00-00', testCredentials: true });

    const own = createTestTls('lab');
    expect(isTestCertificate(new X509Certificate(own.clientCert))).toBe(false);
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const mismatched = secretStoreKeyProvider(store, {
      userId: '90B3D51F30010000',
      certificatePem: user.certificate.toString(),
      privateKeyToken: await store.encrypt(other),
    });
    await expect(mismatched()).rejects.toThrow(/does not match its certificate/);
  });
});
