import { createCipheriv, createDecipheriv, createHash, diffieHellman, timingSafeEqual, verify, type KeyObject } from 'node:crypto';

/**
 * GBCS cryptographic primitives (GBCS v4 section 4.3.3, section 18.4 vectors), all from node:crypto:
 * - ECDH P-256 between one party's key-agreement private key and the other's public key;
 * - the single-step KDF of NIST SP 800-56A (5.8.1) with SHA-256 and GBCS's OtherInfo:
 *   AlgorithmID (60 85 74 06 08 03 00) ‖ originator system title ‖ transaction-id ‖ recipient system title,
 *   the first 128 bits as the AES key;
 * - AES-128-GCM with IV = originator system title ‖ 00000000 and 12-byte tags, used as a GMAC over the message
 *   (MAC) or to encrypt content (additional data = security control byte 0x31);
 * - ECDSA P-256 / SHA-256 signatures as 64-byte r ‖ s (IEEE P1363).
 */
const ALGORITHM_ID = Uint8Array.of(0x60, 0x85, 0x74, 0x06, 0x08, 0x03, 0x00);
/** Transaction-id used in the key derivation for encrypted content: CRA flag byte replaced by 0x04 (GBCS 4.3.3.3). */
const ENCRYPTION_TRANSACTION_TAG = 0x04;
export const ENCRYPTED_SECURITY_CONTROL = 0x31;
const TAG_LENGTH = 12;

export interface KdfParties {
  readonly originator: Uint8Array;
  /** 9 bytes: CRA flag (or 0x04 for encryption) ‖ 8-byte counter. */
  readonly transactionId: Uint8Array;
  readonly recipient: Uint8Array;
}

/**
 * ECDH depends only on the two keys, not on the message, so its result is remembered per key pair (the same
 * device answers the same User over and over); each message still gets its own key through the KDF.
 */
const sharedSecrets = new WeakMap<KeyObject, WeakMap<KeyObject, Buffer>>();

function sharedSecret(privateKey: KeyObject, publicKey: KeyObject): Buffer {
  let byPublic = sharedSecrets.get(privateKey);
  if (!byPublic) sharedSecrets.set(privateKey, (byPublic = new WeakMap()));
  let secret = byPublic.get(publicKey);
  if (!secret) byPublic.set(publicKey, (secret = diffieHellman({ privateKey, publicKey })));
  return secret;
}

/** The 16-byte AES key one message instance uses (ECDH shared secret → SP 800-56A KDF). */
export function deriveMessageKey(privateKey: KeyObject, publicKey: KeyObject, parties: KdfParties): Buffer {
  const secret = sharedSecret(privateKey, publicKey);
  return createHash('sha256')
    .update(Uint8Array.of(0, 0, 0, 1))
    .update(secret)
    .update(ALGORITHM_ID)
    .update(parties.originator)
    .update(Uint8Array.of(0x09))
    .update(parties.transactionId)
    .update(parties.recipient)
    .digest()
    .subarray(0, 16);
}

/** Transaction-id for the key that encrypts a response's content. */
export function encryptionTransactionId(counter: Uint8Array): Uint8Array {
  return Uint8Array.of(ENCRYPTION_TRANSACTION_TAG, ...counter);
}

function iv(originator: Uint8Array): Uint8Array {
  return Uint8Array.of(...originator, 0, 0, 0, 0);
}

/** GMAC of `authenticatedData` (12 bytes). */
export function computeMac(key: Uint8Array, originator: Uint8Array, authenticatedData: Uint8Array): Buffer {
  const cipher = createCipheriv('aes-128-gcm', key, iv(originator), { authTagLength: TAG_LENGTH });
  cipher.setAAD(authenticatedData);
  cipher.final();
  return cipher.getAuthTag();
}

export function macMatches(key: Uint8Array, originator: Uint8Array, authenticatedData: Uint8Array, mac: Uint8Array): boolean {
  const expected = computeMac(key, originator, authenticatedData);
  return mac.length === expected.length && timingSafeEqual(expected, mac);
}

/** Decrypts `ciphertext ‖ 12-byte tag`; undefined when the tag does not verify. */
export function decryptContent(key: Uint8Array, originator: Uint8Array, ciphertextAndTag: Uint8Array): Buffer | undefined {
  if (ciphertextAndTag.length < TAG_LENGTH) return undefined;
  const decipher = createDecipheriv('aes-128-gcm', key, iv(originator), { authTagLength: TAG_LENGTH });
  decipher.setAAD(Uint8Array.of(ENCRYPTED_SECURITY_CONTROL));
  decipher.setAuthTag(ciphertextAndTag.subarray(-TAG_LENGTH));
  try {
    return Buffer.concat([decipher.update(ciphertextAndTag.subarray(0, -TAG_LENGTH)), decipher.final()]);
  } catch {
    return undefined;
  }
}

/** Encrypts content as a device does (the simulator and tests use it): ciphertext ‖ tag. */
export function encryptContent(key: Uint8Array, originator: Uint8Array, plaintext: Uint8Array): Buffer {
  const cipher = createCipheriv('aes-128-gcm', key, iv(originator), { authTagLength: TAG_LENGTH });
  cipher.setAAD(Uint8Array.of(ENCRYPTED_SECURITY_CONTROL));
  return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

export function signatureMatches(publicKey: KeyObject, signedData: Uint8Array, signature: Uint8Array): boolean {
  try {
    return verify('sha256', signedData, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    return false;
  }
}
