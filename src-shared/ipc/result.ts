/**
 * Errors cross every bridge as data, never as thrown exceptions, so the renderer can show them and nothing is
 * lost in Electron's or the WebSocket's error serialisation.
 */
export interface AppErrorData {
  /** Stable machine-readable code, e.g. INVALID_ARGUMENT, NOT_FOUND, LOCKED, ADAPTER_LOST. */
  readonly code: string;
  /** One sentence for the engineer: what is wrong and, where possible, what to do. */
  readonly message: string;
  /** For INVALID_ARGUMENT: the paths of the fields that failed ("premises.mpan"), so a form can mark them. */
  readonly fields?: readonly string[];
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: AppErrorData };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: string, message: string, fields?: readonly string[]): Result<never> => ({
  ok: false,
  error: { code, message, ...(fields?.length ? { fields } : {}) },
});

/** Thrown inside main-process services to produce a Result error with a specific code. */
export class AppError extends Error {
  readonly code: string;
  constructor(
    code: string,
    message: string,
    /** The fields the message is about, so a form shows it beside them. */
    readonly fields?: readonly string[],
  ) {
    super(message);
    this.name = 'AppError';
    this.code = code;
  }
}
