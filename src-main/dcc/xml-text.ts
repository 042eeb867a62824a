/** Escapes text and attribute values for the XML the builders write (no CDATA, no entities beyond the five). */
export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** One element with escaped text; `undefined` values are omitted so optional DUIS fields simply disappear. */
export function el(name: string, value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** An element wrapping already-built children. Empty children give a self-closed element. */
export function wrap(name: string, children: string, attributes = ''): string {
  const attrs = attributes ? ` ${attributes}` : '';
  return children ? `<${name}${attrs}>${children}</${name}>` : `<${name}${attrs}/>`;
}

/** Characters XML 1.0 cannot carry at all, escaped or not (C0 controls but tab, CR, LF; U+FFFE/U+FFFF; lone surrogates). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this finds
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Paths (e.g. "additionalInformation") of string values that hold a character XML forbids. */
export function xmlForbiddenPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return XML_FORBIDDEN.test(value) ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => xmlForbiddenPaths(item, [...path, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => xmlForbiddenPaths(item, [...path, key]));
  return [];
}

/** The trimmed text of an element as fast-xml-parser gives it; `undefined` when it is absent or not text. */
export function nodeText(value: unknown): string | undefined {
  return typeof value === 'string' ? value.trim() : undefined;
}
