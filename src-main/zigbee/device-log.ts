import { parseInstallCode, type InstallCodeError } from '../../src-shared/model/install-code';
import type { DeviceLogEntry } from '../../src-shared/model/han';
import { installCodeLinkKey } from './link-key';

export type { DeviceLogEntry };

/** The Comms Hub's device log holds at most 16 devices; our per-job whitelist follows the same rule. */
export const DEVICE_LOG_CAPACITY = 16;

export type DeviceLogAddResult =
  | { readonly ok: true; readonly entry: DeviceLogEntry }
  | { readonly ok: false; readonly error: InstallCodeError | { readonly code: 'LOG_FULL' | 'NO_EUI64' | 'DUPLICATE'; readonly message: string } };

const EUI64 = /^[0-9A-F]{16}$/;

/** Normalises an EUI-64 typed as 16 hex digits with optional 0x prefix or separators. */
export function normaliseEui64(text: string): string | undefined {
  const hex = text
    .trim()
    .toUpperCase()
    .replace(/^0X/, '')
    .replace(/[:\-\s]/g, '');
  return EUI64.test(hex) ? hex : undefined;
}

export class DeviceLog {
  readonly #entries = new Map<string, DeviceLogEntry>();

  constructor(entries: readonly DeviceLogEntry[] = []) {
    for (const entry of entries.slice(0, DEVICE_LOG_CAPACITY)) this.#entries.set(entry.eui64, entry);
  }

  /** Adds a label, or an EUI-64 plus a code; replaces the entry for the same EUI-64. */
  add(codeOrLabel: string, eui64?: string): DeviceLogAddResult {
    const parsed = parseInstallCode(codeOrLabel);
    if (!parsed.ok) return { ok: false, error: parsed.error };
    const ieee = parsed.value.ieee ?? (eui64 !== undefined ? normaliseEui64(eui64) : undefined);
    if (!ieee) return { ok: false, error: { code: 'NO_EUI64', message: 'Give the device’s EUI-64 (16 hexadecimal digits) or scan its label.' } };
    if (eui64 !== undefined && parsed.value.ieee && normaliseEui64(eui64) !== parsed.value.ieee) {
      return { ok: false, error: { code: 'DUPLICATE', message: `The label is for ${parsed.value.ieee}, not ${normaliseEui64(eui64) ?? eui64}.` } };
    }
    if (!this.#entries.has(ieee) && this.#entries.size >= DEVICE_LOG_CAPACITY) {
      return { ok: false, error: { code: 'LOG_FULL', message: `The device log is full (${DEVICE_LOG_CAPACITY} devices); remove one first.` } };
    }
    const { installCode, crc, crcSupplied } = parsed.value;
    const entry: DeviceLogEntry = { eui64: ieee, installCode, crc, crcSupplied, linkKey: installCodeLinkKey(installCode, crc) };
    this.#entries.set(ieee, entry);
    return { ok: true, entry };
  }

  remove(eui64: string): boolean {
    const key = normaliseEui64(eui64);
    return key !== undefined && this.#entries.delete(key);
  }

  has(eui64: string): boolean {
    const key = normaliseEui64(eui64);
    return key !== undefined && this.#entries.has(key);
  }

  get(eui64: string): DeviceLogEntry | undefined {
    const key = normaliseEui64(eui64);
    return key ? this.#entries.get(key) : undefined;
  }

  list(): DeviceLogEntry[] {
    return [...this.#entries.values()];
  }
}
