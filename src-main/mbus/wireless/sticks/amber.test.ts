import { describe, expect, it } from 'vitest';
import { AmberParser, amberRssiDbm, amberRssiRaw, encodeAmber } from './amber';

describe('Amber host protocol codec', () => {
  it('encodes the probe from the domain reference', () => {
    // FF start, 0A GET, 02 length, 00 address, 80 byte count, 77 = XOR of FF 0A 02 00 80
    expect(Buffer.from(encodeAmber(0x0a, Uint8Array.of(0x00, 0x80))).toString('hex')).toBe('ff0a02008077');
  });

  it('parses frames split at every byte boundary', () => {
    const frame = encodeAmber(0x03, Uint8Array.of(0x0b, 0x44, 0x2d, 0x2c, 1, 2, 3, 4, 5, 6, 7, 8));
    for (let cut = 1; cut < frame.length; cut++) {
      const parser = new AmberParser();
      expect(parser.push(frame.subarray(0, cut))).toEqual([]);
      const frames = parser.push(frame.subarray(cut));
      expect(frames).toHaveLength(1);
      expect(frames[0]!.cmd).toBe(0x03);
    }
  });

  it('resyncs after garbage and drops a frame with a bad checksum', () => {
    const good = encodeAmber(0x84, Uint8Array.of(0x00));
    const bad = encodeAmber(0x8a, Uint8Array.of(1, 2, 3));
    bad[bad.length - 1] ^= 0x55;
    const parser = new AmberParser();
    const frames = parser.push(Buffer.concat([Uint8Array.of(0x12, 0x34), bad, good]));
    expect(frames).toEqual([{ cmd: 0x84, payload: Uint8Array.of(0x00) }]);
    expect(parser.badChecksums).toBeGreaterThan(0);
  });

  it('converts RSSI both ways', () => {
    expect(amberRssiDbm(0x00)).toBe(-74);
    expect(amberRssiDbm(0xcc)).toBe(-100); // −52 / 2 − 74
    expect(amberRssiDbm(amberRssiRaw(-61.5))).toBe(-61.5);
  });
});
