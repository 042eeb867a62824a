import { describe, expect, it } from 'vitest';
import { seededRandom } from '../util/seeded-random';
import type { DecodedTelegram } from './common/telegram';
import { encodeWirelessTelegram } from './wireless/encode-wireless';
import { decodeWireless } from './wireless/decode-wireless';

/**
 * Issue 15 item 11: mode 5 has no MAC, so a wrong key passes the 2F2F check once in 65,536 keys. Which plaintext
 * a wrong key gives is random, so this test forces that rare event: random bytes behind 2F2F, encrypted with the
 * key the decoder is then given, stand for "a wrong key whose plaintext happens to start 2F2F". None may come out
 * as values. (Before the plausibility gate about one in six did.) The 10^7-key measurement: bench/wrong-key.
 */
const meter = { manufacturer: 'ELS', id: '12345678', version: 0x33, deviceType: 0x03 };
const key = Uint8Array.from({ length: 16 }, (_, i) => i + 1);

export function yieldsValues(t: DecodedTelegram): boolean {
  return t.records.some((r) => r.value !== null && r.function !== 'manufacturer' && r.function !== 'more-records-follow');
}

describe('a wrong mode 5 key practically never yields values', () => {
  it('random plaintext behind 2F2F almost never passes the plausibility gate (20,000 seeded cases)', () => {
    const random = seededRandom(11);
    let valued = 0;
    let decrypted = 0;
    for (let i = 0; i < 20_000; i++) {
      const length = 14 + 16 * Math.floor(random() * 4);
      const garbage = Uint8Array.from({ length }, () => Math.floor(random() * 256));
      const bytes = encodeWirelessTelegram({ meter, accessNumber: i & 0xff, records: garbage, security: { mode: 5, key } });
      const result = decodeWireless(bytes, () => key);
      expect(result.ok).toBe(true);
      if (!result.ok) continue;
      if (result.telegram.decrypted) decrypted++;
      if (yieldsValues(result.telegram)) valued++;
      else if (result.telegram.decrypted && result.telegram.records.length === 0)
        expect(result.telegram.undecoded?.reason).toMatch(/not standard data records/);
    }
    expect(decrypted).toBe(20_000);
    // The gate lets through at most 0.05 % of what passes 2F2F (it was about 16 % with "the records parse"), so
    // a random wrong key yields values with probability ≤ 2^-16 × 5·10^-4 < 10^-8: none expected in 10^7 keys.
    expect(valued).toBeLessThanOrEqual(10);
  });

  it('still shows the values of a real mode 5 telegram and says only its plaintext markers checked the key', () => {
    const records = Uint8Array.from([0x0c, 0x14, 0x27, 0x04, 0x85, 0x02, 0x04, 0x6d, 0x32, 0x37, 0x1f, 0x15]);
    const bytes = encodeWirelessTelegram({ meter, accessNumber: 7, records, security: { mode: 5, key } });
    const result = decodeWireless(bytes, () => key);
    expect(result.ok && result.telegram.decryptionCheck).toBe('plaintext-markers');
    expect(result.ok && result.telegram.records.map((r) => r.value)).toEqual([28504.27, '2008-05-31T23:50:00']);
  });
});
