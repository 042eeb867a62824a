import { seededRandom } from '../util/seeded-random';
import { describe, expect, it } from 'vitest';
import { decodeTelegram } from './decode';
import { decodeWired } from './wired/decode-wired';
import { encodeFrame } from './wired/wired-frame';
import { loadLibmbusFrames } from './wired/libmbus-frames';
import { FormatCache } from './common/compact';
import { decodeWireless } from './wireless/decode-wireless';
import { encodeWirelessTelegram } from './wireless/encode-wireless';
import { encodeRecords } from './common/encode-records';

function mutate(seedFrame: Uint8Array, random: () => number): Uint8Array {
  const bytes = Uint8Array.from(seedFrame);
  const op = Math.floor(random() * 4);
  const n = 1 + Math.floor(random() * 4);
  if (op === 0) for (let i = 0; i < n; i++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
  if (op === 1) return bytes.subarray(0, Math.floor(random() * bytes.length));
  if (op === 2) for (let i = 0; i < n; i++) bytes[Math.floor(random() * bytes.length)] ^= 1 << Math.floor(random() * 8);
  return bytes;
}

/** Keeps a mutated wired frame's checksum right so the mutation reaches the record decoder. */
function refreshChecksum(bytes: Uint8Array): Uint8Array {
  if (bytes.length < 9 || bytes[0] !== 0x68) return bytes;
  const l = bytes[1]!;
  if (bytes.length !== l + 6 || bytes[2] !== l) return bytes;
  let sum = 0;
  for (let i = 4; i < 4 + l; i++) sum += bytes[i]!;
  bytes[4 + l] = sum & 0xff;
  return bytes;
}

describe('decoder fuzz: random and mutated frames never throw or hang', () => {
  const seeds = loadLibmbusFrames('test-frames').map((f) => f.bytes);
  const key = Uint8Array.from({ length: 16 }, (_, i) => i);
  const records = encodeRecords([
    { vif: [0x13], data: { type: 'int', bytes: 4, value: 42 } },
    { vif: [0x6d], data: { type: 'date-time', value: '2024-01-02T03:04' } },
  ]);
  const meter = { manufacturer: 'HAN', id: '12345678', version: 1, deviceType: 7 };
  const wireless = [
    encodeWirelessTelegram({ meter, accessNumber: 1, records, security: { mode: 0 } }),
    encodeWirelessTelegram({ meter, accessNumber: 1, records, security: { mode: 5, key } }),
    encodeWirelessTelegram({ meter, accessNumber: 1, records, security: { mode: 7, key, messageCounter: 3 }, withCrc: true }),
    encodeWirelessTelegram({ meter, accessNumber: 1, records, security: { mode: 0 }, ellCtr: { key, sessionNumber: 9 } }),
    encodeWirelessTelegram({ meter, accessNumber: 1, records, security: { mode: 0 }, layout: 'compact' }),
  ];

  it('survives 120,000 inputs', () => {
    const random = seededRandom(20261127);
    const keys = (): Uint8Array => key;
    let decoded = 0;
    let rejected = 0;
    const check = (result: ReturnType<typeof decodeTelegram>, length: number): void => {
      if (result.ok) decoded++;
      else {
        rejected++;
        if (!(result.error.offset >= 0 && result.error.offset <= length) || result.error.reason.startsWith('internal')) {
          throw new Error(`bad error ${JSON.stringify(result.error)}`);
        }
      }
    };
    for (let i = 0; i < 40_000; i++) {
      const seed = seeds[i % seeds.length]!;
      const bytes = refreshChecksum(mutate(seed, random));
      check(decodeWired(bytes, keys), bytes.length);
    }
    // A receiver's format cache, fed by the mutated full frames too, so compact frames meet learnt formats.
    const formats = new FormatCache();
    decodeWireless(encodeWirelessTelegram({ meter, accessNumber: 1, records, security: { mode: 0 }, layout: 'none' }), keys, formats);
    for (let i = 0; i < 40_000; i++) {
      const bytes = mutate(wireless[i % wireless.length]!, random);
      check(decodeWireless(bytes, keys, formats), bytes.length);
    }
    for (let i = 0; i < 40_000; i++) {
      const length = Math.floor(random() * 80);
      const bytes = Uint8Array.from({ length }, () => Math.floor(random() * 256));
      if (i % 2 === 0 && length > 9) {
        // Random bodies in a valid long frame, so they get past the checksum into the data records.
        const framed = encodeFrame({ type: 'long', c: 0x08, a: 1, ci: 0x72, data: bytes.subarray(0, Math.min(bytes.length, 250)) });
        check(decodeTelegram(framed, keys), framed.length);
      } else {
        check(decodeTelegram(bytes, keys), bytes.length);
      }
    }
    expect(decoded + rejected).toBe(120_000);
    expect(decoded).toBeGreaterThan(1000);
    expect(rejected).toBeGreaterThan(1000);
  });
});
