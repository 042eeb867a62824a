import { describe, expect, it } from 'vitest';
import { DEVICE_LOG_CAPACITY, DeviceLog, normaliseEui64 } from './device-log';

const CODE = '83FED3407A939723A5C639B26916D505';

describe('DeviceLog', () => {
  it('adds a label with its EUI-64, checked CRC and derived link key', () => {
    const log = new DeviceLog();
    const result = log.add(`Z:00124B0001ABCDEF$I:${CODE}C3B5`);
    expect(result).toEqual({
      ok: true,
      entry: { eui64: '00124B0001ABCDEF', installCode: CODE, crc: 'C3B5', crcSupplied: true, linkKey: '66B6900981E1EE3CA4206B6B861C02BB' },
    });
    expect(log.has('0x00124b0001abcdef')).toBe(true);
  });
  it('needs an EUI-64 for a bare code and takes it separately', () => {
    const log = new DeviceLog();
    expect(log.add(CODE)).toMatchObject({ ok: false, error: { code: 'NO_EUI64' } });
    expect(log.add(CODE, '00:12:4b:00:01:ab:cd:ef')).toMatchObject({ ok: true, entry: { eui64: '00124B0001ABCDEF', crcSupplied: false } });
  });
  it('refuses a wrong CRC naming the expected one', () => {
    const result = new DeviceLog().add(`00124B0001ABCDEF|${CODE}C3B4`);
    expect(result).toMatchObject({ ok: false, error: { code: 'BAD_CRC', expectedCrc: 'C3B5' } });
  });
  it('holds at most 16 devices but lets an existing one be replaced', () => {
    const log = new DeviceLog();
    for (let i = 0; i < DEVICE_LOG_CAPACITY; i++) expect(log.add(CODE, (0x1000 + i).toString(16).padStart(16, '0')).ok).toBe(true);
    expect(log.add(CODE, 'FFFFFFFFFFFF0000')).toMatchObject({ ok: false, error: { code: 'LOG_FULL' } });
    expect(log.add('83FED3407A939723A5C639FF', (0x1000).toString(16).padStart(16, '0')).ok).toBe(true);
    expect(log.list()).toHaveLength(16);
    expect(log.remove('0000000000001000')).toBe(true);
    expect(log.list()).toHaveLength(15);
  });
  it('normalises EUI-64 spellings', () => {
    expect(normaliseEui64('0x00124b0001abcdef')).toBe('00124B0001ABCDEF');
    expect(normaliseEui64('00124B')).toBeUndefined();
  });
});
