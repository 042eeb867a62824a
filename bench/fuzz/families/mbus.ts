import { decodeWired } from '../../../src-main/mbus/wired/decode-wired';
import { loadLibmbusFrames } from '../../../src-main/mbus/wired/libmbus-frames';
import type { DecodeResult } from '../../../src-main/mbus/common/telegram';
import { encodeRecords } from '../../../src-main/mbus/common/encode-records';
import { FormatCache } from '../../../src-main/mbus/common/compact';
import { decodeWireless } from '../../../src-main/mbus/wireless/decode-wireless';
import { encodeWirelessTelegram } from '../../../src-main/mbus/wireless/encode-wireless';
import { ContractViolation, type FuzzFamily } from '../family';

/** M-Bus decoders return a result for every input: an error's offset lies inside the input, never "internal". */
function checkResult(result: DecodeResult, length: number): void {
  if (result.ok) return;
  if (!(result.error.offset >= 0 && result.error.offset <= length)) throw new ContractViolation(`error offset ${result.error.offset} outside ${length} bytes`);
  if (result.error.reason.startsWith('internal')) throw new ContractViolation(`internal error: ${result.error.reason}`);
}

const KEY = Uint8Array.from({ length: 16 }, (_, i) => i);
const withKey = (): Uint8Array => KEY;

function wiredSeeds(): Buffer[] {
  return (['test-frames', 'error-frames', 'unsupported-frames'] as const).flatMap((folder) => {
    try {
      return loadLibmbusFrames(folder).map((f) => Buffer.from(f.bytes));
    } catch {
      return [];
    }
  });
}

function wirelessSeeds(): Buffer[] {
  const meter = { manufacturer: 'HAN', id: '12345678', version: 1, deviceType: 7 };
  const records = encodeRecords([
    { vif: [0x13], data: { type: 'int', bytes: 4, value: 42 } },
    { vif: [0x6d], data: { type: 'date-time', value: '2024-01-02T03:04' } },
  ]);
  return [
    encodeWirelessTelegram({ meter, accessNumber: 1, records, security: { mode: 0 } }),
    encodeWirelessTelegram({ meter, accessNumber: 1, records, security: { mode: 5, key: KEY } }),
    encodeWirelessTelegram({ meter, accessNumber: 1, records, security: { mode: 7, key: KEY, messageCounter: 3 }, withCrc: true }),
    encodeWirelessTelegram({ meter, accessNumber: 1, records, security: { mode: 0 }, ellCtr: { key: KEY, sessionNumber: 9 } }),
    encodeWirelessTelegram({ meter, accessNumber: 1, records, security: { mode: 0 }, layout: 'compact' }),
    encodeWirelessTelegram({ meter, accessNumber: 1, records, security: { mode: 0 }, layout: 'none' }),
  ].map((bytes) => Buffer.from(bytes));
}

export const mbusWired: FuzzFamily = {
  name: 'mbus-wired',
  description: 'wired M-Bus frames (libmbus test, error and unsupported frames), no key',
  seeds: wiredSeeds,
  maxLength: 600,
  run: (input) => checkResult(decodeWired(input), input.length),
};

export const mbusWiredKeys: FuzzFamily = {
  name: 'mbus-wired-keys',
  description: 'wired M-Bus frames with a meter key on hand (encrypted records are decrypted)',
  seeds: wiredSeeds,
  maxLength: 600,
  run: (input) => checkResult(decodeWired(input, withKey), input.length),
};

// One receiver's format cache across a run, as in the app: compact frames meet formats learnt from full ones.
let formats = new FormatCache();
let heard = 0;
const wireless = (input: Buffer, keys?: () => Uint8Array): void => {
  if (++heard % 100_000 === 0) formats = new FormatCache();
  checkResult(decodeWireless(input, keys, formats), input.length);
};

export const wmbus: FuzzFamily = {
  name: 'wmbus',
  description: 'wireless M-Bus telegrams (plain, mode 5, mode 7, ELL, compact), no key',
  seeds: wirelessSeeds,
  maxLength: 400,
  run: (input) => wireless(input),
};

export const wmbusKeys: FuzzFamily = {
  name: 'wmbus-keys',
  description: 'wireless M-Bus telegrams with the meter key on hand',
  seeds: wirelessSeeds,
  maxLength: 400,
  run: (input) => wireless(input, withKey),
};
