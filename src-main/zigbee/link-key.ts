import { createCipheriv } from 'node:crypto';

const BLOCK = 16;

/**
 * Matyas-Meyer-Oseas hash over AES-128 as ZigBee defines it (ZigBee spec Annex B.6, BDB §10.1):
 * pad with a 1 bit, zeros and the message length in bits (16-bit big-endian), then H0 = 0, Hj = E(Hj-1, Mj) xor Mj.
 * Only messages under 2^16 bits are needed here (install codes are at most 18 bytes).
 */
export function aesMmoHash(message: Uint8Array): Buffer {
  const bits = message.length * 8;
  if (bits >= 0x10000) throw new RangeError('AES-MMO: message too long for the 16-bit length form');
  let padded = message.length + 1 + 2;
  padded += (BLOCK - (padded % BLOCK)) % BLOCK;
  const data = Buffer.alloc(padded);
  Buffer.from(message).copy(data);
  data[message.length] = 0x80;
  data.writeUInt16BE(bits, padded - 2);
  let hash = Buffer.alloc(BLOCK);
  for (let offset = 0; offset < padded; offset += BLOCK) {
    const block = data.subarray(offset, offset + BLOCK);
    const cipher = createCipheriv('aes-128-ecb', hash, null);
    cipher.setAutoPadding(false);
    const encrypted = Buffer.concat([cipher.update(block), cipher.final()]);
    hash = Buffer.from(encrypted.map((byte, i) => byte ^ block[i]!));
  }
  return hash;
}

/** The preconfigured TC link key derived from an install code: AES-MMO over the code followed by its CRC bytes. */
export function installCodeLinkKey(installCodeHex: string, crcHex: string): string {
  return aesMmoHash(Buffer.from(installCodeHex + crcHex, 'hex'))
    .toString('hex')
    .toUpperCase();
}
