import { z } from 'zod';
import { EUI64_PATTERN, normaliseEui64 } from './eui64';
import { parseInstallCode } from './install-code';

/**
 * A device's identity as it is entered: the EUI-64 typed by the engineer and the install code or printed label
 * (`Z:<EUI>$I:<code>` or `<EUI>|<code>`). The label names its own EUI-64, so it is read from there and a label for
 * another device is refused with both values named, before anything is recorded.
 */

/** Why a device on the job was corrected or removed; recorded with the event, shown in the job view. */
export const DEVICE_CHANGE_REASONS = ['mistyped', 'wrong-device-fitted', 'returned', 'faulty', 'not-fitted', 'other'] as const;
export type DeviceChangeReason = (typeof DEVICE_CHANGE_REASONS)[number];

/** Device types that live on the ZigBee HAN and so are identified by an EUI-64. */
export const HAN_DEVICE_TYPES: readonly string[] = ['ESME', 'GSME', 'IHD', 'PPMID', 'CHF', 'GPF'];

/** An M-Bus meter's identity from its telegram header: what tells two meters apart on the job. */
export const mbusIdentitySchema = z
  .object({
    manufacturer: z.string().regex(/^[A-Z@[\\\]^_]{3}$/, 'three capital letters'),
    id: z.string().regex(/^[0-9A-F]{8}$/i, 'eight digits'),
    medium: z.string().trim().min(1).max(40),
    version: z.number().int().min(0).max(255),
    /** Wired primary address when it was found by a primary scan. */
    primary: z.number().int().min(0).max(250).optional(),
    wireless: z.boolean().optional(),
  })
  .strict();
export type MbusIdentity = z.output<typeof mbusIdentitySchema>;

/** Two M-Bus identities name the same meter (manufacturer, id, version and medium; the address does not matter). */
export function sameMbusMeter(a: MbusIdentity, b: MbusIdentity): boolean {
  return a.manufacturer === b.manufacturer && a.id.toUpperCase() === b.id.toUpperCase() && a.version === b.version && a.medium === b.medium;
}

export interface EnteredIdentity {
  readonly eui64?: string | undefined;
  /** Install code or label as typed or scanned. */
  readonly installCode?: string | undefined;
}

export type ResolvedIdentity =
  | { readonly ok: true; readonly eui64?: string; readonly installCode?: string }
  | { readonly ok: false; readonly field: 'eui64' | 'installCode'; readonly message: string };

/**
 * Reads the EUI-64 from a label and checks it against the typed one. `requireEui64`: a device added by hand needs
 * one (typed or read from its label); devices expected from a work order may have none until scanned or joined.
 */
export function resolveIdentity(entered: EnteredIdentity, options: { requireEui64: boolean }): ResolvedIdentity {
  const typed = entered.eui64 !== undefined && entered.eui64.trim() !== '' ? normaliseEui64(entered.eui64) : undefined;
  if (typed !== undefined && !EUI64_PATTERN.test(typed)) {
    return { ok: false, field: 'eui64', message: 'An EUI-64 is 16 hexadecimal digits (0–9, A–F), as printed on the device label.' };
  }
  let eui64 = typed;
  let installCode: string | undefined;
  if (entered.installCode !== undefined && entered.installCode.trim() !== '') {
    const parsed = parseInstallCode(entered.installCode);
    if (!parsed.ok) return { ok: false, field: 'installCode', message: parsed.error.message };
    installCode = parsed.value.installCode + parsed.value.crc;
    const fromLabel = parsed.value.ieee;
    if (fromLabel !== null) {
      if (typed !== undefined && typed !== fromLabel) {
        return {
          ok: false,
          field: 'eui64',
          message: `The label is for EUI-64 ${fromLabel} but ${typed} was typed: check which device you are holding and re-enter or re-scan it.`,
        };
      }
      eui64 = fromLabel;
    }
  }
  if (options.requireEui64 && eui64 === undefined) {
    return { ok: false, field: 'eui64', message: "Enter the device's EUI-64, or scan its label into the install-code field." };
  }
  return { ok: true, ...(eui64 !== undefined ? { eui64 } : {}), ...(installCode !== undefined ? { installCode } : {}) };
}

/**
 * A zod transform for an object carrying `eui64` and a raw `installCode`: the install code comes out canonical
 * (code + CRC), the EUI-64 read from the label, and problems are reported on the field they belong to.
 */
export function identityTransform<T extends { type?: string; eui64?: string | undefined; installCode?: string | undefined }>(
  requireEui64: (value: T) => boolean,
) {
  return (value: T, ctx: z.RefinementCtx): T => {
    const resolved = resolveIdentity(value, { requireEui64: requireEui64(value) });
    if (!resolved.ok) {
      ctx.addIssue({ code: 'custom', message: resolved.message, path: [resolved.field], input: value });
      return z.NEVER;
    }
    const { eui64: _typed, installCode: _raw, ...rest } = value;
    void _typed;
    void _raw;
    return {
      ...rest,
      ...(resolved.eui64 !== undefined ? { eui64: resolved.eui64 } : {}),
      ...(resolved.installCode !== undefined ? { installCode: resolved.installCode } : {}),
    } as T;
  };
}
