import {
  createHash,
  createPrivateKey,
  createPublicKey,
  KeyObject,
  sign as cryptoSign,
  verify as cryptoVerify,
  type BinaryLike,
  type KeyLike,
  type X509Certificate,
} from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import { C14nCanonicalization, ExclusiveCanonicalization, findAncestorNs, SignedXml } from 'xml-crypto';
import { screenDuisXml } from './duis-xml-screen';
import { certificateIssuerRfc2253, certificateSerialDecimal, type DuisSigningCredentials, type TrustedSigners } from './credentials';

/** Algorithm URIs DUIS requires (and the only ones we accept on responses). */
export const DS_NS = 'http://www.w3.org/2000/09/xmldsig#';
export const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
export const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
export const ECDSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256';
export const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';

function asKeyObject(key: KeyLike, kind: 'private' | 'public'): KeyObject {
  if (key instanceof KeyObject) return key;
  return kind === 'private' ? createPrivateKey(key) : createPublicKey(key);
}

type Callback<T> = (error: Error | null, value?: T) => void;

/**
 * ECDSA-SHA256 for xml-crypto, which ships no ECDSA. XMLDSig (RFC 4051) carries the raw r‖s pair, not DER, so
 * node:crypto runs with `dsaEncoding: 'ieee-p1363'`. Base64 from other signers may be line-wrapped (DCC's Java
 * tool inserts `&#13;\n`), hence the whitespace strip.
 */
class EcdsaSha256 {
  getSignature(signedInfo: BinaryLike, privateKey: KeyLike, callback?: Callback<string>): string {
    const value = cryptoSign('sha256', Buffer.from(signedInfo as string), { key: asKeyObject(privateKey, 'private'), dsaEncoding: 'ieee-p1363' }).toString(
      'base64',
    );
    callback?.(null, value);
    return value;
  }
  verifySignature(material: string, key: KeyLike, signatureValue: string, callback?: Callback<boolean>): boolean {
    const signature = Buffer.from(signatureValue.replace(/\s+/g, ''), 'base64');
    const ok = cryptoVerify('sha256', Buffer.from(material), { key: asKeyObject(key, 'public'), dsaEncoding: 'ieee-p1363' }, signature);
    callback?.(null, ok);
    return ok;
  }
  getAlgorithmName(): string {
    return ECDSA_SHA256;
  }
}

/**
 * Signs a DUIS document as DUIS requires: enveloped XMLDSig appended to the root, exclusive C14N, ECDSA-SHA256,
 * SHA-256 digest over the whole document (URI=""), KeyInfo = X509IssuerSerial (decimal serial). The input must be
 * compact (no whitespace between elements): DCC's validator ignores such whitespace when it checks the digest.
 */
export function signDuisXml(xml: string, credentials: Pick<DuisSigningCredentials, 'privateKey' | 'certificate'>): string {
  const issuer = certificateIssuerRfc2253(credentials.certificate);
  const serial = certificateSerialDecimal(credentials.certificate);
  const signer = new SignedXml({ privateKey: credentials.privateKey, canonicalizationAlgorithm: EXC_C14N, signatureAlgorithm: ECDSA_SHA256 });
  signer.SignatureAlgorithms[ECDSA_SHA256] = EcdsaSha256;
  signer.getKeyInfoContent = ({ prefix }) => {
    const p = prefix ? `${prefix}:` : '';
    return `<${p}X509Data><${p}X509IssuerSerial><${p}X509IssuerName>${issuer}</${p}X509IssuerName><${p}X509SerialNumber>${serial}</${p}X509SerialNumber></${p}X509IssuerSerial></${p}X509Data>`;
  };
  signer.addReference({ xpath: '/*', transforms: [ENVELOPED], digestAlgorithm: SHA256, isEmptyUri: true });
  signer.computeSignature(xml, { prefix: 'ds' });
  return signer.getSignedXml();
}

/** Why a signed document was refused; `message` says it in words an engineer can act on. */
export type DuisSignatureFailure = 'malformed' | 'missing' | 'unsupported-algorithm' | 'unknown-signer' | 'digest-mismatch' | 'bad-signature';

export class DuisSignatureError extends Error {
  constructor(
    readonly reason: DuisSignatureFailure,
    message: string,
  ) {
    super(message);
    this.name = 'DuisSignatureError';
  }
}

export interface VerifiedDuis {
  /** Decimal serial of the certificate that signed it. */
  readonly signerSerial: string;
  readonly signer: X509Certificate;
  /** The canonical form of what the signature covers (signature removed): parse this, not the raw input. */
  readonly signedXml: string;
}

function parseStrict(xml: string): Document {
  const errors: string[] = [];
  const doc = new DOMParser({
    // Warnings too (an unclosed attribute, a stray '<'): a document the parser had to guess at is not verified.
    errorHandler: { warning: (m: string) => errors.push(m), error: (m: string) => errors.push(m), fatalError: (m: string) => errors.push(m) },
  }).parseFromString(xml, 'text/xml');
  if (errors.length > 0 || !doc?.documentElement) {
    throw new DuisSignatureError('malformed', `not well-formed XML: ${errors[0] ?? 'no root element'}`);
  }
  return doc as unknown as Document;
}

function childrenNamed(parent: Element, localName: string): Element[] {
  const out: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 1 && (node as Element).localName === localName && (node as Element).namespaceURI === DS_NS) out.push(node as Element);
  }
  return out;
}

function algorithm(parent: Element, localName: string): string | null {
  return childrenNamed(parent, localName)[0]?.getAttribute('Algorithm') ?? null;
}

/**
 * Verifies a DUIS document's enveloped signature against the given signers (the DCC certificate for responses).
 * Only the DUIS profile is accepted: one signature, a child of the root, covering the whole document, with the
 * algorithms above. What DUIS never contains is refused first (duis-xml-screen), so the work stays linear in the
 * document's size. Every refusal is a DuisSignatureError with its reason; returns what was signed.
 */
export function verifyDuisXml(xml: string, trusted: TrustedSigners): VerifiedDuis {
  const screened = screenDuisXml(xml);
  if (screened) throw new DuisSignatureError('malformed', `not a DUIS document: it contains ${screened.refused}`);
  try {
    return verifyScreened(xml, trusted);
  } catch (error) {
    if (error instanceof DuisSignatureError) throw error;
    // The XML and crypto libraries' own errors (TypeError, RangeError …) are refusals too, never an escape.
    throw new DuisSignatureError('malformed', `signature check failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
}

function verifyScreened(xml: string, trusted: TrustedSigners): VerifiedDuis {
  const doc = parseStrict(xml);
  const signatures = Array.from(doc.getElementsByTagNameNS(DS_NS, 'Signature') as unknown as ArrayLike<Element>);
  if (signatures.length === 0) throw new DuisSignatureError('missing', 'the document carries no XML signature');
  if (signatures.length > 1) throw new DuisSignatureError('malformed', 'the document carries more than one XML signature');
  const signature = signatures[0]!;
  if (signature.parentNode !== doc.documentElement) {
    throw new DuisSignatureError('malformed', 'the signature is not a child of the root element (DUIS signs the whole document)');
  }
  const signedInfo = childrenNamed(signature, 'SignedInfo')[0];
  if (!signedInfo) throw new DuisSignatureError('malformed', 'the signature has no SignedInfo');
  const references = childrenNamed(signedInfo, 'Reference');
  if (references.length !== 1 || references[0]!.getAttribute('URI') !== '') {
    throw new DuisSignatureError('unsupported-algorithm', 'the signature must have exactly one reference covering the whole document (URI="")');
  }
  const reference = references[0]!;
  const transforms = childrenNamed(reference, 'Transforms')[0];
  const transformAlgorithms = transforms ? childrenNamed(transforms, 'Transform').map((t) => t.getAttribute('Algorithm')) : [];
  const checks: [string, string | null, string][] = [
    ['canonicalization', algorithm(signedInfo, 'CanonicalizationMethod'), EXC_C14N],
    ['signature', algorithm(signedInfo, 'SignatureMethod'), ECDSA_SHA256],
    ['digest', algorithm(reference, 'DigestMethod'), SHA256],
  ];
  for (const [what, found, expected] of checks) {
    if (found !== expected) throw new DuisSignatureError('unsupported-algorithm', `${what} algorithm ${found ?? '(none)'} is not the DUIS one (${expected})`);
  }
  if (!transformAlgorithms.includes(ENVELOPED) || transformAlgorithms.some((t) => t !== ENVELOPED && t !== EXC_C14N)) {
    throw new DuisSignatureError(
      'unsupported-algorithm',
      `transforms ${transformAlgorithms.join(', ') || '(none)'} are not enveloped-signature (+ exclusive C14N)`,
    );
  }
  const serialNode = signature.getElementsByTagNameNS(DS_NS, 'X509SerialNumber')[0];
  const serial = serialNode?.textContent?.trim() ?? '';
  if (!/^\d+$/.test(serial)) throw new DuisSignatureError('malformed', 'KeyInfo carries no X509IssuerSerial serial number');
  const signer = trusted.certificates.find((c) => certificateSerialDecimal(c) === serial);
  if (!signer) throw new DuisSignatureError('unknown-signer', `signed by certificate serial ${serial}, which is not a trusted DCC certificate`);

  const signedXml = checkSignedInfoThenDigest(doc, signature, signedInfo, signer);
  return { signerSerial: serial, signer, signedXml };
}

/** Each trusted certificate's public key, parsed once (createPublicKey from PEM was a tenth of every check). */
const publicKeys = new WeakMap<X509Certificate, KeyObject>();
function publicKeyOf(certificate: X509Certificate): KeyObject {
  let key = publicKeys.get(certificate);
  if (!key) publicKeys.set(certificate, (key = certificate.publicKey));
  return key;
}

const SIGNED_INFO_PATH = `/*/*[local-name(.)='Signature' and namespace-uri(.)='${DS_NS}']/*[local-name(.)='SignedInfo' and namespace-uri(.)='${DS_NS}']`;

function elementChildren(parent: Element, localName: string): Element[] {
  return Array.from(parent.childNodes as unknown as ArrayLike<Node>).filter((n): n is Element => n.nodeType === 1 && (n as Element).localName === localName);
}

/** The transforms a DUIS reference may list after enveloped-signature: none (then inclusive C14N) or exclusive C14N. */
function digestCanonicalizer(transforms: readonly string[]): C14nCanonicalization | ExclusiveCanonicalization {
  if (transforms[0] !== ENVELOPED || transforms.length > 2 || (transforms.length === 2 && transforms[1] !== EXC_C14N)) {
    throw new DuisSignatureError('unsupported-algorithm', `transforms ${transforms.join(', ') || '(none)'} are not enveloped-signature (+ exclusive C14N)`);
  }
  // XMLDSig's reference processing model: a node-set left at the end is serialised with inclusive C14N.
  return transforms.length === 1 ? new C14nCanonicalization() : new ExclusiveCanonicalization();
}

/**
 * The two XMLDSig checks on the one parsed document, cheapest first: the ECDSA signature over the canonical
 * SignedInfo, then the digest of the whole document (signature removed, canonicalised) against the Reference read
 * back from that signed, canonical SignedInfo (never from the raw input). xml-crypto's canonicalisers do the C14N;
 * its checkSignature() is not used: it parses the document a second time and finds nodes with XPath over the
 * whole tree, which made a check several times slower than the crypto. Returns what was signed.
 */
function checkSignedInfoThenDigest(doc: Document, signature: Element, signedInfo: Element, signer: X509Certificate): string {
  const defaultNsForPrefix = SignedXml.defaultNsForPrefix;
  // Ancestor namespaces matter to exclusive C14N only for an InclusiveNamespaces prefix list.
  const method = childrenNamed(signedInfo, 'CanonicalizationMethod')[0];
  const ancestorNamespaces =
    method && elementChildren(method, 'InclusiveNamespaces').length > 0
      ? findAncestorNs(doc as unknown as Parameters<typeof findAncestorNs>[0], SIGNED_INFO_PATH)
      : [];
  // A copy: with a prefix list the canonicaliser writes namespace declarations onto the element it is given.
  const signedInfoCanon = new ExclusiveCanonicalization()
    .process(signedInfo.cloneNode(true) as unknown as Element, { ancestorNamespaces, defaultNsForPrefix })
    .toString();
  const signatureValue = childrenNamed(signature, 'SignatureValue')[0]?.textContent ?? '';
  if (!new EcdsaSha256().verifySignature(signedInfoCanon, publicKeyOf(signer), signatureValue)) {
    throw new DuisSignatureError('bad-signature', 'the signature value does not verify with the DCC certificate');
  }

  const signed = new DOMParser().parseFromString(signedInfoCanon, 'text/xml').documentElement as unknown as Element | null;
  const references = signed ? childrenNamed(signed, 'Reference') : [];
  const reference = references[0];
  if (references.length !== 1 || reference!.getAttribute('URI') !== '')
    throw new DuisSignatureError('malformed', 'the signed reference is not the whole document');
  const digestValues = childrenNamed(reference!, 'DigestValue');
  if (digestValues.length !== 1 || algorithm(reference!, 'DigestMethod') !== SHA256)
    throw new DuisSignatureError('malformed', 'the signed reference has no SHA-256 digest');
  const transformNodes = childrenNamed(childrenNamed(reference!, 'Transforms')[0] ?? reference!, 'Transform');
  const canonicalizer = digestCanonicalizer(transformNodes.map((t) => t.getAttribute('Algorithm') ?? ''));
  const inclusiveNamespacesPrefixList = elementChildren(transformNodes.at(-1)!, 'InclusiveNamespaces')
    .flatMap((n) => (n.getAttribute('PrefixList') ?? '').split(' '))
    .filter((prefix) => prefix.length > 0);

  // The enveloped-signature transform, on our own parse (the signature is the root's child, checked above).
  const root = doc.documentElement;
  root.removeChild(signature);
  const signedXml = canonicalizer.process(root as unknown as Element, { inclusiveNamespacesPrefixList, ancestorNamespaces: [], defaultNsForPrefix }).toString();
  const expected = Buffer.from((digestValues[0]!.textContent ?? '').replace(/\s+/g, ''), 'base64');
  if (!createHash('sha256').update(signedXml).digest().equals(expected)) {
    throw new DuisSignatureError('digest-mismatch', 'the signed content was changed after signing (digest mismatch)');
  }
  return signedXml;
}
