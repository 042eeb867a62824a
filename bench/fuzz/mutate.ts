import { seededRandom } from '../../src-main/util/seeded-random';

/** The input for index `i` of a seeded run: the same (seed, i) always yields the same bytes, in any process. */
export function inputFor(seed: number, index: number, seeds: readonly Buffer[], maxLength: number, kind: 'bytes' | 'text'): Buffer {
  const random = seededRandom(mix(seed, index));
  // One input in eight is random (structure-free); the rest are seeds with 1–8 stacked mutations.
  if (seeds.length === 0 || random() < 0.125) return randomInput(random, maxLength, kind);
  let bytes: Buffer = Buffer.from(seeds[Math.floor(random() * seeds.length)]!);
  const rounds = 1 + Math.floor(random() * random() * 8);
  for (let r = 0; r < rounds; r++) bytes = mutateOnce(bytes, random, seeds, kind);
  return bytes.length > maxLength ? bytes.subarray(0, maxLength) : bytes;
}

function mix(seed: number, index: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ index, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

const INTERESTING = [0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff, 0x10, 0x16, 0x68, 0x3c, 0x3e, 0x26, 0x22, 0x2f];
const XML_TOKENS = [
  '<!DOCTYPE x [<!ENTITY a "aaaaaaaa">]>',
  '<?xml-stylesheet href="x"?>',
  '<![CDATA[x]]>',
  '<!-- c -->',
  '&a;',
  '&#0;',
  '&#x110000;',
  '<a>',
  '</a>',
  'xmlns:ds="http://www.w3.org/2000/09/xmldsig#"',
  '<ds:Signature>',
  '<ds:SignedInfo>',
  '\u0000',
  '\uFFFF',
  '"',
  '>',
];
const TEXT_TOKENS = ['-', ' ', ':', '$', 'I:', 'Z:', '0', '9', 'F', '"', '{', '}', '[', ']', ',', 'null', '1e309', '\u0000', '\u200b', '٣'];

function mutateOnce(input: Buffer, random: () => number, seeds: readonly Buffer[], kind: 'bytes' | 'text'): Buffer {
  const at = (): number => Math.floor(random() * (input.length + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const op = Math.floor(random() * 9);
  const bytes = Buffer.from(input);
  switch (op) {
    case 0: // flip a bit
      if (bytes.length > 0) bytes[Math.floor(random() * bytes.length)]! ^= 1 << Math.floor(random() * 8);
      return bytes;
    case 1: // set a byte to an interesting or random value
      if (bytes.length > 0) bytes[Math.floor(random() * bytes.length)] = random() < 0.5 ? pick(INTERESTING) : Math.floor(random() * 256);
      return bytes;
    case 2: {
      // delete a run
      const from = at();
      return Buffer.concat([bytes.subarray(0, from), bytes.subarray(from + 1 + Math.floor(random() * 16))]);
    }
    case 3: {
      // insert a token (text) or random bytes
      const from = at();
      const insert =
        kind === 'text'
          ? Buffer.from(pick([...XML_TOKENS, ...TEXT_TOKENS]))
          : Buffer.from(Array.from({ length: 1 + Math.floor(random() * 8) }, () => Math.floor(random() * 256)));
      return Buffer.concat([bytes.subarray(0, from), insert, bytes.subarray(from)]);
    }
    case 4: // truncate
      return bytes.subarray(0, at());
    case 5: {
      // duplicate a chunk (repetition finds super-linear work)
      const from = at();
      const chunk = bytes.subarray(from, from + 1 + Math.floor(random() * 64));
      const times = 1 + Math.floor(random() * (random() < 0.1 ? 200 : 4));
      return Buffer.concat([bytes.subarray(0, from), ...Array.from({ length: times }, () => chunk), bytes.subarray(from)]);
    }
    case 6: {
      // splice with another seed
      const other = pick(seeds);
      const cut = Math.floor(random() * (other.length + 1));
      return Buffer.concat([bytes.subarray(0, at()), other.subarray(cut)]);
    }
    case 7: {
      // swap two bytes
      if (bytes.length > 1) {
        const a = Math.floor(random() * bytes.length);
        const b = Math.floor(random() * bytes.length);
        [bytes[a], bytes[b]] = [bytes[b]!, bytes[a]!];
      }
      return bytes;
    }
    default: {
      // arithmetic on a byte (lengths, counts, offsets)
      if (bytes.length > 0) {
        const i = Math.floor(random() * bytes.length);
        bytes[i] = (bytes[i]! + (random() < 0.5 ? 1 : -1) * (1 + Math.floor(random() * 4))) & 0xff;
      }
      return bytes;
    }
  }
}

function randomInput(random: () => number, maxLength: number, kind: 'bytes' | 'text'): Buffer {
  const length = Math.floor(random() * random() * Math.min(maxLength, 4096));
  if (kind === 'text') {
    const alphabet = ' <>/="\'&;:-$0123456789ABCDEFabcdefxyz!?[]{},\n\t\u0000é٣';
    let text = '';
    for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
    return Buffer.from(text);
  }
  return Buffer.from(Array.from({ length }, () => Math.floor(random() * 256)));
}
