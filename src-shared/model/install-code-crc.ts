/**
 * CRC-16/X-25 as ZigBee uses it for install codes (poly 0x1021 reflected, init 0xFFFF, xorout 0xFFFF).
 * The CRC is appended to the code least-significant byte first.
 * Published vector: 83FED3407A939723A5C639B26916D505 → bytes C3 B5.
 */
export function installCodeCrc(code: Uint8Array): number {
  let crc = 0xffff;
  for (const byte of code) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
  }
  return ~crc & 0xffff;
}

/** The two CRC bytes as they are appended to the code, as upper-case hex ("C3B5"). */
export function installCodeCrcHex(code: Uint8Array): string {
  const crc = installCodeCrc(code);
  return [crc & 0xff, crc >>> 8]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase();
}
