import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { applyEvent, JobEventError, type Job } from '../../src-shared/model/job';
import { eventHashInput, GENESIS_HASH, jobEventSchema, type JobEvent, type UnhashedJobEvent } from '../../src-shared/model/job-event';

/**
 * Reading and checking one job file: `<dataDir>/jobs/<jobId>.jsonl`, one event per line, each line written
 * by a single write followed by fsync. A line counts as committed once it is complete; bytes after the
 * last complete line (or a final line that does not parse, which only a power loss during its write can
 * leave) were never committed: they are reported as the torn tail and cut off by the next writer.
 */

export function hashEvent(event: UnhashedJobEvent): string {
  return createHash('sha256').update(eventHashInput(event), 'utf8').digest('hex');
}

export interface ChainProblem {
  /** The first seq that fails (the line's position when the line itself is unreadable). */
  readonly seq: number;
  readonly reason: string;
}

export interface LoadedJobFile {
  readonly jobId: string;
  /** Events that verified, in order, and the job they fold to (undefined when there are none). */
  readonly events: readonly JobEvent[];
  readonly job: Job | undefined;
  /** Length of the committed prefix (complete lines). */
  readonly committedBytes: number;
  /** Uncommitted bytes after it (a write cut short by a crash). */
  readonly tornBytes: number;
  /** The first integrity failure, if any; events after it are not loaded. */
  readonly problem?: ChainProblem;
}

const NEWLINE = 0x0a;

export async function loadJobFile(path: string, jobId: string): Promise<LoadedJobFile> {
  return parseJobFile(await readFile(path), jobId);
}

export function parseJobFile(data: Buffer, jobId: string): LoadedJobFile {
  // Split into complete lines; whatever follows the last newline is torn.
  const lines: { start: number; end: number }[] = [];
  let start = 0;
  for (let i = 0; i < data.length; i++) {
    if (data[i] === NEWLINE) {
      lines.push({ start, end: i });
      start = i + 1;
    }
  }
  let committedBytes = start;

  const events: JobEvent[] = [];
  let job: Job | undefined;
  let prevHash = GENESIS_HASH;
  for (let index = 0; index < lines.length; index++) {
    const { start: from, end: to } = lines[index]!;
    const seq = index + 1;
    let raw: unknown;
    try {
      raw = JSON.parse(data.subarray(from, to).toString('utf8'));
    } catch {
      if (index === lines.length - 1) {
        // A final line that is not JSON is a write that never completed (its fsync never returned).
        committedBytes = from;
        break;
      }
      return { jobId, events, job, committedBytes, tornBytes: data.length - committedBytes, problem: { seq, reason: `line ${seq} is not valid JSON` } };
    }
    const failure = (reason: string): LoadedJobFile => ({
      jobId,
      events,
      job,
      committedBytes,
      tornBytes: data.length - committedBytes,
      problem: { seq, reason },
    });
    const parsed = jobEventSchema.safeParse(raw);
    if (!parsed.success) return failure(`event ${seq} is malformed: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    const event = parsed.data;
    if (event.jobId !== jobId) return failure(`event ${seq} belongs to job ${event.jobId}`);
    if (event.seq !== seq) return failure(`line ${seq} holds seq ${event.seq}`);
    if (event.prevHash !== prevHash) return failure(`event ${seq} does not chain to event ${seq - 1} (prevHash differs)`);
    if (hashEvent(event) !== event.hash) return failure(`event ${seq} was altered after it was written (hash mismatch)`);
    try {
      job = applyEvent(job, event);
    } catch (error) {
      if (error instanceof JobEventError) return failure(`event ${seq} cannot apply: ${error.message}`);
      throw error;
    }
    events.push(event);
    prevHash = event.hash;
  }
  return { jobId, events, job, committedBytes, tornBytes: data.length - committedBytes };
}
