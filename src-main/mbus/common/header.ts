import { reversedHex } from './hex';

/** EN 13757-3 manufacturer id: three letters packed 5 bits each, A = 1 (FLAG association codes). */
export function decodeManufacturer(code: number): string {
  const c = code & 0x7fff;
  return String.fromCharCode(((c >> 10) & 0x1f) + 64, ((c >> 5) & 0x1f) + 64, (c & 0x1f) + 64);
}

export function encodeManufacturer(letters: string): number {
  const up = letters.toUpperCase();
  if (!/^[A-Z@]{3}$/.test(up)) throw new RangeError(`manufacturer must be three letters: ${letters}`);
  return ((up.charCodeAt(0) - 64) << 10) | ((up.charCodeAt(1) - 64) << 5) | (up.charCodeAt(2) - 64);
}

const MEDIA: Record<number, string> = {
  0x00: 'other',
  0x01: 'oil',
  0x02: 'electricity',
  0x03: 'gas',
  0x04: 'heat',
  0x05: 'steam',
  0x06: 'warm-water',
  0x07: 'water',
  0x08: 'heat-cost-allocator',
  0x09: 'compressed-air',
  0x0a: 'cooling-load-outlet',
  0x0b: 'cooling-load-inlet',
  0x0c: 'heat-inlet',
  0x0d: 'heat-cooling-load',
  0x0e: 'bus-system',
  0x0f: 'unknown',
  0x10: 'irrigation-water',
  0x11: 'water-data-logger',
  0x12: 'gas-data-logger',
  0x13: 'gas-converter',
  0x14: 'calorific-value',
  0x15: 'hot-water',
  0x16: 'cold-water',
  0x17: 'dual-water',
  0x18: 'pressure',
  0x19: 'ad-converter',
  0x1a: 'smoke-detector',
  0x1b: 'room-sensor',
  0x1c: 'gas-detector',
  0x20: 'breaker',
  0x21: 'valve',
  0x25: 'customer-unit',
  0x28: 'waste-water',
  0x29: 'garbage',
  0x2a: 'carbon-dioxide',
  0x31: 'communication-controller',
  0x32: 'unidirectional-repeater',
  0x33: 'bidirectional-repeater',
  0x36: 'radio-converter-system',
  0x37: 'radio-converter-meter',
};

export function mediumName(code: number): string {
  return MEDIA[code] ?? `reserved-${code.toString(16).padStart(2, '0')}`;
}

/** The 4-byte identification number, little-endian BCD on the wire, printed most-significant digit first. */
export function decodeId(bytes: Uint8Array, offset: number): string {
  return reversedHex(bytes, offset, 4);
}

/** Writes an 8-digit id (hex digits allowed, as some meters use them) little-endian. */
export function encodeId(id: string, out: Uint8Array, offset: number): void {
  if (!/^[0-9A-Fa-f]{8}$/.test(id)) throw new RangeError(`id must be 8 hex/BCD digits: ${id}`);
  for (let i = 0; i < 4; i++) out[offset + i] = parseInt(id.slice(6 - 2 * i, 8 - 2 * i), 16);
}
