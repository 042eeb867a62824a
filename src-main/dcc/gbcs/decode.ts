import { ByteReader, euiText, GbcsFormatError, toHex } from './bytes';
import { readFrame, type Cra, type GbcsFrame } from './framing';
import type { GbcsKeyStore, KeyUsage } from './keys';
import { readPayload, type DecodedPayload, type GbcsContent } from './payload';
import { interpret, type GbcsReading, type GbcsResult } from './results';
import { useCaseFor } from './use-cases';
import { checkMac, checkSignature, contentDecryptor, type Decryptor, type Verdict } from './verify';

/**
 * One GBCS message decoded, verified and (where it is for us) decrypted. The rule the app lives by:
 * content — plaintext, typed payload, reading — is given only when the message is `trusted`: at least one of
 * its MAC and signature verified and neither failed. An invalid MAC or signature withholds everything from the
 * content (its header is still reported, so the refusal can be explained); so does a message nothing could
 * check (keys unknown), because unverified values must never reach a job.
 */
export interface GbcsMessage {
  readonly ok: true;
  readonly cra: Cra;
  readonly counter: string;
  readonly originator: string;
  readonly recipient: string;
  readonly messageCode: string;
  readonly useCase: string | null;
  readonly serviceReference: string | null;
  readonly supplementaryRemoteParty?: string;
  readonly mac: Verdict;
  readonly signature: Verdict;
  readonly encrypted: boolean;
  readonly decryption: 'none' | 'decrypted' | 'invalid' | 'unknown' | 'withheld';
  readonly trusted: boolean;
  /** Why the content is withheld, in an engineer's words (absent when trusted). */
  readonly untrustedReason?: string;
  /** Hex of the bytes that were encrypted, after decryption (null when none, not decryptable or untrusted). */
  readonly plaintext: string | null;
  readonly content: GbcsContent | null;
  readonly result: GbcsResult | null;
  readonly reading: GbcsReading | null;
  readonly preCommand?: boolean;
}

export interface GbcsRefusal {
  readonly ok: false;
  readonly reason: string;
  readonly offset: number;
}

export type GbcsDecodeResult = GbcsMessage | GbcsRefusal;

const NOT_DECRYPTED: Decryptor = () => ({ verdict: 'unknown' });

/** Whether untrusted content carries an encrypted part, without decrypting or keeping anything of it. */
function untrustedShape(reader: ByteReader, header: GbcsFrame['header']): Pick<DecodedPayload, 'encrypted' | 'decryption' | 'plaintexts'> {
  try {
    const { encrypted } = readPayload(reader, header.messageCode, header.cra, NOT_DECRYPTED);
    return { encrypted, decryption: 'none', plaintexts: [] };
  } catch {
    return { encrypted: false, decryption: 'none', plaintexts: [] };
  }
}

/** Decodes one message. Never throws: malformed input comes back as a reason and the offending byte offset. */
export function decodeGbcs(bytes: Uint8Array, keys: GbcsKeyStore): GbcsDecodeResult {
  try {
    return decodeFrame(bytes, readFrame(bytes), keys);
  } catch (error) {
    if (error instanceof GbcsFormatError) return { ok: false, reason: error.reason, offset: error.offset };
    return { ok: false, reason: `internal decoder error: ${error instanceof Error ? error.message : String(error)}`, offset: 0 };
  }
}

/** Why nothing could check the message: the certificate's own problem when one is known (failed its SMKI check …). */
function uncheckedReason(usage: KeyUsage, originator: Uint8Array, keys: GbcsKeyStore): string {
  const problem = keys.certificateProblem?.(toHex(originator).toLowerCase(), usage);
  const missing = `no ${usage === 'ka' ? 'key-agreement' : 'digital-signing'} key or certificate is known for ${euiText(originator)}`;
  return `The device message could not be checked: ${problem ?? missing}.`;
}

function decodeFrame(bytes: Uint8Array, frame: GbcsFrame, keys: GbcsKeyStore): GbcsMessage {
  const { header } = frame;
  const row = useCaseFor(header.messageCode);
  const mac = checkMac(frame, keys);
  const signature = checkSignature(frame, keys);
  const failed = mac === 'invalid' ? 'its MAC does not verify' : signature === 'invalid' ? 'its signature does not verify' : undefined;
  const verified = mac === 'valid' || signature === 'valid';
  const untrustedReason = failed
    ? `The device message was refused: ${failed}; nothing from it is shown or used.`
    : verified
      ? undefined
      : uncheckedReason(mac === 'unknown' ? 'ka' : 'ds', header.originator, keys);
  const trusted = untrustedReason === undefined;
  // The content reader spans the whole message so a payload error reports its offset in the message. Untrusted
  // content is read only to say whether it was encrypted (nothing is decrypted for it); its errors decide nothing.
  const contentReader = new ByteReader(bytes, frame.contentOffset, frame.contentOffset + frame.content.length);
  const payload = trusted ? readPayload(contentReader, header.messageCode, header.cra, contentDecryptor(frame, keys)) : undefined;
  const shape = payload ?? untrustedShape(contentReader, header);
  const content = payload?.content ?? null;
  const result = content ? interpret(header.messageCode, header.cra, content) : null;
  return {
    ok: true,
    cra: header.cra,
    counter: header.counter.toString(),
    originator: euiText(header.originator),
    recipient: euiText(header.recipient),
    messageCode: '0x' + header.messageCode.toString(16).toUpperCase().padStart(4, '0'),
    useCase: row?.useCase ?? null,
    serviceReference: row?.serviceReferences[0] ?? null,
    ...(header.supplementaryRemotePartyId ? { supplementaryRemoteParty: euiText(header.supplementaryRemotePartyId) } : {}),
    mac,
    signature,
    encrypted: shape.encrypted,
    decryption: trusted ? shape.decryption : shape.encrypted ? 'withheld' : 'none',
    trusted,
    ...(untrustedReason ? { untrustedReason } : {}),
    plaintext: payload && payload.plaintexts.length > 0 ? payload.plaintexts.map((p) => toHex(p)).join('') : null,
    content,
    result,
    reading: result && 'reading' in result ? (result.reading ?? null) : null,
    ...(frame.preCommand ? { preCommand: true } : {}),
  };
}
