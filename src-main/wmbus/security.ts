import { createCipheriv, createDecipheriv } from 'node:crypto';

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
  const c = createCipheriv('aes-128-cbc', key, ZERO16);
  c.setAutoPadding(false);
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

/** OMS mode 7 KDF: K' = CMAC(K, D ‖ C ‖ ID ‖ 0x07×7), D = 0x00 (encryption) or 0x01 (MAC), C and ID little-endian. */
export function deriveMode7Keys(key: Uint8Array, messageCounter: number, id: Uint8Array): { enc: Buffer; mac: Buffer } {
  const input = Buffer.alloc(16, 0x07);
  input.writeUInt32LE(messageCounter >>> 0, 1);
  input.set(id.subarray(0, 4), 5);
  input[0] = 0x00;
  const enc = aesCmac(key, input);
  input[0] = 0x01;
  const mac = aesCmac(key, input);
  return { enc, mac };
}
