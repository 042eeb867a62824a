/** Hex helpers shared by the M-Bus code: tolerant parsing of user/test input, compact output. */

/** Parses hex with optional spaces, colons or a 0x prefix; returns undefined on an odd length or a bad digit. */
export function parseHex(text: string): Uint8Array | undefined {
  const clean = text.replace(/0x/gi, '').replace(/[\s:,-]+/g, '');
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) return undefined;
  return Uint8Array.from(Buffer.from(clean, 'hex'));
}

export function toHex(bytes: Uint8Array, start = 0, end = bytes.length): string {
  // Short runs (record values, MACs, ids) are cheaper from the table than through a Buffer view and upper-casing.
  if (end - start <= 32) {
    let out = '';
    for (let i = start; i < end; i++) out += HEX_PAIRS[bytes[i]!];
    return out;
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start)
    .toString('hex')
    .toUpperCase();
}

/** One byte as two upper-case hex digits. */
export function hex2(n: number): string {
  return HEX_PAIRS[n & 0xff]!;
}

/** Little-endian bytes printed most-significant first: how ids and BCD fields are written on labels. */
export function reversedHex(bytes: Uint8Array, start: number, length: number): string {
  let out = '';
  for (let i = start + length - 1; i >= start; i--) out += HEX_PAIRS[bytes[i]!];
  return out;
}

const HEX_PAIRS: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, '0'));
