/**
 * Errors of the job store. Each has a stable `code` the IPC layer turns into a Result error
 * ({ok:false, error:{code, message}}); messages are written for the engineer.
 */
export type StoreErrorCode =
  | 'INVALID_INPUT' // a payload, work order or id failed validation; `issues` lists what is wrong
  | 'NOT_FOUND' // no such job
  | 'LOCKED' // another process holds the data directory; `holder` says who
  | 'INTEGRITY' // the job's hash chain is broken or its file is damaged; appends are refused
  | 'READ_ONLY' // the store was opened read-only
  | 'CLOSED'; // the store was closed

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

export class JobValidationError extends StoreError {
  constructor(readonly issues: readonly string[]) {
    super('INVALID_INPUT', issues.join('; '));
    this.name = 'JobValidationError';
  }
}

export interface LockHolder {
  readonly pid: number;
  readonly hostname: string;
  /** ISO time the holder took the lock. */
  readonly startedAt: string;
  /** What holds it: "app", "web host", "hantool"… */
  readonly owner: string;
}

export class StoreLockedError extends StoreError {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder | undefined,
    detail?: string,
  ) {
    const who = holder ? `${holder.owner} (pid ${holder.pid} on ${holder.hostname}, since ${holder.startedAt})` : 'another process';
    super(
      'LOCKED',
      `The data directory ${dataDir} is in use by ${who}${detail ? `: ${detail}` : ''}. Close it first, or set HAN_DATA_DIR to use another directory.`,
    );
    this.name = 'StoreLockedError';
  }
}
