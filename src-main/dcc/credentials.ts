import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { SecretStore } from '../secrets/secret-store';
import { toDuisEui } from './eui';

/**
 * What signing a DUIS request needs: the User's XML-signing private key and its SMKI organisation certificate
 * (whose issuer and serial go into KeyInfo). Keys never leave this object except into node:crypto; `toJSON`
 * keeps them out of logs and IPC.
 */
export interface DuisSigningCredentials {
  /** The DCC User ID (originator EUI-64) the certificate belongs to, DUIS form. */
  readonly userId: string;
  readonly privateKey: KeyObject;
  readonly certificate: X509Certificate;
  /** True for the public ZAZ1 test PKI: the UI and CLI must say so. */
  readonly testCredentials: boolean;
}

/**
 * The injected source of signing keys. The app passes one backed by its secret store; tests, the simulator
 * and the CLI use `testKeyProvider`. Asynchronous because a secret store may prompt or decrypt.
 */
export type KeyProvider = () => Promise<DuisSigningCredentials>;

/** Certificates trusted to sign responses (the DCC's), looked up by decimal serial number. */
export interface TrustedSigners {
  readonly certificates: readonly X509Certificate[];
}

/** DCC Boxed's test User (import supplier) and the DCC (ACB/DSP) identity, from the public ZAZ1 test PKI. */
export const TEST_USER_ID = '90-B3-D5-1F-30-01-00-00';
export const TEST_DCC_ID = '90-B3-D5-1F-30-00-00-02';

interface KeystoreEntry {
  role?: number;
  certificate?: string;
  privateKey?: string;
  name?: string;
}
type Keystore = Record<string, Record<string, Record<string, KeystoreEntry>>>;

let keystoreCache: Keystore | undefined;
function keystore(): Keystore {
  if (!keystoreCache) {
    // The ZAZ1 test PKI as shipped by @smartdcc/dccboxed-keystore (public test material, GPL-3.0-or-later).
    const path = createRequire(import.meta.url).resolve('@smartdcc/dccboxed-keystore/keystore.json');
    keystoreCache = JSON.parse(readFileSync(path, 'utf8')) as Keystore;
  }
  return keystoreCache;
}

/** Finds a ZAZ1 XML-signing entry by its keystore name, e.g. `xml-sign-90B3D51F30010000-ds`. */
function testEntry(eui: string, name: string): KeystoreEntry {
  const entries = keystore()[eui.replace(/-/g, '').toLowerCase()]?.digitalSignature ?? {};
  const entry = Object.values(entries).find((e) => e.name === name);
  if (!entry?.certificate || !entry.privateKey) throw new Error(`test credential ${name} not found in the ZAZ1 keystore`);
  return entry;
}

function credentialsFrom(userId: string, entry: KeystoreEntry): DuisSigningCredentials {
  const privateKey = createPrivateKey(entry.privateKey!);
  const certificate = new X509Certificate(entry.certificate!);
  return {
    userId: toDuisEui(userId),
    privateKey,
    certificate,
    testCredentials: true,
    toJSON: () => ({ userId: toDuisEui(userId), certificateSerial: certificate.serialNumber, testCredentials: true }),
  } as DuisSigningCredentials;
}

/** The DCC Boxed test User's XML-signing credentials (what DCC's own signing tool uses for this User ID). */
export function testUserCredentials(): DuisSigningCredentials {
  return credentialsFrom(TEST_USER_ID, testEntry(TEST_USER_ID, 'xml-sign-90B3D51F30010000-ds'));
}

/** The DCC's XML-signing credentials in the test PKI: the simulator signs responses with them. */
export function testDccCredentials(): DuisSigningCredentials {
  return credentialsFrom(TEST_DCC_ID, testEntry(TEST_DCC_ID, 'dsp-xml-sign-90B3D51F30000002-ds'));
}

export const testKeyProvider: KeyProvider = async () => testUserCredentials();

/** The DCC certificate that test-PKI responses must be signed with. */
export function testDccSigners(): TrustedSigners {
  return { certificates: [testDccCredentials().certificate] };
}

/** Decimal serial number, as DUIS KeyInfo carries it. */
export function certificateSerialDecimal(certificate: X509Certificate): string {
  return BigInt('0x' + certificate.serialNumber).toString(10);
}

/** RFC 2253 issuer name (most specific RDN first), e.g. `CN=Z1,OU=07`, as DCC's signing tool writes it. */
export function certificateIssuerRfc2253(certificate: X509Certificate): string {
  return certificate.issuer
    .split('\n')
    .reverse()
    .map((rdn) => rdn.replace(/([,+"\\<>;])/g, '\\$1'))
    .join(',');
}

/** True when the certificate belongs to the public ZAZ1 test PKI shipped with DCC Boxed (never for production). */
export function isTestCertificate(certificate: X509Certificate): boolean {
  const serial = certificateSerialDecimal(certificate);
  return Object.values(keystore()).some((usages) => Object.values(usages).some((entries) => serial in entries));
}

/** How a configured signing key is kept: the private key only as a secret-store token. */
export interface StoredSigningKey {
  readonly userId: string;
  readonly certificatePem: string;
  /** `SecretStore.encrypt` of the PKCS#8 PEM private key. */
  readonly privateKeyToken: string;
}

/**
 * The app's KeyProvider: decrypts the User's key from the secret store each time it is needed (so it is not
 * held in memory between requests) and flags ZAZ1 test certificates so the UI can warn.
 */
export function secretStoreKeyProvider(store: Pick<SecretStore, 'decrypt'>, stored: StoredSigningKey): KeyProvider {
  const certificate = new X509Certificate(stored.certificatePem);
  const userId = toDuisEui(stored.userId);
  return async () => {
    const privateKey = createPrivateKey(await store.decrypt(stored.privateKeyToken));
    if (!certificate.checkPrivateKey(privateKey)) throw new Error('the stored DCC signing key does not match its certificate');
    const testCredentials = isTestCertificate(certificate);
    return {
      userId,
      privateKey,
      certificate,
      testCredentials,
      toJSON: () => ({ userId, certificateSerial: certificate.serialNumber, testCredentials }),
    } as DuisSigningCredentials;
  };
}
