import { describe, expect, it } from 'vitest';
import { decodeWired } from './decode-wired';
import { encodeRecord, encodeRecords, type RecordSpec } from '../common/encode-records';
import { encodeRspUd } from './wired-frame';

const header = { id: '12345678', manufacturer: 'KAM', version: 8, medium: 0x04, accessNumber: 3, status: 0 };

describe('record encoder round trips', () => {
  const cases: [string, RecordSpec, Partial<Record<string, unknown>>][] = [
    ['energy kWh, 32-bit int', { vif: [0x06], data: { type: 'int', bytes: 4, value: 37351 } }, { quantity: 'energy', unit: 'Wh', value: 37351000 }],
    ['volume 0.01 m3, 8-digit BCD', { vif: [0x14], data: { type: 'bcd', digits: 8, value: 56108 } }, { quantity: 'volume', value: 561.08 }],
    ['negative BCD temperature', { vif: [0x5b], data: { type: 'bcd', digits: 4, value: -123 } }, { quantity: 'flow-temperature', value: -123 }],
    ['negative 16-bit int', { vif: [0x59], data: { type: 'int', bytes: 2, value: -250 } }, { value: -2.5 }],
    ['48-bit int', { vif: [0x03], data: { type: 'int', bytes: 6, value: 2 ** 40 + 5 } }, { value: 2 ** 40 + 5 }],
    ['64-bit int', { vif: [0x03], data: { type: 'int', bytes: 8, value: -7 } }, { value: -7 }],
    // Every integer width at its sign boundaries (read in plain arithmetic, without BigInt).
    ['8-bit minimum', { vif: [0x03], data: { type: 'int', bytes: 1, value: -128 } }, { value: -128 }],
    ['8-bit maximum', { vif: [0x03], data: { type: 'int', bytes: 1, value: 127 } }, { value: 127 }],
    ['24-bit negative', { vif: [0x03], data: { type: 'int', bytes: 3, value: -8_388_608 } }, { value: -8_388_608 }],
    ['32-bit minimum', { vif: [0x03], data: { type: 'int', bytes: 4, value: -(2 ** 31) } }, { value: -(2 ** 31) }],
    ['32-bit maximum', { vif: [0x03], data: { type: 'int', bytes: 4, value: 2 ** 31 - 1 } }, { value: 2 ** 31 - 1 }],
    ['48-bit negative', { vif: [0x03], data: { type: 'int', bytes: 6, value: -(2 ** 40) - 5 } }, { value: -(2 ** 40) - 5 }],
    ['48-bit minimum', { vif: [0x03], data: { type: 'int', bytes: 6, value: -(2 ** 47) } }, { value: -(2 ** 47) }],
    ['64-bit beyond 32 bits', { vif: [0x03], data: { type: 'int', bytes: 8, value: 2 ** 52 + 3 } }, { value: 2 ** 52 + 3 }],
    ['64-bit negative beyond 32 bits', { vif: [0x03], data: { type: 'int', bytes: 8, value: -(2 ** 50) - 1 } }, { value: -(2 ** 50) - 1 }],
    ['negative real', { vif: [0x2b], data: { type: 'real', value: -0.25 } }, { value: -0.25 }],
    ['real', { vif: [0x2b], data: { type: 'real', value: 1.5 } }, { quantity: 'power', value: 1.5 }],
    ['date type G', { vif: [0x6c], data: { type: 'date', value: '2024-12-31' } }, { quantity: 'date', value: '2024-12-31' }],
    ['date-time type F', { vif: [0x6d], data: { type: 'date-time', value: '2011-10-25T12:30' } }, { value: '2011-10-25T12:30:00' }],
    ['text', { vif: [0xfd, 0x0c], data: { type: 'text', value: 'HAN-1' } }, { quantity: 'model-version', value: 'HAN-1' }],
    [
      'storage 5, tariff 2, subunit 1, maximum',
      { function: 'maximum', storage: 5, tariff: 2, subunit: 1, vif: [0x2b], data: { type: 'int', bytes: 2, value: 7 } },
      { storage: 5, tariff: 2, subunit: 1, function: 'maximum', value: 7 },
    ],
    ['storage 1000 over many DIFEs', { storage: 1000, vif: [0x13], data: { type: 'int', bytes: 1, value: 1 } }, { storage: 1000 }],
    ['combinable VIFE per hour', { vif: [0x93, 0x22], data: { type: 'int', bytes: 1, value: 9 } }, { quantity: 'volume', modifiers: ['per-hour'] }],
    ['volts via table FD', { vif: [0xfd, 0x48], data: { type: 'int', bytes: 2, value: 2301 } }, { quantity: 'voltage', unit: 'V', value: 230.1 }],
    ['no data', { vif: [0x13], data: { type: 'none' } }, { valueType: 'none', value: null }],
  ];

  it.each(cases)('%s', (_name, spec, expected) => {
    const frame = encodeRspUd(5, header, encodeRecord(spec));
    const result = decodeWired(frame);
    if (!result.ok) throw new Error(result.error.reason);
    expect(result.telegram.records).toHaveLength(1);
    expect(result.telegram.records[0]).toMatchObject(expected);
  });

  it('keeps manufacturer data raw and flags more records', () => {
    const records = encodeRecords([{ vif: [0x13], data: { type: 'int', bytes: 1, value: 1 } }], {
      moreRecordsFollow: true,
      manufacturerData: Uint8Array.of(0xde, 0xad),
    });
    const result = decodeWired(encodeRspUd(5, header, records));
    if (!result.ok) throw new Error(result.error.reason);
    expect(result.telegram.moreRecordsFollow).toBe(true);
    expect(result.telegram.records[1]).toMatchObject({ function: 'more-records-follow', value: 'DEAD', valueType: 'hex' });
  });

  it('round-trips the header, including an id with hex digits', () => {
    const result = decodeWired(encodeRspUd(0x10, { ...header, id: '00AB12CD', signature: 0 }, new Uint8Array(0)));
    if (!result.ok) throw new Error(result.error.reason);
    expect(result.telegram).toMatchObject({ address: 0x10, header: { id: '00AB12CD', manufacturer: 'KAM', version: 8, accessNumber: 3 } });
  });
});
