import { type Cipher, createCipheriv, createDecipheriv, type Decipher } from 'node:crypto';

/**
 * OMS security primitives on node:crypto: AES-128-CBC (modes 5 and 7), AES-128-CTR (ELL), AES-CMAC (RFC 4493)
 * built on a single CBC/ECB context, and the mode 7 key derivation (OMS Vol.2 §9.5).
 */

const ZERO16 = Buffer.alloc(16);

export function aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Buffer {
  const d = createDecipheriv('aes-128-cbc', key, iv);
  d.setAutoPadding(false);
  return d.update(data);
}

export function aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Buffer {
  const c = createCipheriv('aes-128-cbc', key, iv);
  c.setAutoPadding(false);
  return c.update(data);
}

/** CTR is symmetric: the same call encrypts and decrypts. */
export function aesCtr(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Buffer {
  return createCipheriv('aes-128-ctr', key, iv).update(data);
}

/** RFC 4493 subkey doubling in GF(2^128). */
function double(block: Uint8Array): Buffer {
  const out = Buffer.alloc(16);
  let carry = 0;
  for (let i = 15; i >= 0; i--) {
    const b = block[i]!;
    out[i] = ((b << 1) | carry) & 0xff;
    carry = b >> 7;
  }
  if (block[0]! & 0x80) out[15] ^= 0x87;
  return out;
}

/**
 * AES-CMAC. One CBC context: its first block encrypts zeros to give L; feeding the next block XOR L cancels the
 * chaining, so the rest is a CBC-MAC with IV 0 — as the RFC requires — without a second key schedule.
 */
export function aesCmac(key: Uint8Array, message: Uint8Array): Buffer {
  // No setAutoPadding(false): final() is never called, and update() returns every whole block either way.
  const c = createCipheriv('aes-128-cbc', key, ZERO16);
  const l = c.update(ZERO16);
  const k1 = double(l);
  const n = Math.max(1, Math.ceil(message.length / 16));
  const complete = message.length > 0 && message.length % 16 === 0;
  const buf = Buffer.alloc(n * 16);
  buf.set(message);
  if (!complete) buf[message.length] = 0x80;
  const sub = complete ? k1 : double(k1);
  const last = (n - 1) * 16;
  for (let i = 0; i < 16; i++) buf[last + i] ^= sub[i]!;
  for (let i = 0; i < 16; i++) buf[i] ^= l[i]!;
  const out = c.update(buf);
  return out.subarray(out.length - 16);
}

/**
 * A meter key prepared for repeated use: its AES-ECB contexts (the key schedule) and CMAC subkey are built once
 * and kept, because creating a node:crypto context costs several microseconds. Nothing derived from a telegram
 * is kept; every telegram is still decrypted and authenticated in full.
 */
export class AesKey {
  readonly bytes: Uint8Array;
  #encrypt: Cipher | undefined;
  #decrypt: Decipher | undefined;
  #k1: Buffer | undefined;

  constructor(bytes: Uint8Array) {
    if (bytes.length !== 16) throw new RangeError('AES-128 keys are 16 bytes');
    this.bytes = Uint8Array.from(bytes);
  }

  /** AES-ECB encryption of whole blocks (an ECB context without padding keeps no state between calls). */
  encryptBlocks(data: Uint8Array): Buffer {
    if (!this.#encrypt) {
      this.#encrypt = createCipheriv('aes-128-ecb', this.bytes, null);
      this.#encrypt.setAutoPadding(false);
    }
    return this.#encrypt.update(data);
  }

  decryptBlocks(data: Uint8Array): Buffer {
    if (!this.#decrypt) {
      this.#decrypt = createDecipheriv('aes-128-ecb', this.bytes, null);
      this.#decrypt.setAutoPadding(false);
    }
    return this.#decrypt.update(data);
  }

  /** CMAC subkey K1 (RFC 4493), from L = AES(K, 0). */
  cmacK1(): Buffer {
    this.#k1 ??= double(this.encryptBlocks(ZERO16));
    return this.#k1;
  }
}

/** Keys arrive raw (CLI, tests) or prepared (key store). */
export type KeyMaterial = Uint8Array | AesKey;

export function asAesKey(key: KeyMaterial): AesKey {
  return key instanceof AesKey ? key : new AesKey(key);
}

/** AES-128-CBC decryption on a prepared key: one ECB pass, then the CBC chaining XOR. */
export function cbcDecryptWith(key: AesKey, iv: Uint8Array, data: Uint8Array): Buffer {
  const out = key.decryptBlocks(data);
  for (let i = 0; i < 16 && i < out.length; i++) out[i] ^= iv[i]!;
  for (let i = 16; i < out.length; i++) out[i] ^= data[i - 16]!;
  return out;
}

/**
 * OMS mode 7 KDF: K' = CMAC(K, D ‖ C ‖ ID ‖ 0x07×7), D = 0x00 (encryption) or 0x01 (MAC), C and ID little-endian.
 * Each input is exactly one block, so CMAC reduces to AES(K, input ⊕ K1): both keys in one ECB pass.
 */
export function deriveMode7Keys(key: KeyMaterial, messageCounter: number, id: Uint8Array): { enc: Buffer; mac: Buffer } {
  const aes = asAesKey(key);
  const k1 = aes.cmacK1();
  const input = Buffer.alloc(32, 0x07);
  input[0] = 0x00;
  input.writeUInt32LE(messageCounter >>> 0, 1);
  input.set(id.subarray(0, 4), 5);
  input.copy(input, 16, 0, 16);
  input[16] = 0x01;
  for (let i = 0; i < 32; i++) input[i] ^= k1[i & 15]!;
  const out = aes.encryptBlocks(input);
  return { enc: out.subarray(0, 16), mac: out.subarray(16, 32) };
}
