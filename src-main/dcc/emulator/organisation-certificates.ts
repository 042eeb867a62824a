import { X509Certificate, type KeyObject } from 'node:crypto';
import { readAsn1, type Asn1Node } from '../gbcs/asn1';
import { ByteReader } from '../gbcs/bytes';
import { zaz1KeyStore } from '../gbcs/keys';

/**
 * The organisations' GBCS digital-signing certificates the simulated DCC checks pre-commands against, as a DCC
 * does with the User's Organisation Certificate in SMKI: the public ZAZ1 test organisations (what DCC Boxed
 * ships), plus certificates a test lab registers for its own User (`hantool sim --organisation-certificate`).
 * Once an organisation has a registered certificate, only registered ones count for it: its ZAZ1 test key (if
 * it has one) no longer signs for it, as SMKI would know only the lab's certificate.
 */
export interface OrganisationCertificates {
  /** Registers one SMKI Organisation Certificate (PEM); returns the organisation's EUI-64 (16 upper-case hex). */
  register(pem: string): string;
  /** The organisation's digital-signing public keys (EUI-64 in any form). */
  signingKeys(eui: string): readonly KeyObject[];
}

/** x500UniqueIdentifier (X.520, 2.5.4.45): where an SMKI Organisation Certificate names its entity's EUI-64. */
const UNIQUE_IDENTIFIER_OID = '55042D';

/** The EUI-64 an SMKI Organisation Certificate is for (its subject's x500UniqueIdentifier), 16 upper-case hex. */
export function organisationEntityId(certificate: X509Certificate): string {
  const root = readAsn1(new ByteReader(certificate.raw));
  const tbs = root.children?.[0]?.children ?? [];
  const versioned = tbs[0]?.tagClass === 'context' ? 1 : 0;
  const subject: readonly Asn1Node[] = tbs[versioned + 4]?.children ?? [];
  for (const attribute of subject.flatMap((set) => set.children ?? [])) {
    const [type, value] = attribute.children ?? [];
    if (type?.hex?.toUpperCase() !== UNIQUE_IDENTIFIER_OID) continue;
    // A BIT STRING (tag 3) with no unused bits: 00 then the 8 bytes of the EUI-64.
    if (value?.tag === 3 && value.hex?.length === 18 && value.hex.startsWith('00')) return value.hex.slice(2).toUpperCase();
  }
  throw new Error('the certificate names no organisation: an SMKI Organisation Certificate carries the EUI-64 as x500UniqueIdentifier in its subject');
}

/** Reads an SMKI Organisation Certificate: the organisation's EUI-64 and its P-256 public key, or throws the reason. */
export function readOrganisationCertificate(pem: string): { readonly eui: string; readonly publicKey: KeyObject } {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch {
    throw new Error('not a PEM certificate');
  }
  if (certificate.publicKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') throw new Error('its key is not a P-256 EC key, and GBCS organisation keys are');
  return { eui: organisationEntityId(certificate), publicKey: certificate.publicKey };
}

export function createOrganisationCertificates(): OrganisationCertificates {
  const registered = new Map<string, KeyObject[]>();
  const compact = (eui: string): string => eui.replace(/-/g, '').toUpperCase();
  return {
    register(pem) {
      const { eui, publicKey } = readOrganisationCertificate(pem);
      const keys = registered.get(eui) ?? [];
      if (!keys.some((k) => k.equals(publicKey))) keys.push(publicKey);
      registered.set(eui, keys);
      return eui;
    },
    signingKeys(eui) {
      return registered.get(compact(eui)) ?? zaz1KeyStore().publicKeys(compact(eui).toLowerCase(), 'ds');
    },
  };
}
