import { createLogAppender, type LogRotationOptions } from './log-rotation';
import { redact } from './redact';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Structured logger; every field passes through redaction before it is written anywhere. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(namespace: string): Logger;
}

export interface LoggerOptions {
  /** Folder for daily files `han-YYYY-MM-DD.log` (JSON lines); omitted = no file. */
  dir?: string;
  /** Also write human-readable lines to stderr (CLI, sim, web host). */
  stderr?: boolean;
  level?: LogLevel;
  namespace?: string;
  /** Size caps for the files in `dir` (defaults: 10 MB a file, 50 MB in all). */
  rotation?: LogRotationOptions;
}

/** The log file for a UTC day; a day past the size cap continues in a new file and the old one becomes `.1`. */
export function logFileName(date: Date): string {
  return `han-${date.toISOString().slice(0, 10)}.log`;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = LEVELS[options.level ?? (process.env.HAN_LOG_LEVEL as LogLevel | undefined) ?? 'info'] ?? LEVELS.info;
  let append: ((fileName: string, text: string) => void) | undefined;
  try {
    append = options.dir ? createLogAppender(options.dir, options.rotation) : undefined;
  } catch {
    // A log folder that cannot be made (read-only disk) must not stop the app: it runs without file logs.
  }
  const write = (namespace: string, level: LogLevel, message: string, fields?: Record<string, unknown>): void => {
    if (LEVELS[level] < threshold) return;
    const now = new Date();
    const safeFields = fields ? (redact(fields) as Record<string, unknown>) : undefined;
    if (append) {
      const line = JSON.stringify({ time: now.toISOString(), level, ns: namespace, msg: message, ...safeFields });
      try {
        append(logFileName(now), line + '\n');
      } catch {
        // Logging must never take the app down (full disk, removed folder).
      }
    }
    if (options.stderr) {
      process.stderr.write(`${now.toISOString()} ${level.padEnd(5)} ${namespace} ${message}${safeFields ? ' ' + JSON.stringify(safeFields) : ''}\n`);
    }
  };
  const make = (namespace: string): Logger => ({
    debug: (m, f) => write(namespace, 'debug', m, f),
    info: (m, f) => write(namespace, 'info', m, f),
    warn: (m, f) => write(namespace, 'warn', m, f),
    error: (m, f) => write(namespace, 'error', m, f),
    child: (name) => make(`${namespace}:${name}`),
  });
  return make(options.namespace ?? 'han');
}

/** A logger that drops everything (unit tests that do not look at logs). */
export const silentLogger: Logger = createLogger({ level: 'error' });
