import { describe, expect, it } from 'vitest';
import { FORMAT_CACHE_CAPACITY, FormatCache, type FormatTemplate } from './common/compact';
import { encodeRecords } from './common/encode-records';
import { encodeWirelessTelegram } from './wireless/encode-wireless';
import { WirelessReceiver } from './wireless/receiver';

const template: FormatTemplate = { headers: [Uint8Array.of(0x04, 0x13)], dataLengths: [4] };

describe('compact-frame format cache (issue 15 item 12)', () => {
  it('holds at most its capacity and evicts the least recently heard format', () => {
    const cache = new FormatCache(3);
    cache.set('a', 1, template);
    cache.set('b', 1, template);
    cache.set('c', 1, template);
    expect(cache.get('a', 1)).toBe(template); // a heard again: b is now the oldest
    cache.set('d', 1, template);
    expect(cache.size).toBe(3);
    expect(cache.get('b', 1)).toBeUndefined();
    expect(cache.get('a', 1)).toBe(template);
    expect(cache.get('c', 1)).toBe(template);
    expect(cache.get('d', 1)).toBe(template);
  });

  it('stays bounded in a receiver that hears more meters than it can remember', () => {
    const receiver = new WirelessReceiver(() => undefined);
    const records = encodeRecords([{ vif: [0x13], data: { type: 'int', bytes: 4, value: 1 } }]);
    for (let n = 0; n < FORMAT_CACHE_CAPACITY + 500; n++) {
      const meter = { manufacturer: 'KAM', id: String(20_000_000 + n), version: 1, deviceType: 7 };
      receiver.accept({ bytes: encodeWirelessTelegram({ meter, accessNumber: n & 0xff, records, security: { mode: 0 } }), receivedAt: n });
    }
    expect(receiver.formats.size).toBe(FORMAT_CACHE_CAPACITY);
  });
});
