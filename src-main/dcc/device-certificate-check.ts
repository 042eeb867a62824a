import { X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
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
  return remember(profiles, certificate.fingerprint256, () => readProfile(certificate));
}

// A kept certificate is checked again on every read: what depends on its bytes alone (its extensions, whether a CA
// signed it) is worked out once per certificate and remembered, bounded.
const MEMO_LIMIT = 4096;
const profiles = new Map<string, DeviceCertificateProfile>();
const signatures = new Map<string, boolean>();
function remember<T>(memo: Map<string, T>, key: string, make: () => T): T {
  const known = memo.get(key);
  if (known !== undefined) return known;
  if (memo.size >= MEMO_LIMIT) memo.clear();
  const made = make();
  memo.set(key, made);
  return made;
}

function readProfile(certificate: X509Certificate): DeviceCertificateProfile {
  let eui: string | undefined;
  let usage: KeyUsage | undefined;
  for (const { id, value } of extensions(certificate.raw)) {
    if (id === KEY_USAGE && value instanceof asn1js.BitString) {
      const bits = new Uint8Array(value.valueBlock.valueHexView);
      const first = bits[0] ?? 0;
      const rest = bits.subarray(1).some((b) => b !== 0);
      if (!rest) usage = first === USAGE_BITS.ds ? 'ds' : first === USAGE_BITS.ka ? 'ka' : undefined;
    }
    if (id === SUBJECT_ALT_NAME && value instanceof asn1js.Sequence) eui = hardwareModuleSerial(value.valueBlock.value);
  }
  return { ...(eui ? { eui } : {}), ...(usage ? { usage } : {}) };
}

/** The certificate's extensions (RFC 5280 4.1: tbsCertificate [3] EXPLICIT Extensions), each value decoded. */
function extensions(der: Buffer): { id: string; value: asn1js.AsnType }[] {
  const certificate = asn1js.fromBER(new Uint8Array(der)).result;
  const tbs = certificate instanceof asn1js.Sequence ? certificate.valueBlock.value[0] : undefined;
  if (!(tbs instanceof asn1js.Sequence)) return [];
  const tagged = tbs.valueBlock.value.find((item) => item.idBlock.tagClass === 3 && item.idBlock.tagNumber === 3);
  const list = tagged instanceof asn1js.Constructed ? tagged.valueBlock.value[0] : undefined;
  if (!(list instanceof asn1js.Sequence)) return [];
  return list.valueBlock.value.flatMap((extension) => {
    if (!(extension instanceof asn1js.Sequence)) return [];
    const [id, ...rest] = extension.valueBlock.value;
    const octets = rest.at(-1);
    if (!(id instanceof asn1js.ObjectIdentifier) || !(octets instanceof asn1js.OctetString)) return [];
    return [{ id: id.valueBlock.toString(), value: asn1js.fromBER(octets.valueBlock.valueHexView).result }];
  });
}

/** The hwSerialNum of an otherName HardwareModuleName (RFC 4108), when it is an 8-byte EUI-64. */
function hardwareModuleSerial(names: readonly asn1js.AsnType[]): string | undefined {
  for (const name of names) {
    // otherName is [0] IMPLICIT OtherName: type-id OID, then [0] EXPLICIT HardwareModuleName { hwType, hwSerialNum }.
    if (!(name instanceof asn1js.Constructed) || name.idBlock.tagClass !== 3 || name.idBlock.tagNumber !== 0) continue;
    const [typeId, explicitValue] = name.valueBlock.value;
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
  if (!remember(signatures, `${certificate.fingerprint256} ${issuer.fingerprint256}`, () => certificate.verify(issuer.publicKey)))
    return refuse("has a signature that does not verify with the SMKI Device CA's key");
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
