import type { Logger } from './logger';

export interface RefusalLogOptions {
  /** Refusals written per window; the rest are counted and summarised once the window ends. */
  readonly perWindow?: number;
  readonly windowMs?: number;
  /** Longest text kept from any field (paths, origins come from whoever sends the request). */
  readonly maxFieldChars?: number;
  readonly now?: () => number;
}

export type RefusalLog = (message: string, fields: Record<string, string>) => void;

/** Cuts attacker-sized text to a readable length and drops control characters (no forged log lines). */
export function truncateField(text: string, maxChars: number): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed here
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return clean.length <= maxChars ? clean : `${clean.slice(0, maxChars)}…(${clean.length} chars)`;
}

/**
 * Logs refused requests without letting whoever sends them fill the disk: each field truncated, at most
 * `perWindow` lines per window, then one "N more refused" line when the next refusal arrives after it.
 */
export function createRefusalLog(log: Logger, options: RefusalLogOptions = {}): RefusalLog {
  const perWindow = options.perWindow ?? 20;
  const windowMs = options.windowMs ?? 10_000;
  const maxChars = options.maxFieldChars ?? 120;
  const now = options.now ?? Date.now;
  let windowStart = -Infinity;
  let written = 0;
  let suppressed = 0;
  return (message, fields) => {
    const time = now();
    if (time - windowStart >= windowMs) {
      if (suppressed > 0) log.warn('refused requests not logged individually', { count: suppressed, windowMs });
      windowStart = time;
      written = 0;
      suppressed = 0;
    }
    if (written >= perWindow) {
      suppressed++;
      return;
    }
    written++;
    const short: Record<string, string> = {};
    for (const [name, value] of Object.entries(fields)) short[name] = truncateField(value, maxChars);
    log.warn(message, short);
  };
}
