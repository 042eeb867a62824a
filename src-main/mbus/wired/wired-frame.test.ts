import { describe, expect, it } from 'vitest';
import { encodeFrame, parseFrame } from './wired-frame';

describe('wired M-Bus frame codec', () => {
  it('encodes the short frames from the domain reference', () => {
    // REQ_UD2 to 0xFD: 10 start, 5B C (REQ_UD2, FCB=0), FD address, 58 checksum (5B+FD mod 256), 16 stop
    expect(Buffer.from(encodeFrame({ type: 'short', c: 0x5b, a: 0xfd })).toString('hex')).toBe('105bfd5816');
    // SND_NKE to 0: 10, 40 C, 00 A, 40 CS, 16
    expect(Buffer.from(encodeFrame({ type: 'short', c: 0x40, a: 0x00 })).toString('hex')).toBe('1040004016');
  });

  it('encodes a control frame with L = 3', () => {
    // 68 03 03 68 start/L/L/start, 53 SND_UD, 01 address, 50 CI application reset, A4 = 53+01+50, 16 stop
    expect(Buffer.from(encodeFrame({ type: 'control', c: 0x53, a: 0x01, ci: 0x50 })).toString('hex')).toBe('680303685301' + '50a416');
  });

  it('parses a long frame and reports its length', () => {
    const bytes = encodeFrame({ type: 'long', c: 0x08, a: 0x05, ci: 0x72, data: Uint8Array.of(1, 2, 3) });
    const parsed = parseFrame(bytes);
    expect(parsed.status).toBe('frame');
    if (parsed.status !== 'frame') return;
    expect(parsed.length).toBe(bytes.length);
    expect(parsed.frame).toMatchObject({ type: 'long', c: 0x08, a: 0x05, ci: 0x72 });
  });

  it('asks for more bytes on every prefix of a frame (chunked input)', () => {
    const bytes = encodeFrame({ type: 'long', c: 0x08, a: 0x05, ci: 0x72, data: new Uint8Array(20).fill(7) });
    for (let n = 1; n < bytes.length; n++) expect(parseFrame(bytes.subarray(0, n)).status).toBe('incomplete');
  });

  it('points at the checksum byte when it is wrong', () => {
    const bytes = encodeFrame({ type: 'long', c: 0x08, a: 0x05, ci: 0x72, data: Uint8Array.of(1, 2, 3) });
    bytes[bytes.length - 2] ^= 0xff;
    const parsed = parseFrame(bytes);
    expect(parsed).toMatchObject({ status: 'error', error: { offset: bytes.length - 2 } });
  });

  it('rejects differing length bytes and bad stop bytes', () => {
    expect(parseFrame(Uint8Array.of(0x68, 0x04, 0x05, 0x68))).toMatchObject({ status: 'error', error: { offset: 2 } });
    expect(parseFrame(Uint8Array.of(0x10, 0x40, 0x00, 0x40, 0x17))).toMatchObject({ status: 'error', error: { offset: 4 } });
    expect(parseFrame(Uint8Array.of(0x33))).toMatchObject({ status: 'error', error: { offset: 0 } });
  });

  it('parses a single-character ACK', () => {
    expect(parseFrame(Uint8Array.of(0xe5))).toEqual({ status: 'frame', frame: { type: 'ack' }, length: 1 });
  });
});
