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
