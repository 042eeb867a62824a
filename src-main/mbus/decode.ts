import { decodeWireless } from './wireless/decode-wireless';
import type { FormatCache } from './common/compact';
import type { KeyLookup } from './common/meter-address';
import { decodeWired } from './wired/decode-wired';
import type { DecodeResult } from './common/telegram';

/**
 * Decodes a wired frame or a wireless telegram, telling them apart by their first bytes: wired frames start with
 * E5, 10 or 68 … 68 (repeated L); anything else is a wireless telegram starting with its L-field.
 */
export function decodeTelegram(input: Uint8Array, keys?: KeyLookup, formats?: FormatCache): DecodeResult {
  if (input.length === 0) return { ok: false, error: { reason: 'empty input', offset: 0 } };
  if (looksWired(input)) return decodeWired(input, keys);
  return decodeWireless(input, keys, formats);
}

export function looksWired(input: Uint8Array): boolean {
  const first = input[0];
  if (first === 0xe5) return input.length === 1;
  if (first === 0x10) return input.length <= 5;
  if (first === 0x68) return input.length >= 4 && input[3] === 0x68 && input[1] === input[2];
  return false;
}
