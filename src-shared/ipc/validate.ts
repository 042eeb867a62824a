import type { z } from 'zod';
import { isRequestChannel, requestChannels, type ParsedArgs, type RequestChannel } from './contract';
import { fail, ok, type Result } from './result';

/** Turns zod issues into one readable sentence: "premises.mpan: … is not a valid MPAN …; notes: too long". */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/** A printable name for whatever arrived as a channel (it may be any JSON value, or worse). */
export function describeChannel(channel: unknown): string {
  return typeof channel === 'string' ? JSON.stringify(channel.slice(0, 80)) : `(a ${typeof channel}, not a name)`;
}

/** Validates a raw IPC argument against its channel's schema; never throws. */
export function validateRequest<C extends RequestChannel>(channel: C, raw: unknown): Result<ParsedArgs<C>>;
export function validateRequest(channel: unknown, raw: unknown): Result<unknown>;
export function validateRequest(channel: unknown, raw: unknown): Result<unknown> {
  if (!isRequestChannel(channel)) return fail('UNKNOWN_CHANNEL', `There is no request channel named ${describeChannel(channel)}.`);
  const parsed = (requestChannels[channel].args as z.ZodType).safeParse(raw);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.map(String).join('.')))];
    return { ok: false, error: { code: 'INVALID_ARGUMENT', message: `Invalid argument for ${channel}: ${describeIssues(parsed.error)}`, fields } };
  }
  return ok(parsed.data);
}
