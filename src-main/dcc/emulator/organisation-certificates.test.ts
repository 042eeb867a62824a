import { generateKeyPairSync, sign, X509Certificate } from 'node:crypto';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { signatureMatches } from '../gbcs/crypto';
import { createOrganisationCertificates, organisationEntityId, readOrganisationCertificate } from './organisation-certificates';
import { labOrganisation } from './organisation-certificates.test-support';
import { createTestTls, issueCertificate } from './test-ca';

const keystore = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('@smartdcc/dccboxed-keystore/keystore.json'), 'utf8')) as Record<
  string,
  Record<string, Record<string, { certificate?: string; name?: string }>>
>;
const z1SupplierDs = Object.values(keystore['90b3d51f30010000']!.digitalSignature!).find((e) => e.name === 'Z1-supplier-ds')!.certificate!;

describe('SMKI Organisation Certificates the simulated DCC trusts', () => {
  it('reads the organisation’s EUI-64 from the subject’s x500UniqueIdentifier, as the ZAZ1 certificates carry it', () => {
    expect(organisationEntityId(new X509Certificate(z1SupplierDs))).toBe('90B3D51F30010000');
    expect(organisationEntityId(new X509Certificate(labOrganisation('00DB1234567800AA').certificatePem))).toBe('00DB1234567800AA');
  });

  it('refuses a certificate that names no organisation, one that is not a certificate, and a key that is not P-256', () => {
    expect(() => readOrganisationCertificate(createTestTls().caCert)).toThrow(/names no organisation.*x500UniqueIdentifier/);
    expect(() => readOrganisationCertificate('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')).toThrow(/not a PEM certificate/);
    const ca = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const p384 = issueCertificate({
      subject: 'P-384 supplier',
      issuer: 'Lab CA',
      publicKey: generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey,
      issuerKey: ca.privateKey,
      issuerPublicKey: ca.publicKey,
      profile: { kind: 'smki-organisation', usage: 'digitalSignature', eui: '00DB1234567800AA', role: '02' },
      validDays: 1,
    });
    expect(() => readOrganisationCertificate(p384)).toThrow(/not a P-256 EC key/);
  });

  it('answers with ZAZ1’s key until the organisation registers its own, then with the registered key only', () => {
    const organisations = createOrganisationCertificates();
    const lab = labOrganisation('90B3D51F30010000');
    const data = Buffer.from('pre-command');
    const byLab = sign('sha256', data, { key: lab.privateKey, dsaEncoding: 'ieee-p1363' });
    const zaz1 = organisations.signingKeys('90-B3-D5-1F-30-01-00-00');
    expect(zaz1.length).toBeGreaterThan(0);
    expect(zaz1.some((k) => signatureMatches(k, data, byLab))).toBe(false);

    expect(organisations.register(lab.certificatePem)).toBe('90B3D51F30010000');
    const registered = organisations.signingKeys('90-B3-D5-1F-30-01-00-00');
    expect(registered).toHaveLength(1);
    expect(signatureMatches(registered[0]!, data, byLab)).toBe(true);
    // Another organisation is untouched; one nobody knows has no key at all.
    expect(organisations.signingKeys('90B3D51F30030000').length).toBeGreaterThan(0);
    expect(organisations.signingKeys('00DB12345678FFFF')).toEqual([]);
  });
});
