/**
 * Field names whose values are secrets wherever they appear (logs, exports): install codes, link/network keys,
 * wM-Bus keys, DCC private keys, tokens. Matching by name keeps redaction independent of the value's format.
 */
const SECRET_FIELD = /(install_?code|link_?key|network_?key|nwk_?key|private_?key|^key$|keyhex|aes_?key|meter_?key|password|passphrase|token|secret)/i;

export const REDACTED = '[redacted]';

export function isSecretField(name: string): boolean {
  return SECRET_FIELD.test(name);
}

/** Deep copy with every secret field replaced by "[redacted]". Cycles are cut. */
export function redact(value: unknown, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (seen.has(value)) return '[cycle]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redact(item, seen));
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(value)) out[name] = isSecretField(name) ? REDACTED : redact(field, seen);
  return out;
}

/**
 * For free text from libraries (not our structured fields): masks hex runs of 24+ digits (12-byte and longer
 * install codes, 128-bit keys; EUI-64s and short ids stay readable) and byte arrays of 12+ numbers.
 */
export function scrubSecrets(text: string): string {
  return text.replace(/\b(?:0x)?[0-9A-Fa-f]{24,}\b/g, REDACTED).replace(/\[\s*(?:\d{1,3}\s*,\s*){11,}\d{1,3}\s*\]/g, REDACTED);
}
