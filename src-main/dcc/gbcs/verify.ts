import type { KeyObject } from 'node:crypto';
import { toHex } from './bytes';
import { decryptContent, deriveMessageKey, encryptionTransactionId, macMatches, signatureMatches } from './crypto';
import type { GbcsFrame } from './framing';
import type { GbcsKeyStore } from './keys';

/** The outcome of one check: valid, invalid, unknown (a key or certificate is missing) or absent (not in the message). */
export type Verdict = 'valid' | 'invalid' | 'unknown' | 'absent';

const eui = (bytes: Uint8Array): string => toHex(bytes).toLowerCase();

/** Every (private, public) key pair that could have produced this message's MAC, from whichever side we know. */
interface KeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** A broker's key is a guess at who MAC'd the message: its failure alone proves nothing. */
  readonly viaBroker: boolean;
}

function macKeyPairs(frame: GbcsFrame, keys: GbcsKeyStore): KeyPair[] {
  const originator = eui(frame.header.originator);
  const recipient = eui(frame.header.recipient);
  const pairs: KeyPair[] = [];
  const add = (holders: readonly string[], publicOf: string, viaBroker: boolean): void => {
    const publics = keys.publicKeys(publicOf, 'ka');
    for (const holder of holders)
      for (const privateKey of keys.privateKeys(holder, 'ka')) for (const publicKey of publics) pairs.push({ privateKey, publicKey, viaBroker });
  };
  // The recipient checks against the originator's certificate, or the originator against the recipient's …
  add([recipient], originator, false);
  // (a command is MAC'd by its access control broker, which need not be its originator: that side is a guess)
  add([originator], recipient, frame.header.cra === 'command');
  // … or, for a command, the access control broker that MAC'd it for its originator (responses and alerts are
  // MAC'd for their recipient, which the first pair covers — the broker itself when it is the recipient).
  const brokers = keys.brokers.filter((b) => b !== originator && b !== recipient);
  if (frame.header.cra === 'command') add(brokers, recipient, true);
  return pairs;
}

/** GMAC of the general-ciphering wrapper, checked with every key pair we hold for the two parties. */
export function checkMac(frame: GbcsFrame, keys: GbcsKeyStore): Verdict {
  const mac = frame.macHeader;
  if (!mac) return 'absent';
  const pairs = macKeyPairs(frame, keys);
  const parties = { originator: frame.header.originator, transactionId: frame.header.transactionId, recipient: frame.header.recipient };
  for (const { privateKey, publicKey } of pairs) {
    const key = safeDerive(privateKey, publicKey, parties);
    if (key && macMatches(key, frame.header.originator, mac.authenticatedData, mac.mac)) return 'valid';
  }
  return pairs.some((p) => !p.viaBroker) ? 'invalid' : 'unknown';
}

/** ECDSA signature of the general-signing APDU, checked against the originator's digital-signing keys. */
export function checkSignature(frame: GbcsFrame, keys: GbcsKeyStore): Verdict {
  if (!frame.signature) return 'absent';
  const publics = keys.publicKeys(eui(frame.header.originator), 'ds');
  if (publics.length === 0) return 'unknown';
  return publics.some((key) => signatureMatches(key, frame.signedData, frame.signature!)) ? 'valid' : 'invalid';
}

export type Decryptor = (ciphertextAndTag: Uint8Array) => { readonly verdict: 'decrypted' | 'invalid' | 'unknown'; readonly plaintext?: Buffer };

/**
 * Opens encrypted content (GBCS 4.3.3.3): the key agreed between the originator's key-agreement certificate
 * and the key-agreement private key of the party the content is for — the supplementary remote party (the
 * User behind the DCC) when there is one, else the recipient — with transaction-id 0x04 ‖ originator counter
 * (the supplementary originator counter when the response carries one).
 */
export function contentDecryptor(frame: GbcsFrame, keys: GbcsKeyStore): Decryptor {
  const header = frame.header;
  const reader = header.supplementaryRemotePartyId ?? header.recipient;
  const counter = header.supplementaryOriginatorCounter ?? header.transactionId.subarray(1);
  const parties = { originator: header.originator, transactionId: encryptionTransactionId(counter), recipient: reader };
  let derived: Buffer[] | undefined;
  const candidateKeys = (): Buffer[] => {
    if (derived) return derived;
    derived = [];
    for (const privateKey of keys.privateKeys(eui(reader), 'ka'))
      for (const publicKey of keys.publicKeys(eui(header.originator), 'ka')) {
        const key = safeDerive(privateKey, publicKey, parties);
        if (key) derived.push(key);
      }
    return derived;
  };
  return (ciphertextAndTag) => {
    const candidates = candidateKeys();
    if (candidates.length === 0) return { verdict: 'unknown' };
    for (const key of candidates) {
      const plaintext = decryptContent(key, header.originator, ciphertextAndTag);
      if (plaintext) return { verdict: 'decrypted', plaintext };
    }
    return { verdict: 'invalid' };
  };
}

function safeDerive(privateKey: KeyObject, publicKey: KeyObject, parties: Parameters<typeof deriveMessageKey>[2]): Buffer | undefined {
  try {
    return deriveMessageKey(privateKey, publicKey, parties);
  } catch {
    return undefined; // a key of another curve in a folder: it simply cannot be this message's key
  }
}
