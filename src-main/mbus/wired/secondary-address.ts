/**
 * Secondary address masks for SELECT (CI 0x52): id 4 bytes BCD little-endian, manufacturer 2 bytes, version,
 * medium. A nibble F is a wildcard. The search walks the 16 nibbles as: id digits 1–8 (most significant first),
 * then manufacturer, version and medium nibbles.
 */
export type Nibbles = readonly number[];

export const ALL_WILDCARD: Nibbles = new Array(16).fill(0xf);

export function maskBytes(nibbles: Nibbles): Uint8Array {
  const out = new Uint8Array(8);
  // id: nibbles 0..7 are the printed digits, most significant first; bytes are little-endian.
  for (let i = 0; i < 4; i++) out[3 - i] = (nibbles[2 * i]! << 4) | nibbles[2 * i + 1]!;
  // manufacturer (little-endian 16-bit): nibbles 8..11 printed most significant first.
  out[5] = (nibbles[8]! << 4) | nibbles[9]!;
  out[4] = (nibbles[10]! << 4) | nibbles[11]!;
  out[6] = (nibbles[12]! << 4) | nibbles[13]!;
  out[7] = (nibbles[14]! << 4) | nibbles[15]!;
  return out;
}

export function maskText(nibbles: Nibbles): string {
  return nibbles.map((n) => n.toString(16).toUpperCase()).join('');
}

/** The mask selecting exactly one id (other fields wildcard). */
export function idMask(id: string): Nibbles {
  if (!/^[0-9A-Fa-f]{8}$/.test(id)) throw new RangeError(`id must be 8 digits: ${id}`);
  return [...[...id].map((c) => parseInt(c, 16)), ...new Array(8).fill(0xf)];
}

/** Does an 8-byte address (as in the 12-byte header's first 8 bytes) match a mask, nibble by nibble? */
export function matchesMask(address: Uint8Array, mask: Uint8Array): boolean {
  for (let i = 0; i < 8; i++) {
    const a = address[i]!,
      m = mask[i]!;
    if ((m & 0xf0) !== 0xf0 && (m & 0xf0) !== (a & 0xf0)) return false;
    if ((m & 0x0f) !== 0x0f && (m & 0x0f) !== (a & 0x0f)) return false;
  }
  return true;
}
