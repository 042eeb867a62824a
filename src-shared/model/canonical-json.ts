/**
 * Deterministic JSON: object keys sorted, no whitespace. The job timeline hashes this form, so the same event
 * always hashes the same whatever order its fields were built in. Only JSON values are allowed.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonicalJson: numbers must be finite');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return '[' + value.map(canonicalJson).join(',') + ']';
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return '{' + entries.map(([key, field]) => JSON.stringify(key) + ':' + canonicalJson(field)).join(',') + '}';
  }
  throw new TypeError(`canonicalJson: ${typeof value} is not a JSON value`);
}
