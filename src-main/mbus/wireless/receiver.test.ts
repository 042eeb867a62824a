import { describe, expect, it } from 'vitest';
import { encodeRecords } from '../common/encode-records';
import { encodeWirelessTelegram } from './encode-wireless';
import { WALK_BY_CAPACITY, WirelessReceiver } from './receiver';

function telegramFrom(id: number, volume = 1234): Uint8Array {
  const meter = { manufacturer: 'KAM', id: String(10_000_000 + id), version: 0x1b, deviceType: 0x16 };
  const records = encodeRecords([{ vif: [0x13], data: { type: 'int', bytes: 4, value: volume } }]);
  return encodeWirelessTelegram({ meter, accessNumber: id & 0xff, records, security: { mode: 0 } });
}

describe('walk-by list bound', () => {
  it('keeps the most recently heard meters and counts the ones let go, least recently heard first', () => {
    const receiver = new WirelessReceiver(() => undefined, 3);
    const drops: { keys: readonly string[]; dropped: number }[] = [];
    receiver.onDropped((keys, dropped) => drops.push({ keys, dropped }));
    let now = 0;
    const hear = (id: number): void => void receiver.accept({ bytes: telegramFrom(id), receivedAt: ++now });
    hear(1);
    hear(2);
    hear(3);
    hear(1); // heard again: now the most recent
    expect(receiver.dropped).toBe(0);
    hear(4); // over capacity: meter 2 is the least recently heard
    expect(receiver.meters().map((m) => m.address.id)).toEqual(['10000003', '10000001', '10000004']);
    expect(receiver.dropped).toBe(1);
    expect(drops).toEqual([{ keys: ['KAM-10000002-27-22'], dropped: 1 }]);
    hear(5);
    hear(6);
    expect(receiver.meters().map((m) => m.address.id)).toEqual(['10000004', '10000005', '10000006']);
    expect(receiver.dropped).toBe(3);
    // A dropped meter heard again comes back as a new entry (its count starts again).
    hear(2);
    const back = receiver.meters().find((m) => m.address.id === '10000002');
    expect(back?.count).toBe(1);
    expect(receiver.meters()).toHaveLength(3);
  });

  it('holds its default capacity however many meters a receiver left running hears', () => {
    const receiver = new WirelessReceiver(() => undefined);
    for (let i = 0; i < WALK_BY_CAPACITY + 250; i++) receiver.accept({ bytes: telegramFrom(i), receivedAt: i });
    expect(receiver.meters()).toHaveLength(WALK_BY_CAPACITY);
    expect(receiver.dropped).toBe(250);
    expect(receiver.meters()[0]!.address.id).toBe(String(10_000_000 + 250));
  });

  it('refuses a capacity below one', () => {
    expect(() => new WirelessReceiver(() => undefined, 0)).toThrow(RangeError);
  });
});
