import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

/**
 * A throw-away certificate authority for the DCC simulator's loopback TLS, made at start-up with node:crypto
 * alone (no openssl CLI, so it works on field laptops too). X.509 v3 in DER, ECDSA P-256 with SHA-256.
 * Only for 127.0.0.1/localhost: nothing here is trusted outside the process that asks for it.
 */

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, ...content: Buffer[]): Buffer => {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
};
const seq = (...items: Buffer[]): Buffer => tlv(0x30, ...items);
const set = (...items: Buffer[]): Buffer => tlv(0x31, ...items);
const explicit = (n: number, item: Buffer): Buffer => tlv(0xa0 + n, item);
function integer(bytes: Buffer): Buffer {
  let b = bytes;
  while (b.length > 1 && b[0] === 0 && b[1]! < 0x80) b = b.subarray(1);
  return tlv(0x02, b[0]! >= 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
}
function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [a! * 40 + b!];
  for (const part of rest) {
    const chunk: number[] = [];
    for (let v = part; ; v = Math.floor(v / 128)) {
      chunk.unshift((v % 128) | (chunk.length ? 0x80 : 0));
      if (v < 128) break;
    }
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}
const bool = (v: boolean): Buffer => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const octets = (b: Buffer): Buffer => tlv(0x04, b);
const bits = (b: Buffer): Buffer => tlv(0x03, Buffer.from([0]), b);
function utcTime(date: Date): Buffer {
  const s = date.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
  return tlv(0x17, Buffer.from(s, 'ascii'));
}
const name = (commonName: string): Buffer => seq(set(seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from(commonName, 'utf8')))));
/** CN, OU (remote party role) and x500UniqueIdentifier (BIT STRING of the EUI-64), as SMKI Organisation Certificates name their subject. */
const organisationName = (commonName: string, profile: { readonly eui: string; readonly role: string }): Buffer =>
  seq(
    set(seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from(commonName, 'utf8')))),
    set(seq(oid('2.5.4.11'), tlv(0x0c, Buffer.from(profile.role, 'utf8')))),
    set(seq(oid('2.5.4.45'), bits(Buffer.from(profile.eui.replace(/-/g, ''), 'hex')))),
  );
const extension = (id: string, critical: boolean, value: Buffer): Buffer => seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));
const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));

function keyId(publicKey: KeyObject): Buffer {
  return createHash('sha1')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest();
}

/** What a certificate is for: its key usage and extensions. */
export type CertificateProfile =
  /** A CA: basicConstraints cA, keyCertSign + cRLSign. */
  | { readonly kind: 'ca' }
  /** A loopback TLS server or client: digitalSignature, server/client auth, 127.0.0.1 and localhost. */
  | { readonly kind: 'tls' }
  /**
   * An SMKI Device Certificate (SMKI Device Certificate Policy, GBCS 4.3.2.x): empty subject, one critical key
   * usage (keyAgreement for ECDH, digitalSignature for ECDSA), the device's EUI-64 as the hwSerialNum of a
   * HardwareModuleName (RFC 4108) in a critical subjectAltName, and the policy OID.
   */
  | { readonly kind: 'smki-device'; readonly usage: 'keyAgreement' | 'digitalSignature'; readonly eui: string }
  /**
   * An SMKI Organisation Certificate (as the ZAZ1 test PKI's): the subject names the organisation by CN, its remote
   * party role code (OU, e.g. 02 supplier) and its EUI-64 (x500UniqueIdentifier); one critical key usage.
   */
  | { readonly kind: 'smki-organisation'; readonly usage: 'keyAgreement' | 'digitalSignature'; readonly eui: string; readonly role: string };

export interface CertificateSpec {
  /** Common name of the subject; ignored for SMKI device certificates (their subject is empty). */
  readonly subject: string;
  readonly issuer: string;
  readonly publicKey: KeyObject;
  readonly issuerKey: KeyObject;
  readonly issuerPublicKey: KeyObject;
  readonly profile: CertificateProfile;
  readonly validDays: number;
  /** Certificate serial (big-endian bytes); random 16 bytes when absent. */
  readonly serial?: Buffer;
}

/** SMKI device certificate policy OID, hwType of a GB smart-metering device. */
const SMKI_DEVICE_POLICY = '1.2.826.0.1.8641679.1.2.1.1';
const HW_MODULE_NAME = '1.3.6.1.5.5.7.8.4';

function profileExtensions(profile: CertificateProfile): Buffer[] {
  switch (profile.kind) {
    case 'ca':
      return [extension('2.5.29.19', true, seq(bool(true))), extension('2.5.29.15', true, bits(Buffer.from([0x06])))];
    case 'tls':
      return [
        extension('2.5.29.19', true, seq()),
        // digitalSignature for the server (ECDHE_ECDSA).
        extension('2.5.29.15', true, bits(Buffer.from([0x80]))),
        extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'), oid('1.3.6.1.5.5.7.3.2'))),
        extension('2.5.29.17', false, seq(tlv(0x87, Buffer.from([127, 0, 0, 1])), tlv(0x82, Buffer.from('localhost', 'ascii')))),
      ];
    case 'smki-organisation':
      return [extension('2.5.29.15', true, bits(profile.usage === 'keyAgreement' ? Buffer.from([0x08]) : Buffer.from([0x80])))];
    case 'smki-device': {
      // keyAgreement is bit 4 of KeyUsage, digitalSignature bit 0 (RFC 5280 4.2.1.3).
      const usage = profile.usage === 'keyAgreement' ? Buffer.from([0x08]) : Buffer.from([0x80]);
      // GeneralName otherName is [0] IMPLICIT: the tag replaces OtherName's SEQUENCE.
      const hwModule = tlv(0xa0, oid(HW_MODULE_NAME), explicit(0, seq(oid(SMKI_DEVICE_POLICY), octets(Buffer.from(profile.eui, 'hex')))));
      return [
        extension('2.5.29.15', true, bits(usage)),
        extension('2.5.29.32', true, seq(seq(oid(SMKI_DEVICE_POLICY)))),
        extension('2.5.29.17', true, seq(hwModule)),
      ];
    }
  }
}

/** Issues one X.509 v3 certificate (PEM) signed with the issuer's key. */
export function issueCertificate(options: CertificateSpec): string {
  const now = Date.now();
  const extensions = [
    ...profileExtensions(options.profile),
    extension('2.5.29.14', false, octets(keyId(options.publicKey))),
    extension('2.5.29.35', false, seq(tlv(0x80, keyId(options.issuerPublicKey)))),
  ];
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(options.serial ?? Buffer.concat([Buffer.from([0x01]), randomBytes(15)])),
    ECDSA_SHA256,
    name(options.issuer),
    seq(utcTime(new Date(now - 3_600_000)), utcTime(new Date(now + options.validDays * 86_400_000))),
    options.profile.kind === 'smki-device'
      ? seq()
      : options.profile.kind === 'smki-organisation'
        ? organisationName(options.subject, options.profile)
        : name(options.subject),
    options.publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, seq(...extensions)),
  );
  const signature = sign('sha256', tbs, options.issuerKey);
  const der = seq(tbs, ECDSA_SHA256, bits(signature));
  return `-----BEGIN CERTIFICATE-----\n${der
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** A self-signed CA certificate (PEM) for `keys`, named `name` as subject and issuer. */
export function issueCaCertificate(name: string, keys: { readonly publicKey: KeyObject; readonly privateKey: KeyObject }, validDays: number): string {
  return issueCertificate({
    subject: name,
    issuer: name,
    publicKey: keys.publicKey,
    issuerKey: keys.privateKey,
    issuerPublicKey: keys.publicKey,
    profile: { kind: 'ca' },
    validDays,
  });
}

export interface TestTlsMaterial {
  /** PEM of the CA: give it to the client as `ca`. */
  readonly caCert: string;
  /** Server certificate for 127.0.0.1 / localhost, and its key (PEM). */
  readonly cert: string;
  readonly key: string;
  /** A client certificate from the same CA, for mutual-TLS tests. */
  readonly clientCert: string;
  readonly clientKey: string;
}

/** Makes a fresh CA with a server and a client certificate, valid for a week. */
export function createTestTls(label = 'HAN Commissioner DCC simulator'): TestTlsMaterial {
  const ca = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const server = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const client = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const caName = `${label} test CA`;
  const issued = (subject: string, publicKey: KeyObject): string =>
    issueCertificate({
      subject,
      issuer: caName,
      publicKey,
      issuerKey: ca.privateKey,
      issuerPublicKey: ca.publicKey,
      profile: { kind: 'tls' },
      validDays: 7,
    });
  return {
    caCert: issueCaCertificate(caName, ca, 7),
    cert: issued('localhost', server.publicKey),
    key: server.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    clientCert: issued(`${label} test client`, client.publicKey),
    clientKey: client.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  };
}
