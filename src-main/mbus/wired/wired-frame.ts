import type { DecodeError } from '../common/telegram';
import { encodeLongHeader, type LongHeader } from '../common/encode-records';

/** EN 13757-2 link-layer frames: single character ACK, short, control and long. */
export type WiredFrame =
  | { readonly type: 'ack' }
  | { readonly type: 'short'; readonly c: number; readonly a: number }
  | { readonly type: 'control'; readonly c: number; readonly a: number; readonly ci: number }
  | { readonly type: 'long'; readonly c: number; readonly a: number; readonly ci: number; readonly data: Uint8Array };

export const ACK = 0xe5;
export const C_SND_NKE = 0x40;
export const C_SND_UD = 0x53;
export const C_REQ_UD2 = 0x5b;
export const C_RSP_UD = 0x08;
export const FCB = 0x20;
export const ADDRESS_SELECTED = 0xfd;
export const ADDRESS_BROADCAST_REPLY = 0xfe;
export const ADDRESS_BROADCAST = 0xff;

export type FrameParse =
  | { readonly status: 'frame'; readonly frame: WiredFrame; readonly length: number }
  | { readonly status: 'incomplete' }
  | { readonly status: 'error'; readonly error: DecodeError; /** bytes to drop before trying again */ readonly skip: number };

function sum(bytes: Uint8Array, start: number, end: number): number {
  let s = 0;
  for (let i = start; i < end; i++) s += bytes[i]!;
  return s & 0xff;
}

export function encodeFrame(frame: WiredFrame): Uint8Array {
  switch (frame.type) {
    case 'ack':
      return Uint8Array.of(ACK);
    case 'short':
      return Uint8Array.of(0x10, frame.c, frame.a, (frame.c + frame.a) & 0xff, 0x16);
    case 'control':
    case 'long': {
      const data = frame.type === 'long' ? frame.data : new Uint8Array(0);
      const l = 3 + data.length;
      if (l > 255) throw new RangeError(`long frame data too long (${data.length} bytes, max 252)`);
      const out = new Uint8Array(l + 6);
      out.set([0x68, l, l, 0x68, frame.c, frame.a, frame.ci], 0);
      out.set(data, 7);
      out[l + 4] = sum(out, 4, l + 4);
      out[l + 5] = 0x16;
      return out;
    }
  }
}

/**
 * True when `buf` is exactly one long frame (L > 3) whose checksum and stop byte hold: the common case a decoder
 * can take without building a frame object (`parseFrame` gives the reasons when it is not).
 */
export function isWholeLongFrame(buf: Uint8Array): boolean {
  const l = buf[1]!;
  if (buf.length !== l + 6 || buf[0] !== 0x68 || buf[2] !== l || buf[3] !== 0x68 || l <= 3) return false;
  return sum(buf, 4, 4 + l) === buf[4 + l] && buf[5 + l] === 0x16;
}

/** Parses one frame starting at `start`. Distinguishes "need more bytes" from "these bytes are not a valid frame". */
export function parseFrame(buf: Uint8Array, start = 0): FrameParse {
  const avail = buf.length - start;
  if (avail <= 0) return { status: 'incomplete' };
  const first = buf[start]!;
  const err = (reason: string, offset: number, skip = 1): FrameParse => ({ status: 'error', error: { reason, offset }, skip });
  if (first === ACK) return { status: 'frame', frame: { type: 'ack' }, length: 1 };
  if (first === 0x10) {
    if (avail < 5) return { status: 'incomplete' };
    if (sum(buf, start + 1, start + 3) !== buf[start + 3]) return err('bad checksum in short frame', start + 3);
    if (buf[start + 4] !== 0x16) return err('short frame stop byte is not 0x16', start + 4);
    return { status: 'frame', frame: { type: 'short', c: buf[start + 1]!, a: buf[start + 2]! }, length: 5 };
  }
  if (first === 0x68) {
    if (avail < 4) return { status: 'incomplete' };
    const l = buf[start + 1]!;
    if (buf[start + 2] !== l) return err(`long frame length bytes differ (${l} vs ${buf[start + 2]})`, start + 2);
    if (buf[start + 3] !== 0x68) return err('long frame second start byte is not 0x68', start + 3);
    if (l < 3) return err(`long frame L-field ${l} is below 3`, start + 1);
    if (avail < l + 6) return { status: 'incomplete' };
    const csAt = start + 4 + l;
    const cs = sum(buf, start + 4, csAt);
    if (cs !== buf[csAt]) return err(`bad checksum (computed ${hex2(cs)}, frame says ${hex2(buf[csAt]!)})`, csAt);
    if (buf[csAt + 1] !== 0x16) return err('long frame stop byte is not 0x16', csAt + 1);
    const c = buf[start + 4]!,
      a = buf[start + 5]!,
      ci = buf[start + 6]!;
    const frame: WiredFrame = l === 3 ? { type: 'control', c, a, ci } : { type: 'long', c, a, ci, data: buf.subarray(start + 7, csAt) };
    return { status: 'frame', frame, length: l + 6 };
  }
  return err(`unexpected start byte 0x${hex2(first)}`, start);
}

function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}

/** A complete RSP_UD long frame (CI 0x72) as a slave sends it. */
export function encodeRspUd(address: number, header: LongHeader, records: Uint8Array, c = 0x08): Uint8Array {
  return encodeFrame({ type: 'long', c, a: address, ci: 0x72, data: Buffer.concat([encodeLongHeader(header), records]) });
}
