import { type ByteReader, toHex } from './bytes';

/**
 * The ASN.1 use cases (GBCS 10.x: CS02 security credentials, CS03 joins, CS04 unjoins, CS06/CS08 firmware,
 * CS07 join details, GCS59/62 GPF device log…) are DER. They are read into a typed tree (tag, class,
 * constructed, children or contents) that `results.ts` interprets for the use cases the app acts on.
 */
export interface Asn1Node {
  readonly tag: number;
  readonly tagClass: 'universal' | 'application' | 'context' | 'private';
  readonly constructed: boolean;
  readonly children?: readonly Asn1Node[];
  /** Contents of a primitive node (hex). */
  readonly hex?: string;
}

const CLASSES = ['universal', 'application', 'context', 'private'] as const;
const MAX_DEPTH = 24;

export function readAsn1(reader: ByteReader, depth = 0): Asn1Node {
  const at = reader.offset;
  if (depth > MAX_DEPTH) reader.fail('ASN.1 nested too deeply');
  const identifier = reader.u8('ASN.1 tag');
  let tag = identifier & 0x1f;
  if (tag === 0x1f) {
    tag = 0;
    for (let i = 0; ; i++) {
      if (i > 3) reader.fail('ASN.1 tag number too long', at);
      const b = reader.u8('ASN.1 tag');
      tag = tag * 128 + (b & 0x7f);
      if (!(b & 0x80)) break;
    }
  }
  const tagClass = CLASSES[identifier >> 6]!;
  const constructed = (identifier & 0x20) !== 0;
  const body = reader.sub(reader.berLength('ASN.1 length'), 'ASN.1 contents');
  if (!constructed) return { tag, tagClass, constructed, hex: toHex(body.take(body.remaining)) };
  const children: Asn1Node[] = [];
  while (body.remaining > 0) children.push(readAsn1(body, depth + 1));
  return { tag, tagClass, constructed, children };
}

/** Reads one DER element filling the whole content. */
export function readAsn1Content(reader: ByteReader): Asn1Node {
  const node = readAsn1(reader);
  reader.expectEnd('ASN.1 content');
  return node;
}

export function asn1Integer(node: Asn1Node | undefined): number | undefined {
  if (!node?.hex || node.constructed) return undefined;
  const value = BigInt.asIntN(node.hex.length * 4, BigInt('0x' + (node.hex || '0')));
  return Number(value);
}
