import { createPrivateKey, X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import type { SecretStore } from '../secrets/secret-store';
import { readFileIfExists, writeFileAtomicSync } from '../store/atomic-file';
import { dccConnectionInput } from '../../src-shared/ipc/channels/dcc';
import { isTestCertificate, secretStoreKeyProvider, testDccCredentials, type KeyProvider, type TrustedSigners } from './credentials';
import { parseDeviceCaBundle } from './device-certificate-check';
import { gbcsKeySource, type GbcsKeySource } from './gbcs/key-source';
import type { SmkiEndpoint } from './smki-client';
import { toDuisEui } from './eui';
import type { DccTransportConfig } from './transport';
import { checkField, checkUserDigitalSigningKey } from './user-signing-key';

/**
 * A configured DCC endpoint (DCC Boxed, a test lab): where to send, who we are, whom to trust. Private keys are
 * kept only as secret-store tokens; the file itself holds nothing secret.
 */
export interface StoredDccConnection {
  readonly baseUrl: string;
  readonly smkiUrl?: string;
  /** Trust anchors for device certificates fetched from SMKI (PEM, one or more). */
  readonly smkiDeviceCaPem?: string;
  readonly userId: string;
  readonly dccId: string;
  readonly caPem?: string;
  readonly userCertificatePem: string;
  readonly userKeyToken: string;
  /** The User's GBCS key-agreement private key, sealed (absent: encrypted device responses cannot be opened). */
  readonly userKeyAgreementKeyToken?: string;
  /** The User's GBCS digital-signing private key, sealed (absent: critical requests cannot be signed, unless ZAZ1). */
  readonly userDigitalSigningKeyToken?: string;
  readonly clientCertPem?: string;
  readonly clientKeyToken?: string;
  /** The certificate DCC responses must be signed with; DCC Boxed uses the ZAZ1 test DSP certificate. */
  readonly dccCertificatePem: string;
  /** Receive-response listener port (0 = chosen by the system) and host (loopback unless set). */
  readonly listenerPort: number;
  readonly listenerHost: string;
}

const FILE = 'connection.json';
/** Known device certificates for GBCS checks, inside the DCC folder of the data folder. */
export const DEVICE_CERTIFICATES = 'device-certificates';

/** Checks the input and seals the keys with the secret store; nothing is written yet. */
export async function prepareDccConnection(secrets: Pick<SecretStore, 'encrypt'>, input: unknown): Promise<StoredDccConnection> {
  const c = dccConnectionInput.parse(input);
  const certificate = new X509Certificate(c.userCertificatePem);
  if (!certificate.checkPrivateKey(createPrivateKey(c.userPrivateKeyPem))) throw new Error('the private key does not belong to the User certificate');
  if (c.userDigitalSigningKeyPem) checkUserDigitalSigningKey(c.userDigitalSigningKeyPem);
  if (c.smkiDeviceCaPem) checkField('smkiDeviceCaPem', () => parseDeviceCaBundle(c.smkiDeviceCaPem!));
  const stored: StoredDccConnection = {
    baseUrl: c.baseUrl,
    ...(c.smkiUrl ? { smkiUrl: c.smkiUrl } : {}),
    ...(c.smkiDeviceCaPem ? { smkiDeviceCaPem: c.smkiDeviceCaPem } : {}),
    userId: toDuisEui(c.userId),
    dccId: toDuisEui(c.dccId),
    ...(c.caPem ? { caPem: c.caPem } : {}),
    userCertificatePem: c.userCertificatePem,
    userKeyToken: await secrets.encrypt(c.userPrivateKeyPem),
    ...(c.userKeyAgreementKeyPem ? { userKeyAgreementKeyToken: await secrets.encrypt(c.userKeyAgreementKeyPem) } : {}),
    ...(c.userDigitalSigningKeyPem ? { userDigitalSigningKeyToken: await secrets.encrypt(c.userDigitalSigningKeyPem) } : {}),
    ...(c.clientCertPem && c.clientKeyPem ? { clientCertPem: c.clientCertPem, clientKeyToken: await secrets.encrypt(c.clientKeyPem) } : {}),
    dccCertificatePem: c.dccCertificatePem ?? testDccCredentials().certificate.toString(),
    listenerPort: c.listenerPort,
    listenerHost: c.listenerHost,
  };
  return stored;
}

/** Writes a prepared connection atomically. */
export function writeDccConnection(dir: string, stored: StoredDccConnection): void {
  writeFileAtomicSync(join(dir, FILE), JSON.stringify(stored, null, 2) + '\n');
}

/** Checks the input, seals the keys with the secret store and writes the connection file atomically. */
export async function saveDccConnection(dir: string, secrets: Pick<SecretStore, 'encrypt'>, input: unknown): Promise<StoredDccConnection> {
  const stored = await prepareDccConnection(secrets, input);
  writeDccConnection(dir, stored);
  return stored;
}

const storedSchema = z.object({
  baseUrl: z.string(),
  userId: z.string(),
  dccId: z.string(),
  caPem: z.string().optional(),
  smkiUrl: z.string().optional(),
  smkiDeviceCaPem: z.string().optional(),
  userCertificatePem: z.string(),
  userKeyToken: z.string(),
  userKeyAgreementKeyToken: z.string().optional(),
  userDigitalSigningKeyToken: z.string().optional(),
  clientCertPem: z.string().optional(),
  clientKeyToken: z.string().optional(),
  dccCertificatePem: z.string(),
  listenerPort: z.number().int().min(0).max(65_535),
  listenerHost: z.string(),
});

/** The saved connection; a file that is not one (hand-edited, truncated) is an error with a reason, never a crash. */
export function loadDccConnection(dir: string): StoredDccConnection | undefined {
  const text = readFileIfExists(join(dir, FILE));
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error('the saved connection file is not valid JSON');
  }
  const parsed = storedSchema.safeParse(json);
  if (!parsed.success) throw new Error(`the saved connection file is incomplete (${parsed.error.issues.map((i) => i.path.join('.')).join(', ')})`);
  return parsed.data as StoredDccConnection;
}

/** Turns a stored connection into what the gateway needs, unsealing the TLS client key now (signing keys on use). */
export async function connectionParts(
  stored: StoredDccConnection,
  secrets: Pick<SecretStore, 'decrypt'>,
  /** The DCC folder: device certificates are kept in its `device-certificates` (`<eui>-ka.pem`, `<eui>-ds.pem`). */
  certificatesRoot: string,
  /**
   * Where device certificates the folder lacks are looked up, and the SMKI Device CA they must come from when the
   * connection names none (the training simulator's own).
   */
  smki?: { readonly endpoint: SmkiEndpoint; readonly deviceCa?: readonly X509Certificate[] },
): Promise<{ keys: KeyProvider; transport: DccTransportConfig; signers: TrustedSigners; gbcsKeys: GbcsKeySource }> {
  const transport: DccTransportConfig = {
    baseUrl: stored.baseUrl,
    ...(stored.caPem ? { ca: stored.caPem } : {}),
    ...(stored.clientCertPem && stored.clientKeyToken ? { clientCert: stored.clientCertPem, clientKey: await secrets.decrypt(stored.clientKeyToken) } : {}),
  };
  // SMKI on the same host speaks the same TLS as the DUIS endpoint (a lab that asks for client certificates asks there too).
  const smkiTls = transport.clientCert && transport.clientKey ? { clientCert: transport.clientCert, clientKey: transport.clientKey } : {};
  return {
    gbcsKeys: gbcsKeySource({
      certificatesDir: join(certificatesRoot, DEVICE_CERTIFICATES),
      testCredentials: isTestCertificate(new X509Certificate(stored.userCertificatePem)),
      ...(smki ? { smki: { ...smki.endpoint, ...smkiTls } } : {}),
      smkiDeviceCa: stored.smkiDeviceCaPem ? parseDeviceCaBundle(stored.smkiDeviceCaPem) : (smki?.deviceCa ?? []),
      ...(stored.userKeyAgreementKeyToken || stored.userDigitalSigningKeyToken
        ? {
            user: {
              userId: stored.userId,
              ...(stored.userKeyAgreementKeyToken ? { keyAgreementKeyToken: stored.userKeyAgreementKeyToken } : {}),
              ...(stored.userDigitalSigningKeyToken ? { digitalSigningKeyToken: stored.userDigitalSigningKeyToken } : {}),
              secrets,
            },
          }
        : {}),
    }),
    keys: secretStoreKeyProvider(secrets, { userId: stored.userId, certificatePem: stored.userCertificatePem, privateKeyToken: stored.userKeyToken }),
    transport,
    signers: { certificates: [new X509Certificate(stored.dccCertificatePem)] },
  };
}
