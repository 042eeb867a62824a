import { X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import { Certificate as Asn1Certificate, type AltName } from 'pkijs';
import { compactEui, toDuisEui } from './eui';
import type { KeyUsage } from './gbcs/keys';

/**
 * The checks an SMKI Device Certificate must pass before its key decides a GBCS verdict (SMKI Device Certificate
 * Policy; GBCS 4.3.2): issued and signed by an SMKI Device CA the engineer trusts, within its validity (and the
 * CA within its own), a P-256 key, exactly the one key usage its role needs (keyAgreement for ka, digitalSignature
 * for ds), and the device's EUI-64 as the hwSerialNum of the HardwareModuleName in its subjectAltName. A failure
 * says why in an engineer's words; the certificate is then never used.
 */
export type CertificateCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const KEY_USAGE = '2.5.29.15';
const SUBJECT_ALT_NAME = '2.5.29.17';
const HARDWARE_MODULE_NAME = '1.3.6.1.5.5.7.8.4';
/** KeyUsage bits (RFC 5280 4.2.1.3) as the first byte of the BIT STRING: digitalSignature bit 0, keyAgreement bit 4. */
const USAGE_BITS: Record<KeyUsage, number> = { ds: 0x80, ka: 0x08 };
/** How a key usage is said to an engineer. */
export const USAGE_NAME: Readonly<Record<KeyUsage, string>> = { ds: 'digital signing', ka: 'key agreement' };

const day = (iso: string): string => new Date(iso).toISOString().slice(0, 10);

/** What an SMKI Device Certificate says of itself: the device it names and the key usage it allows. */
export interface DeviceCertificateProfile {
  /** 16 upper-case hex digits, or undefined when the certificate names no device. */
  readonly eui?: string;
  readonly usage?: KeyUsage;
}

export function deviceCertificateProfile(certificate: X509Certificate): DeviceCertificateProfile {
  const parsed = Asn1Certificate.fromBER(certificate.raw);
  let eui: string | undefined;
  let usage: KeyUsage | undefined;
  for (const extension of parsed.extensions ?? []) {
    if (extension.extnID === KEY_USAGE) {
      const bits = new Uint8Array((extension.parsedValue as asn1js.BitString).valueBlock.valueHexView);
      const first = bits[0] ?? 0;
      const rest = bits.subarray(1).some((b) => b !== 0);
      if (!rest) usage = first === USAGE_BITS.ds ? 'ds' : first === USAGE_BITS.ka ? 'ka' : undefined;
    }
    if (extension.extnID === SUBJECT_ALT_NAME) eui = hardwareModuleSerial((extension.parsedValue as AltName).altNames);
  }
  return { ...(eui ? { eui } : {}), ...(usage ? { usage } : {}) };
}

/** The hwSerialNum of an otherName HardwareModuleName (RFC 4108), when it is an 8-byte EUI-64. */
function hardwareModuleSerial(names: readonly { type: number; value: unknown }[]): string | undefined {
  for (const name of names) {
    // otherName is [0] IMPLICIT OtherName: type-id OID, then [0] EXPLICIT HardwareModuleName { hwType, hwSerialNum }.
    if (name.type !== 0 || !(name.value instanceof asn1js.Constructed)) continue;
    const [typeId, explicitValue] = name.value.valueBlock.value;
    if (!(typeId instanceof asn1js.ObjectIdentifier) || typeId.valueBlock.toString() !== HARDWARE_MODULE_NAME) continue;
    const moduleName = explicitValue instanceof asn1js.Constructed ? explicitValue.valueBlock.value[0] : undefined;
    const serial = moduleName instanceof asn1js.Sequence ? moduleName.valueBlock.value[1] : undefined;
    if (!(serial instanceof asn1js.OctetString)) continue;
    const bytes = Buffer.from(serial.valueBlock.valueHexView);
    if (bytes.length === 8) return bytes.toString('hex').toUpperCase();
  }
  return undefined;
}

/**
 * The SMKI Device CA certificates an engineer trusts, from a PEM bundle (an issuing CA, optionally with its root).
 * Throws, in an engineer's words, when the text holds no certificate or one that is not a CA.
 */
export function parseDeviceCaBundle(pem: string): readonly X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new Error('the SMKI Device CA field holds no PEM certificate');
  return blocks.map((block, i) => {
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(block);
    } catch {
      throw new Error(`certificate ${i + 1} in the SMKI Device CA field cannot be read`);
    }
    if (!certificate.ca) throw new Error(`certificate ${i + 1} in the SMKI Device CA field is not a CA certificate (${certificate.subject || 'no subject'})`);
    return certificate;
  });
}

/** Checks one certificate fetched from SMKI (or read back from the cache) for `eui`'s `usage` key. */
export function checkDeviceCertificate(
  certificate: X509Certificate,
  expected: { readonly eui: string; readonly usage: KeyUsage },
  anchors: readonly X509Certificate[],
  now: Date = new Date(),
): CertificateCheck {
  const refuse = (why: string): CertificateCheck => ({
    ok: false,
    reason: `SMKI's ${USAGE_NAME[expected.usage]} certificate for ${toDuisEui(expected.eui)} ${why}`,
  });
  if (anchors.length === 0) return refuse('cannot be checked: no SMKI Device CA certificate is set for this connection');
  const issuer = anchors.find((ca) => certificate.checkIssued(ca));
  if (!issuer) return refuse(`was not issued by the SMKI Device CA you trust (its issuer is ${certificate.issuer.replace(/\n/g, ', ') || 'unnamed'})`);
  if (!certificate.verify(issuer.publicKey)) return refuse("has a signature that does not verify with the SMKI Device CA's key");
  if (now < new Date(certificate.validFrom)) return refuse(`is not valid until ${day(certificate.validFrom)}`);
  if (now > new Date(certificate.validTo)) return refuse(`expired on ${day(certificate.validTo)}`);
  if (now < new Date(issuer.validFrom) || now > new Date(issuer.validTo))
    return refuse(`was issued by an SMKI Device CA whose certificate is valid only from ${day(issuer.validFrom)} to ${day(issuer.validTo)}`);
  const key = certificate.publicKey.asymmetricKeyDetails;
  if (certificate.publicKey.asymmetricKeyType !== 'ec' || key?.namedCurve !== 'prime256v1') return refuse('does not hold a P-256 key');
  let profile: DeviceCertificateProfile;
  try {
    profile = deviceCertificateProfile(certificate);
  } catch {
    return refuse('has extensions that cannot be read');
  }
  if (profile.usage !== expected.usage)
    return refuse(`is not for ${USAGE_NAME[expected.usage]} alone (its key usage says ${profile.usage ? USAGE_NAME[profile.usage] : 'otherwise'})`);
  if (!profile.eui) return refuse('names no device');
  if (profile.eui !== compactEui(expected.eui)) return refuse(`names another device, ${toDuisEui(profile.eui)}`);
  return { ok: true };
}
