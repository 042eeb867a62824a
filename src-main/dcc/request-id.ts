import { readFileIfExists, writeFileAtomicSync } from '../store/atomic-file';
import { toDuisEui } from './eui';

/** Largest counter DUIS allows (RequestIDType: decimal up to 2^64−1). */
export const MAX_REQUEST_COUNTER = (1n << 64n) - 1n;

/** `originator:target:counter`, both EUI-64s in DUIS form. */
export function formatRequestId(userId: string, targetId: string, counter: bigint): string {
  if (counter < 0n || counter > MAX_REQUEST_COUNTER) throw new Error(`RequestID counter ${counter} is outside 0…2^64−1`);
  return `${toDuisEui(userId)}:${toDuisEui(targetId)}:${counter.toString(10)}`;
}

export interface ParsedRequestId {
  readonly userId: string;
  readonly targetId: string;
  readonly counter: bigint;
}

export function parseRequestId(requestId: string): ParsedRequestId {
  const parts = requestId.trim().split(':');
  if (parts.length !== 3 || !/^\d{1,20}$/.test(parts[2]!)) throw new Error(`not a DUIS RequestID: "${requestId}"`);
  return { userId: toDuisEui(parts[0]!), targetId: toDuisEui(parts[1]!), counter: BigInt(parts[2]!) };
}

/** Issues strictly increasing RequestID counters for one DCC User. */
export interface RequestCounter {
  next(): bigint;
}

/**
 * A counter persisted in `file` (JSON `{ "last": "<decimal>" }`). Each value is written durably (atomic replace
 * with fsync) before it is handed out, so a crash or restart can never hand it out again. Values also never fall
 * below the current epoch milliseconds, as DCC's own signing tool does, so a lost file still does not repeat
 * counters unless the clock runs backwards. Synchronous on purpose: two callers can never interleave.
 */
export function createFileRequestCounter(file: string, now: () => number = Date.now): RequestCounter {
  let last: bigint | undefined;
  const load = (): bigint => {
    const text = readFileIfExists(file);
    if (text === undefined) return -1n;
    const parsed = JSON.parse(text) as { last?: unknown };
    if (typeof parsed.last !== 'string' || !/^\d+$/.test(parsed.last)) throw new Error(`RequestID counter file ${file} is corrupt`);
    return BigInt(parsed.last);
  };
  return {
    next(): bigint {
      last ??= load();
      const floor = BigInt(Math.floor(now()));
      const value = last + 1n > floor ? last + 1n : floor;
      if (value > MAX_REQUEST_COUNTER) throw new Error('RequestID counter exhausted');
      writeFileAtomicSync(file, JSON.stringify({ last: value.toString(10) }) + '\n');
      last = value;
      return value;
    },
  };
}
