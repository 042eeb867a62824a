import { decodeGbcs, type GbcsDecodeResult } from './decode';
import type { GbcsKeyStore } from './keys';

/**
 * Seeded mutation of GBCS messages (the fuzz test runs it over the RTDS set; issue 15's `npm run fuzz` can reuse
 * it): bit flips, random bytes, insertions, deletions, truncation, duplicated slices and length-field
 * extremes, 1–4 per input. Reports every input whose decoding threw or broke the result contract.
 */
export interface FuzzReport {
  readonly inputs: number;
  readonly refused: number;
  readonly decoded: number;
  readonly violations: readonly { readonly input: string; readonly problem: string }[];
}

export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    // xorshift32
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
}

export function mutate(original: Uint8Array, random: () => number): Buffer {
  let bytes = Buffer.from(original);
  const count = 1 + Math.floor(random() * 4);
  for (let m = 0; m < count; m++) {
    const at = Math.floor(random() * Math.max(1, bytes.length));
    switch (Math.floor(random() * 7)) {
      case 0:
        if (bytes.length) bytes[at]! ^= 1 << Math.floor(random() * 8);
        break;
      case 1:
        if (bytes.length) bytes[at] = Math.floor(random() * 256);
        break;
      case 2:
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.of(Math.floor(random() * 256)), bytes.subarray(at)]);
        break;
      case 3:
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1 + Math.floor(random() * 8))]);
        break;
      case 4:
        bytes = bytes.subarray(0, at);
        break;
      case 5: {
        const length = Math.floor(random() * 32);
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at, at + length), bytes.subarray(at)]);
        break;
      }
      default:
        if (bytes.length) bytes[at] = [0x00, 0x7f, 0x80, 0x81, 0x82, 0x83, 0x84, 0xff][Math.floor(random() * 8)]!;
    }
  }
  return bytes;
}

/** What breaks the decoder's promise for one input (shared with `npm run fuzz -- gbcs`), or undefined. */
export function contractProblem(result: GbcsDecodeResult, length: number): string | undefined {
  if (!result.ok) {
    if (result.reason.startsWith('internal decoder error')) return result.reason;
    if (!Number.isInteger(result.offset) || result.offset < 0 || result.offset > length) return `offset ${result.offset} outside the input`;
    return undefined;
  }
  if (!result.trusted && (result.content !== null || result.plaintext !== null || result.reading !== null)) return 'untrusted content shown';
  if ((result.mac === 'invalid' || result.signature === 'invalid') && result.trusted) return 'invalid verdict yet trusted';
  return undefined;
}

export function fuzzGbcs(corpus: readonly Uint8Array[], keys: GbcsKeyStore, inputs: number, seed: number): FuzzReport {
  const random = seededRandom(seed);
  const violations: { input: string; problem: string }[] = [];
  let refused = 0;
  for (let i = 0; i < inputs; i++) {
    const input = mutate(corpus[Math.floor(random() * corpus.length)]!, random);
    let problem: string | undefined;
    try {
      const result = decodeGbcs(input, keys);
      if (!result.ok) refused++;
      problem = contractProblem(result, input.length);
    } catch (error) {
      problem = `threw ${error instanceof Error ? error.stack : String(error)}`;
    }
    if (problem && violations.length < 20) violations.push({ input: input.toString('hex'), problem });
  }
  return { inputs, refused, decoded: inputs - refused, violations };
}
