import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, stat, truncate, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalJson } from '../../src-shared/model/canonical-json';
import {
  applyEvent,
  type DeviceInput,
  findEventKind,
  JobEventError,
  jobCreatedPayload,
  type Job,
  nextDeviceId,
  type PremisesInput,
  type RevealedJob,
  summariseJob,
  type JobSummary,
} from '../../src-shared/model/job';
import { GENESIS_HASH, isSealedSecret, JOB_EVENT_SCHEMA_VERSION, JOB_ID_PATTERN, type JobEvent } from '../../src-shared/model/job-event';
import { workOrderSchema, workOrderToJob } from '../../src-shared/model/work-order';
import { formatZodIssues } from '../../src-shared/model/zod-issues';
import { FileSecretStore } from '../secrets/file-secret-store';
import type { SecretStore } from '../secrets/secret-store';
import { isSecretField } from '../util/redact';
import { writeFileAtomicSync } from './atomic-file';
import { fsyncDirectory, writeFully } from './durable-fs';
import { hashEvent, loadJobFile, type ChainProblem } from './job-file';
import { JobValidationError, StoreError } from './store-errors';
import { acquireStoreLock, type StoreLock } from './store-lock';

/**
 * The durable job store. Each job is an append-only JSON-lines file `<dataDir>/jobs/<jobId>.jsonl`; an event
 * is committed when the single write of its line has been fsynced (and, for a new file, its directory too).
 * Append-only files need no rename dance: a crash can only leave a torn last line, which load ignores and the
 * next writer truncates. One writer per data directory, enforced by store-lock.ts; read-only opens skip the lock.
 */

export const JOBS_DIR = 'jobs';

export interface OpenJobStoreOptions {
  /** Recorded on every event this store writes. */
  readonly engineer: string;
  /** Defaults to the file-backed store in the data directory. The Electron shell passes safeStorage's. */
  readonly secrets?: SecretStore;
  /** Names the lock holder in "in use" messages: "app", "web host", "hantool"… */
  readonly owner?: string;
  /** Read without taking the lock: no writes, no repairs. */
  readonly readOnly?: boolean;
  /** For tests: the clock behind event times. */
  readonly now?: () => Date;
}

export interface CreateJobInput {
  readonly premises: PremisesInput;
  readonly devices?: readonly DeviceInput[];
  readonly workOrderReference?: string;
}

export type VerifyResult =
  | { readonly ok: true; readonly jobId: string; readonly events: number; readonly headHash: string; readonly tornBytes: number }
  | {
      readonly ok: false;
      readonly jobId: string;
      /** Events that verified before the break. */
      readonly events: number;
      /** The first seq that fails. */
      readonly brokenSeq: number;
      readonly reason: string;
      readonly tornBytes: number;
    };

export interface DamagedJob {
  readonly jobId: string;
  readonly seq: number;
  readonly reason: string;
}

export interface AppendResult {
  readonly event: JobEvent;
  readonly job: Job;
}

/** A torn tail the writer cut off at open; its bytes are kept beside the job file for inspection. */
export interface TailRepair {
  readonly jobId: string;
  readonly bytes: number;
  /** Path of the file holding the removed bytes. */
  readonly savedAs: string;
}

interface JobEntry {
  job: Job;
  problem?: ChainProblem;
  /** Bytes of committed lines: where the next line goes, and where a failed write is cut back to. */
  size: number;
}

export class JobStore {
  readonly dataDir: string;
  #engineer: string;
  readonly readOnly: boolean;
  readonly #jobsDir: string;
  readonly #secrets: SecretStore;
  readonly #lock: StoreLock | undefined;
  readonly #now: () => Date;
  readonly #jobs = new Map<string, JobEntry>();
  readonly #repairs: TailRepair[] = [];
  readonly #damaged: DamagedJob[] = [];
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  private constructor(dataDir: string, options: OpenJobStoreOptions, secrets: SecretStore, lock: StoreLock | undefined) {
    this.dataDir = dataDir;
    this.#engineer = options.engineer;
    this.readOnly = options.readOnly === true;
    this.#jobsDir = join(dataDir, JOBS_DIR);
    this.#secrets = secrets;
    this.#lock = lock;
    this.#now = options.now ?? (() => new Date());
  }

  /**
   * Opens the data directory: takes the writer lock (StoreLockedError when held), loads every job, verifies
   * each hash chain and cuts off torn tails left by a crash.
   */
  static async open(dataDir: string, options: OpenJobStoreOptions): Promise<JobStore> {
    const engineer = options.engineer.trim();
    if (!engineer) throw new JobValidationError(['engineer: name the engineer; every event records who made it']);
    // Every event carries this name and its schema allows 100 characters: refuse here rather than write
    // a job.created that would fail its own check on reload.
    if (engineer.length > 100) throw new JobValidationError(['engineer: the name must be at most 100 characters']);
    await mkdir(join(dataDir, JOBS_DIR), { recursive: true });
    const lock = options.readOnly ? undefined : await acquireStoreLock(dataDir, options.owner ?? 'han-commissioner');
    try {
      const secrets = options.secrets ?? (await FileSecretStore.open(dataDir));
      const store = new JobStore(dataDir, { ...options, engineer }, secrets, lock);
      await store.#loadAll();
      return store;
    } catch (error) {
      await lock?.release();
      throw error;
    }
  }

  /** Recorded on every event this store writes. */
  get engineer(): string {
    return this.#engineer;
  }

  /** Who is working from now on (the engineer is one person: the job's engineer and each event's name agree). */
  setEngineer(name: string): void {
    const engineer = name.trim();
    if (!engineer || engineer.length > 100) throw new JobValidationError(['engineer: give a name of 1 to 100 characters']);
    this.#engineer = engineer;
  }

  /** Torn tails cut off when this store opened (uncommitted writes of a crashed writer), for the log. */
  get repairs(): readonly TailRepair[] {
    return this.#repairs;
  }

  /** Job files whose first event fails verification: they cannot be opened, and the engineer is told so. */
  get damagedJobs(): readonly DamagedJob[] {
    return this.#damaged;
  }

  /** How secrets are protected, for the Settings screen. */
  describeSecrets(): ReturnType<SecretStore['describe']> {
    return this.#secrets.describe();
  }

  /** Summaries of every job, most recently updated first. */
  listJobs(): JobSummary[] {
    this.#checkOpen();
    return [...this.#jobs.values()]
      .map((entry) => summariseJob(entry.job))
      .sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : a.id.localeCompare(b.id)));
  }

  /** The job with install codes still sealed (safe to send to the renderer). */
  getJob(jobId: string): Job {
    return this.#entry(jobId).job;
  }

  /** The job with install codes decrypted, for the workflows that use them. Never log or export this. */
  async getRevealedJob(jobId: string): Promise<RevealedJob> {
    const job = this.getJob(jobId);
    const devices = await Promise.all(
      job.devices.map(async ({ installCode, ...device }) => (installCode ? { ...device, installCode: await this.#secrets.decrypt(installCode.enc) } : device)),
    );
    return { ...job, devices };
  }

  /** Creates a job (its job.created event). Install codes are given in plain text and sealed before writing. */
  async createJob(input: CreateJobInput): Promise<Job> {
    return this.#exclusive(async () => {
      this.#checkWritable();
      const parsed = jobCreatedPayload.safeParse(input);
      if (!parsed.success) throw new JobValidationError(formatZodIssues(parsed.error));
      let devicesAdded = 0;
      const devices = parsed.data.devices.map((d) => ({ ...d, id: d.id ?? nextDeviceId({ devicesAdded: devicesAdded++ }) }));
      const payload = await this.#seal({ ...parsed.data, devices });
      const jobId = newJobId(this.#now());
      const event = this.#buildEvent(jobId, 1, GENESIS_HASH, 'job.created', payload);
      const job = applyOrReject(undefined, event);
      const line = Buffer.from(canonicalJson(event) + '\n', 'utf8');
      const path = this.#path(jobId);
      const handle = await open(path, 'wx', 0o600);
      try {
        await writeFully(handle, line);
        await handle.sync();
      } finally {
        await handle.close();
      }
      // The new directory entry must be durable too, or the committed file could vanish after a crash.
      await fsyncDirectory(this.#jobsDir);
      this.#jobs.set(jobId, { job, size: line.length });
      return job;
    });
  }

  /** Creates a job from a work order (JSON text or an already parsed object); see docs/work-order.md. */
  async importWorkOrder(json: unknown): Promise<Job> {
    let value = json;
    if (typeof json === 'string') {
      try {
        value = JSON.parse(json);
      } catch (error) {
        throw new JobValidationError([`work order is not valid JSON: ${(error as Error).message}`]);
      }
    }
    const parsed = workOrderSchema.safeParse(value);
    if (!parsed.success) throw new JobValidationError(formatZodIssues(parsed.error, 'work order'));
    return this.createJob(workOrderToJob(parsed.data));
  }

  /**
   * Appends one event. The payload is validated against the kind's schema (JobValidationError lists what is
   * wrong), secret fields are sealed, and the promise resolves once the line is fsynced: then it is committed.
   */
  async appendEvent(jobId: string, kind: string, payload: unknown): Promise<AppendResult> {
    return this.#exclusive(async () => {
      this.#checkWritable();
      const entry = this.#entry(jobId);
      if (entry.problem) {
        throw new StoreError('INTEGRITY', `job ${jobId} is damaged at event ${entry.problem.seq} (${entry.problem.reason}); it is read-only`);
      }
      if (kind === 'job.created') throw new JobValidationError(['job.created is written by createJob']);
      const definition = findEventKind(kind);
      if (!definition) throw new JobValidationError([`unknown event kind "${kind}"`]);
      const parsed = definition.payload.safeParse(payload);
      if (!parsed.success) throw new JobValidationError(formatZodIssues(parsed.error, kind));
      let data = parsed.data as Record<string, unknown>;
      if (kind === 'device.added' && data.id === undefined) data = { ...data, id: nextDeviceId(entry.job) };
      const sealed = await this.#seal(data);
      const event = this.#buildEvent(jobId, entry.job.seq + 1, entry.job.headHash, kind, sealed);
      const job = applyOrReject(entry.job, event);
      await this.#appendLine(jobId, entry, Buffer.from(canonicalJson(event) + '\n', 'utf8'));
      entry.job = job;
      return { event, job };
    });
  }

  /** Re-reads the job's file from disk and checks every event's hash and chain link. */
  async verify(jobId: string): Promise<VerifyResult> {
    this.#checkOpen();
    return verifyJob(this.dataDir, jobId);
  }

  /** Waits for pending writes and releases the lock. */
  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#exclusive(async () => {
      this.#closed = true;
    });
    await this.#lock?.release();
  }

  // --- internals ---

  async #loadAll(): Promise<void> {
    const names = (await readdir(this.#jobsDir)).filter((name) => name.endsWith('.jsonl'));
    for (const name of names) {
      const jobId = name.slice(0, -'.jsonl'.length);
      if (!JOB_ID_PATTERN.test(jobId)) continue;
      const path = this.#path(jobId);
      const loaded = await loadJobFile(path, jobId);
      if (!this.readOnly && loaded.tornBytes > 0 && !loaded.problem) {
        // Never committed: keep the bytes aside (they may interest an investigator), then cut them off so the
        // next line starts on a clean boundary.
        const savedAs = `${path}.torn-${this.#now().toISOString().replace(/[:.]/g, '')}`;
        writeFileAtomicSync(savedAs, (await readFile(path)).subarray(loaded.committedBytes));
        if (loaded.committedBytes === 0) await unlink(path);
        else {
          await truncate(path, loaded.committedBytes);
          await syncFile(path);
        }
        await fsyncDirectory(this.#jobsDir);
        this.#repairs.push({ jobId, bytes: loaded.tornBytes, savedAs });
      }
      if (!loaded.job) {
        // Its first event does not verify: the job cannot be shown, but it must not vanish unnoticed.
        if (loaded.problem) this.#damaged.push({ jobId, seq: loaded.problem.seq, reason: loaded.problem.reason });
        continue;
      }
      this.#jobs.set(jobId, {
        job: loaded.job,
        size: loaded.problem ? (await stat(path)).size : loaded.committedBytes,
        ...(loaded.problem ? { problem: loaded.problem } : {}),
      });
    }
  }

  async #appendLine(jobId: string, entry: JobEntry, line: Buffer): Promise<void> {
    const path = this.#path(jobId);
    const handle = await open(path, 'r+');
    try {
      await writeFully(handle, line, entry.size);
      await handle.sync();
    } catch (error) {
      // Cut back a partial line so a later append cannot land after garbage.
      try {
        await handle.truncate(entry.size);
        await handle.sync();
      } catch {
        entry.problem = { seq: entry.job.seq + 1, reason: `a failed write could not be rolled back: ${(error as Error).message}` };
      }
      throw error;
    } finally {
      await handle.close();
    }
    entry.size += line.length;
  }

  #buildEvent(jobId: string, seq: number, prevHash: string, kind: string, payload: Record<string, unknown>): JobEvent {
    const unhashed = {
      schemaVersion: JOB_EVENT_SCHEMA_VERSION,
      jobId,
      seq,
      time: this.#now().toISOString(),
      engineer: this.#engineer,
      kind,
      payload,
      prevHash,
    };
    return { ...unhashed, hash: hashEvent(unhashed) };
  }

  /** Replaces every secret-named string field (installCode, keys…) with its sealed form, at any depth. */
  async #seal<T>(value: T): Promise<T> {
    const walk = async (node: unknown): Promise<unknown> => {
      if (Array.isArray(node)) return Promise.all(node.map(walk));
      if (node === null || typeof node !== 'object' || isSealedSecret(node)) return node;
      const out: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(node)) {
        if (typeof field === 'string' && isSecretField(key)) out[key] = { enc: await this.#secrets.encrypt(field) };
        else out[key] = await walk(field);
      }
      return out;
    };
    return (await walk(value)) as T;
  }

  #entry(jobId: string): JobEntry {
    this.#checkOpen();
    const entry = this.#jobs.get(jobId);
    if (!entry) throw new StoreError('NOT_FOUND', `no job ${JSON.stringify(jobId)}`);
    return entry;
  }

  #path(jobId: string): string {
    return join(this.#jobsDir, `${jobId}.jsonl`);
  }

  #checkOpen(): void {
    if (this.#closed) throw new StoreError('CLOSED', 'the job store is closed');
  }

  #checkWritable(): void {
    this.#checkOpen();
    if (this.readOnly) throw new StoreError('READ_ONLY', 'the job store was opened read-only');
  }

  /** Runs writes one at a time, in call order. */
  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

/**
 * Checks one job file without opening a store (no lock, no repair): JSON, schema, seq, prevHash link,
 * recomputed SHA-256 and that each event applies. Reports the first broken seq.
 */
export async function verifyJob(dataDir: string, jobId: string): Promise<VerifyResult> {
  if (!JOB_ID_PATTERN.test(jobId)) throw new StoreError('NOT_FOUND', `no job ${JSON.stringify(jobId)}`);
  let loaded;
  try {
    loaded = await loadJobFile(join(dataDir, JOBS_DIR, `${jobId}.jsonl`), jobId);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new StoreError('NOT_FOUND', `no job ${jobId}`);
    throw error;
  }
  const base = { jobId, events: loaded.events.length, tornBytes: loaded.tornBytes };
  if (loaded.problem) return { ok: false, ...base, brokenSeq: loaded.problem.seq, reason: loaded.problem.reason };
  if (!loaded.job) return { ok: false, ...base, brokenSeq: 1, reason: 'the job file holds no committed event' };
  return { ok: true, ...base, headHash: loaded.job.headHash };
}

function applyOrReject(job: Job | undefined, event: JobEvent): Job {
  try {
    return applyEvent(job, event);
  } catch (error) {
    if (error instanceof JobEventError) throw new JobValidationError([error.message]);
    throw error;
  }
}

/** "J20261127-3f9a1c0d": sortable by day, random enough that parallel instances never collide. */
function newJobId(now: Date): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '');
  return `J${day}-${randomBytes(4).toString('hex')}`;
}

async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
