import { z } from 'zod';
import { mbusIdentitySchema } from './device-identity';
import { eui64Schema } from './eui64';
import { parseInstallCode } from './install-code';
import { type SealedSecret, sealedSecretSchema } from './job-event';
import { normaliseMpan, parseMpan } from './mpan';
import { parseMprn } from './mprn';

/** A job's fields as entered or imported: device types and statuses, the premises and a device's fields, with their checks. */

export const DEVICE_TYPES = ['ESME', 'GSME', 'IHD', 'PPMID', 'CHF', 'GPF', 'MBUS', 'OTHER'] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];

/** Where a device is in the visit: listed on the work order, fitted, on the HAN, commissioned, or failed. */
export const DEVICE_STATUSES = ['expected', 'installed', 'joined', 'commissioned', 'failed'] as const;
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];

export const JOB_STATUSES = ['open', 'completed', 'aborted'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** A required, trimmed text of at most `max` characters. */
export const requiredText = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

export const mpanSchema = z.string().transform((value, ctx) => {
  const result = parseMpan(value);
  if (!result.ok) {
    ctx.addIssue({ code: 'custom', message: result.error, input: value });
    return z.NEVER;
  }
  return normaliseMpan(value);
});

export const mprnSchema = z.string().transform((value, ctx) => {
  const result = parseMprn(value);
  if (!result.ok) {
    ctx.addIssue({ code: 'custom', message: result.error, input: value });
    return z.NEVER;
  }
  return result.value;
});

/** An install code as typed or scanned; stored canonically as code + CRC in upper-case hex. */
export const installCodeSchema = z.string().transform((value, ctx) => {
  const result = parseInstallCode(value);
  if (!result.ok) {
    ctx.addIssue({ code: 'custom', message: result.error.message, input: value });
    return z.NEVER;
  }
  return result.value.installCode + result.value.crc;
});

/**
 * A secret payload field: plain text on input (validated by `plain`), `{enc}` once the store has sealed it.
 * Not a z.union, so a bad install code reports its own message rather than "Invalid input".
 */
export function secretField(plain: z.ZodType<string, string>) {
  return z.unknown().transform((value, ctx): SealedSecret | string => {
    const schema: z.ZodType<SealedSecret | string> = typeof value === 'object' && value !== null ? sealedSecretSchema : plain;
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path, input: value });
    return z.NEVER;
  });
}

/** Free-text labels must not carry the install code (a scanned "Z:…$I:…" label would put it in plain text). */
export const deviceLabelSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .refine((value) => !/\$I:/i.test(value), { message: 'label must not contain the install code; enter the code in its own field' });

const isoTime = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date and time, e.g. 2026-11-27T09:00:00Z' });

export const appointmentSchema = z
  .object({ start: isoTime, end: isoTime.optional() })
  .strict()
  .refine((a) => a.end === undefined || Date.parse(a.end) >= Date.parse(a.start), {
    message: 'appointment end must not be before its start',
    path: ['end'],
  });

export const addressSchema = z
  .object({
    line1: requiredText(200),
    line2: requiredText(200).optional(),
    town: requiredText(100),
    postcode: requiredText(10),
  })
  .strict();

export const premisesSchema = z
  .object({
    address: addressSchema,
    mpan: mpanSchema.optional(),
    mprn: mprnSchema.optional(),
    /** The engineer the visit is assigned to (each event also records who made it). */
    engineer: requiredText(100).optional(),
    /** Access and site notes, e.g. "meter in the cellar". */
    notes: z.string().max(4000).optional(),
    appointment: appointmentSchema.optional(),
  })
  .strict();
export type Premises = z.output<typeof premisesSchema>;
export type PremisesInput = z.input<typeof premisesSchema>;

export const deviceIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'device id may use letters, digits, "-" and "_"');

export const deviceFieldsSchema = z
  .object({
    /** Assigned by the store when absent ("D1", "D2"…). */
    id: deviceIdSchema.optional(),
    type: z.enum(DEVICE_TYPES),
    /** Unknown until the device is on site when it comes from a work order. */
    eui64: eui64Schema.optional(),
    installCode: secretField(installCodeSchema).optional(),
    status: z.enum(DEVICE_STATUSES).default('expected'),
    label: deviceLabelSchema.optional(),
    /** M-Bus meters: their identity from the telegram header. */
    mbus: mbusIdentitySchema.optional(),
  })
  .strict();
export type DeviceInput = z.input<typeof deviceFieldsSchema>;
