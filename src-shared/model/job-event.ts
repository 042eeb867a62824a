import { z } from 'zod';
import { canonicalJson } from './canonical-json';

/**
 * The envelope every job event carries. Events are evidence an auditor may read, so each one records its
 * schema version, position (seq), UTC time, engineer and kind, and is chained to the previous event by
 * SHA-256: hash = sha256(canonicalJson(event without `hash`)), prevHash = the previous event's hash
 * (GENESIS_HASH for seq 1). Hashing itself runs in main (node:crypto); this module stays pure.
 */

export const JOB_EVENT_SCHEMA_VERSION = 1;
export const GENESIS_HASH = '0'.repeat(64);

/** Job ids become file names, so they are restricted to a safe alphabet. */
export const JOB_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** Dotted lower-case kinds: job.created, device.added, later han.joined, dcc.response, verification.recorded… */
export const EVENT_KIND_PATTERN = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;

const hashSchema = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits (SHA-256)');

/** A secret as stored: ciphertext from the secret store. Plain text never reaches the job files. */
export const sealedSecretSchema = z.object({ enc: z.string().min(1) }).strict();
export type SealedSecret = z.infer<typeof sealedSecretSchema>;

export function isSealedSecret(value: unknown): value is SealedSecret {
  return sealedSecretSchema.safeParse(value).success;
}

export const jobEventSchema = z
  .object({
    schemaVersion: z.number().int().min(1),
    jobId: z.string().regex(JOB_ID_PATTERN, 'job id may use letters, digits, "-" and "_" (max 64)'),
    seq: z.number().int().min(1),
    time: z.iso.datetime({ message: 'time must be an ISO-8601 UTC timestamp ending in Z' }),
    engineer: z.string().trim().min(1).max(100),
    kind: z.string().regex(EVENT_KIND_PATTERN, 'kind must look like "device.added"'),
    payload: z.record(z.string(), z.unknown()),
    prevHash: hashSchema,
    hash: hashSchema,
  })
  .strict();

export type JobEvent = z.infer<typeof jobEventSchema>;
export type UnhashedJobEvent = Omit<JobEvent, 'hash'>;

/** The exact text whose SHA-256 is the event's hash. */
export function eventHashInput(event: UnhashedJobEvent | JobEvent): string {
  const { hash: _ignored, ...rest } = event as JobEvent;
  void _ignored;
  return canonicalJson(rest);
}
