/**
 * What DUIS never contains, refused before any XML parser or canonicaliser sees the document: those costs grow
 * faster than the document (thousands of comments, deep nesting) and are paid before the signature is trusted,
 * on the listener's request thread. One linear pass; each refusal names its reason.
 */
export const DUIS_LIMITS = {
  /** A DUIS response with its GBCS payload is a few kilobytes; the largest (device logs, 12.1 echoes) far below this. */
  maxBytes: 1024 * 1024,
  /** The DUIS schema's deepest path (Response/Body/ResponseMessage/…/ds:X509IssuerSerial/…) is under 20 levels. */
  maxDepth: 32,
  maxElements: 20_000,
} as const;

export type ScreenFailure = { readonly refused: string };

const NAME_END = /[\s/>]/;

function localName(tag: string): string {
  const name = tag.slice(0, tag.search(NAME_END) === -1 ? tag.length : tag.search(NAME_END));
  return name.slice(name.indexOf(':') + 1);
}

/** Index of the `>` ending a tag that starts at `from`, skipping quoted attribute values; -1 if none. */
function tagEnd(xml: string, from: number): number {
  let quote = '';
  for (let i = from; i < xml.length; i++) {
    const c = xml[i]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i;
  }
  return -1;
}

/** Undefined when the document has the shape DUIS allows; otherwise why not. */
export function screenDuisXml(xml: string): ScreenFailure | undefined {
  if (xml.length > DUIS_LIMITS.maxBytes) return { refused: `larger than ${DUIS_LIMITS.maxBytes} bytes` };
  let depth = 0;
  let elements = 0;
  let rootClosed = false;
  let signatures = 0;
  let signedInfos = 0;
  let at = 0;
  for (;;) {
    const open = xml.indexOf('<', at);
    const text = xml.slice(at, open === -1 ? xml.length : open);
    if (depth === 0 && text.trim() !== '') return { refused: 'text outside the root element' };
    if (open === -1) break;
    if (xml.startsWith('<?', open)) {
      if (open !== 0 || !/^<\?xml\s/.test(xml)) return { refused: 'a processing instruction' };
      const end = xml.indexOf('?>', open);
      if (end === -1) return { refused: 'an unterminated XML declaration' };
      at = end + 2;
      continue;
    }
    if (xml.startsWith('<!--', open)) return { refused: 'a comment' };
    if (xml.startsWith('<![CDATA[', open)) return { refused: 'a CDATA section' };
    if (xml.startsWith('<!', open)) return { refused: 'a DOCTYPE or other declaration' };
    const end = tagEnd(xml, open + 1);
    if (end === -1) return { refused: 'an unterminated tag' };
    const tag = xml.slice(open + 1, end);
    if (tag.startsWith('/')) {
      depth--;
      if (depth < 0) return { refused: 'an end tag without its start' };
      if (depth === 0) rootClosed = true;
    } else {
      if (depth === 0 && rootClosed) return { refused: 'more than one root element' };
      if (++elements > DUIS_LIMITS.maxElements) return { refused: `more than ${DUIS_LIMITS.maxElements} elements` };
      const name = localName(tag);
      if (name === 'Signature' && ++signatures > 1) return { refused: 'more than one Signature' };
      if (name === 'SignedInfo' && ++signedInfos > 1) return { refused: 'more than one SignedInfo' };
      if (!tag.endsWith('/')) {
        depth++;
        if (depth > DUIS_LIMITS.maxDepth) return { refused: `elements nested deeper than ${DUIS_LIMITS.maxDepth}` };
      }
    }
    at = end + 1;
  }
  if (!rootClosed || depth !== 0) return { refused: 'no complete root element' };
  return undefined;
}
