import type { DecodeError } from '../common/telegram';
import { crcEn13757 } from '../common/crc';

export interface StrippedTelegram {
  /** L-field to last data byte, without CRC bytes; L = bytes.length - 1. */
  readonly bytes: Uint8Array;
  readonly crc: 'present' | 'stripped';
  readonly format: 'A' | 'B' | null;
  /** Set when the length disagrees with the L-field: what was decoded instead. */
  readonly note?: string;
  /** Maps an offset in `bytes` back to the offset in the input (they differ when CRC blocks were removed). */
  readonly toInputOffset: (offset: number) => number;
}

const IDENTITY = (offset: number): number => offset;

/** Number of bytes a format A frame with CRCs occupies for a given L. */
export function formatALength(l: number): number {
  const blocks = 1 + Math.ceil(Math.max(0, l - 9) / 16);
  return l + 1 + 2 * blocks;
}

/**
 * Accepts a telegram with its link-layer CRC blocks (format A or B, raw captures) or without them (what sticks
 * deliver), checks every CRC and returns the bare telegram. A bad CRC is an error at the CRC's offset.
 */
export function stripLinkCrc(input: Uint8Array): { ok: true; value: StrippedTelegram } | { ok: false; error: DecodeError } {
  if (input.length < 1) return { ok: false, error: { reason: 'empty telegram', offset: 0 } };
  const l = input[0]!;
  if (l < 10) return { ok: false, error: { reason: `L-field ${l} too small for a link-layer header`, offset: 0 } };
  if (input.length === formatALength(l) && l >= 10) {
    // Format A: block 1 = 10 bytes + CRC, then 16-byte blocks + CRC, last partial block + CRC.
    const out = new Uint8Array(l + 1);
    let block = 0;
    let inPos = 0;
    let outPos = 0;
    let blockLength = 10;
    while (outPos < out.length) {
      const len = Math.min(blockLength, out.length - outPos);
      const crc = crcEn13757(input, inPos, inPos + len);
      const got = (input[inPos + len]! << 8) | input[inPos + len + 1]!;
      if (crc !== got) {
        return {
          ok: false,
          error: { reason: `bad CRC in format A block ${block + 1} (expected ${hex4(crc)}, got ${hex4(got)})`, offset: inPos + len },
        };
      }
      block++;
      for (let i = 0; i < len; i++) out[outPos + i] = input[inPos + i]!;
      outPos += len;
      inPos += len + 2;
      blockLength = 16;
    }
    const toInputOffset = (offset: number): number => {
      const block = offset < 10 ? 0 : 1 + Math.floor((offset - 10) / 16);
      return offset + 2 * block;
    };
    return { ok: true, value: { bytes: out, crc: 'present', format: 'A', toInputOffset } };
  }
  if (input.length === l + 1) {
    // Format B keeps L = everything incl. CRCs: one CRC closes blocks 1+2 (≤128 bytes), an optional block 3 has its own.
    const firstEnd = Math.min(input.length, 128);
    const crc1 = crcEn13757(input, 0, firstEnd - 2);
    const ok1 = crc1 === ((input[firstEnd - 2]! << 8) | input[firstEnd - 1]!);
    const ok3 = input.length <= 128 || crcEn13757(input, 128, input.length - 2) === ((input[input.length - 2]! << 8) | input[input.length - 1]!);
    if (ok1 && ok3 && input.length >= 14) {
      const parts = [input.subarray(0, firstEnd - 2)];
      if (input.length > 128) parts.push(input.subarray(128, input.length - 2));
      const out = new Uint8Array(input.length - 2 * parts.length);
      out.set(parts[0]!, 0);
      if (parts[1]) out.set(parts[1], parts[0]!.length);
      out[0] = out.length - 1;
      const toInputOffset = (offset: number): number => (offset < 126 ? offset : offset + 2);
      return { ok: true, value: { bytes: out, crc: 'present', format: 'B', toInputOffset } };
    }
    return { ok: true, value: { bytes: input, crc: 'stripped', format: null, toInputOffset: IDENTITY } };
  }
  // Tolerance: the L-field disagrees with the bytes received (seen in real captures). Without CRC blocks to tell
  // where the telegram ends, decode the bytes that are there and say so; the header is in the first 11 bytes.
  if (input.length < 12) return { ok: false, error: { reason: `truncated: L-field says ${l + 1} bytes, ${input.length} present`, offset: input.length } };
  const note = `the L-field says ${l + 1} bytes but ${input.length} arrived: decoded the ${input.length} bytes present`;
  return { ok: true, value: { bytes: input, crc: 'stripped', format: null, note, toInputOffset: IDENTITY } };
}

/** Adds format A CRC blocks to a bare telegram (emulators and raw-capture tests). */
export function addFormatACrc(bare: Uint8Array): Uint8Array {
  const out = new Uint8Array(formatALength(bare[0]!));
  let inPos = 0;
  let outPos = 0;
  let blockLength = 10;
  while (inPos < bare.length) {
    const len = Math.min(blockLength, bare.length - inPos);
    out.set(bare.subarray(inPos, inPos + len), outPos);
    const crc = crcEn13757(bare, inPos, inPos + len);
    out[outPos + len] = crc >> 8;
    out[outPos + len + 1] = crc & 0xff;
    inPos += len;
    outPos += len + 2;
    blockLength = 16;
  }
  return out;
}

function hex4(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, '0');
}
