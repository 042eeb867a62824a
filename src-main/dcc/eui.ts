/**
 * EUI-64 forms. The project stores EUI-64s as 16 upper-case hex digits; DUIS writes them as
 * `XX-XX-XX-XX-XX-XX-XX-XX` (DUIS `EUI` pattern). Both are accepted on input.
 */
const COMPACT = /^[0-9A-Fa-f]{16}$/;
const DASHED = /^([0-9A-Fa-f]{2}-){7}[0-9A-Fa-f]{2}$/;

export function isEui64(value: string): boolean {
  return COMPACT.test(value) || DASHED.test(value);
}

/** `90B3D51F30010000` or `90-b3-…` → `90-B3-D5-1F-30-01-00-00`. Throws on anything else. */
export function toDuisEui(value: string): string {
  if (!isEui64(value)) throw new Error(`not an EUI-64: "${value}"`);
  return compactEui(value).match(/../g)!.join('-');
}

/** Any accepted form → 16 upper-case hex digits. */
export function compactEui(value: string): string {
  if (!isEui64(value)) throw new Error(`not an EUI-64: "${value}"`);
  return value.replace(/-/g, '').toUpperCase();
}
