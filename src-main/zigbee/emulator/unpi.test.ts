import { describe, expect, it } from 'vitest';
import { encodeFrame, MtSubsystem, MtType, UnpiParser, type MtFrame } from './unpi';

function collect() {
  const frames: MtFrame[] = [];
  const garbage: string[] = [];
  const parser = new UnpiParser({ frame: (f) => frames.push(f), garbage: (_b, reason) => garbage.push(reason) });
  return { parser, frames, garbage };
}

// SYS_PING SREQ as TI documents it: FE 00 21 01 20
const PING = Buffer.from([
  0xfe, // SOF
  0x00, // LEN: no data
  0x21, // CMD0: type SREQ (1) << 5 | subsystem SYS (1)
  0x01, // CMD1: PING
  0x20, // FCS: 00 ^ 21 ^ 01
]);
// SYS_PING SRSP with capabilities 0x0159: FE 02 61 01 59 01 3A
const PING_RSP = Buffer.from([
  0xfe, // SOF
  0x02, // LEN
  0x61, // CMD0: SRSP (3) << 5 | SYS
  0x01, // CMD1: PING
  0x59,
  0x01, // capabilities 0x0159 little-endian
  0x3a, // FCS: 02 ^ 61 ^ 01 ^ 59 ^ 01
]);

describe('UNPI codec', () => {
  it('encodes SYS_PING exactly as TI documents it', () => {
    expect(encodeFrame({ type: MtType.SREQ, subsystem: MtSubsystem.SYS, command: 1, data: Buffer.alloc(0) })).toEqual(PING);
  });
  it('encodes a frame with data and the xor FCS', () => {
    expect(encodeFrame({ type: MtType.SRSP, subsystem: MtSubsystem.SYS, command: 1, data: Buffer.from([0x59, 0x01]) })).toEqual(PING_RSP);
  });
  it('decodes a frame delivered one byte at a time', () => {
    const { parser, frames } = collect();
    for (const b of PING_RSP) parser.push(Buffer.from([b]));
    expect(frames).toEqual([{ type: MtType.SRSP, subsystem: MtSubsystem.SYS, command: 1, data: Buffer.from([0x59, 0x01]) }]);
  });
  it('decodes two frames in one chunk', () => {
    const { parser, frames } = collect();
    parser.push(Buffer.concat([PING, PING_RSP]));
    expect(frames.map((f) => f.type)).toEqual([MtType.SREQ, MtType.SRSP]);
  });
  it('skips garbage before SOF (the 0xEF bootloader-skip byte) and resynchronises', () => {
    const { parser, frames, garbage } = collect();
    parser.push(Buffer.concat([Buffer.from([0xef, 0x00, 0x13]), PING]));
    expect(frames).toHaveLength(1);
    expect(garbage).toEqual(['no-sof']);
  });
  it('drops a frame with a bad FCS and still decodes the next one', () => {
    const { parser, frames, garbage } = collect();
    const bad = Buffer.from(PING_RSP);
    bad[bad.length - 1] ^= 0xff;
    parser.push(Buffer.concat([bad, PING]));
    expect(garbage).toContain('bad-fcs');
    expect(frames).toHaveLength(1);
    expect(frames[0]!.command).toBe(1);
    expect(frames[0]!.type).toBe(MtType.SREQ);
  });
  it('waits for the rest of a split frame', () => {
    const { parser, frames } = collect();
    parser.push(PING_RSP.subarray(0, 3));
    expect(frames).toHaveLength(0);
    parser.push(PING_RSP.subarray(3));
    expect(frames).toHaveLength(1);
  });
  it('refuses to encode more than 250 data bytes', () => {
    expect(() => encodeFrame({ type: MtType.AREQ, subsystem: MtSubsystem.AF, command: 0x81, data: Buffer.alloc(251) })).toThrow(RangeError);
  });
});

describe('UNPI parser hardening', () => {
  it('keeps a split frame when the reader reuses its buffer for the next read', () => {
    const { parser, frames } = collect();
    const readBuffer = Buffer.alloc(64); // one buffer a serial/TCP reader fills again on every read
    PING_RSP.copy(readBuffer, 0, 0, 4);
    parser.push(readBuffer.subarray(0, 4)); // FE 02 61 01 …
    readBuffer.fill(0xaa); // the reader's next read overwrites the same memory
    PING_RSP.copy(readBuffer, 0, 4);
    parser.push(readBuffer.subarray(0, PING_RSP.length - 4)); // … 59 01 3A
    expect(frames).toEqual([{ type: MtType.SRSP, subsystem: MtSubsystem.SYS, command: 1, data: Buffer.from([0x59, 0x01]) }]);
  });

  it('refuses a 251–255-byte frame the encoder would refuse, and resynchronises on the next frame', () => {
    for (const length of [251, 255]) {
      const { parser, frames, garbage } = collect();
      const body = Buffer.concat([Buffer.from([length, 0x44, 0x81]), Buffer.alloc(length, 0x11)]);
      let fcs = 0;
      for (const b of body) fcs ^= b;
      parser.push(Buffer.concat([Buffer.from([0xfe]), body, Buffer.from([fcs]), PING]));
      expect(garbage).toContain('too-long');
      expect(frames).toEqual([{ type: MtType.SREQ, subsystem: MtSubsystem.SYS, command: 1, data: Buffer.alloc(0) }]);
    }
  });
});
