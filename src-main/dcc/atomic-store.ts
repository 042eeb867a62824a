import { join } from 'node:path';
import { readFileIfExists, writeFileAtomicSync } from '../store/atomic-file';

/**
 * A small durable store: one JSON document under a data folder, replaced atomically on every commit. Whatever a
 * commit changes lands together or not at all, so a DCC request can join the outbound queue in the same commit
 * as the job record that asked for it. Meant for tens to hundreds of entries, not a database.
 */
export interface AtomicStore<S> {
  /** The committed state. Treat as read-only; change it only through `commit`. */
  read(): S;
  /** Applies `mutate` to a copy and makes it durable before it becomes visible; a failed write changes nothing. */
  commit(mutate: (draft: S) => void): S;
}

export function createAtomicStore<S extends object>(dataDir: string, name: string, initial: () => S): AtomicStore<S> {
  const file = join(dataDir, `${name}.json`);
  let state: S | undefined;
  const load = (): S => {
    if (state) return state;
    const text = readFileIfExists(file);
    state = text === undefined ? initial() : ({ ...initial(), ...(JSON.parse(text) as Partial<S>) } as S);
    return state;
  };
  return {
    read: load,
    commit(mutate) {
      const draft = structuredClone(load());
      mutate(draft);
      writeFileAtomicSync(file, JSON.stringify(draft));
      state = draft;
      return draft;
    },
  };
}
