import { describe, expect, it } from 'vitest';
import { decodeWired } from './decode-wired';
import { encodeFrame } from './wired-frame';

/** CI 0x73 (EN 1434-3 fixed structure): id 12345678, access 0x0A, status, medium/units 0x00E9 → water, litres. */
function fixedFrame(status: number, counter1: number[], counter2: number[]): Uint8Array {
  const data = Uint8Array.of(0x78, 0x56, 0x34, 0x12, 0x0a, status, 0xe9, 0x7e, ...counter1, ...counter2);
  return encodeFrame({ type: 'long', c: 0x08, a: 0x05, ci: 0x73, data });
}

describe('fixed data structure (CI 0x73)', () => {
  it('reads BCD counters (libmbus manual_frame2 layout)', () => {
    const result = decodeWired(fixedFrame(0x00, [0x01, 0x00, 0x00, 0x00], [0x35, 0x01, 0x00, 0x00]));
    expect(result.ok && result.telegram.header).toMatchObject({ id: '12345678', medium: 'water', accessNumber: 10 });
    expect(result.ok && result.telegram.records.map((r) => [r.unit, r.value, r.valueType])).toEqual([
      ['l', 1, 'number'],
      ['same as first counter', 135, 'number'],
    ]);
  });

  it('reads binary counters when the status says so', () => {
    const result = decodeWired(fixedFrame(0x80, [0x01, 0x02, 0x03, 0x84], [0xff, 0xff, 0xff, 0xff]));
    expect(result.ok && result.telegram.records.map((r) => r.value)).toEqual([0x84030201, 0xffffffff]);
  });

  it('keeps a BCD counter with a non-decimal digit as hex digits, never a number read from part of it', () => {
    const result = decodeWired(fixedFrame(0x00, [0x3a, 0x01, 0x00, 0x00], [0x00, 0x00, 0x00, 0xa0]));
    expect(result.ok && result.telegram.records.map((r) => [r.value, r.valueType])).toEqual([
      ['0000013A', 'hex'],
      ['A0000000', 'hex'],
    ]);
  });
});
