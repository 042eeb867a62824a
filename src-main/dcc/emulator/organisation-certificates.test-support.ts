import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { issueCertificate } from './test-ca';

/** A lab's own User: a fresh GBCS digital-signing key pair and its SMKI Organisation Certificate (supplier role). */
export function labOrganisation(eui: string): { readonly privateKey: KeyObject; readonly privateKeyPem: string; readonly certificatePem: string } {
  const ca = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const certificatePem = issueCertificate({
    subject: 'LAB TEST SUPPLIER',
    issuer: 'Lab SMKI Organisation CA',
    publicKey,
    issuerKey: ca.privateKey,
    issuerPublicKey: ca.publicKey,
    profile: { kind: 'smki-organisation', usage: 'digitalSignature', eui, role: '02' },
    validDays: 7,
  });
  return { privateKey, privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, certificatePem };
}
