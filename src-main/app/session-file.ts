import { join } from 'node:path';
import { z } from 'zod';
import type { SessionView } from '../../src-shared/ipc/channels/jobs';
import { isEngineerLocale } from '../../src-shared/model/engineer-locale';
import { readFileIfExists, writeFileAtomicSync } from '../store/atomic-file';

/**
 * What the engineer was doing, kept by main in the data folder (`session.json`): the web host's port — and with it
 * the browser's storage — changes every run, so a reload or a restart can only come back to the open job, the
 * screen and the running network from here. The remembered engineer name lives here too.
 */

const FILE = 'session.json';

const storedSchema = z
  .object({
    engineer: z.string().trim().min(1).max(100).optional(),
    openJobId: z.string().max(64).optional(),
    screen: z.string().max(30).optional(),
    theme: z.enum(['light', 'dark', 'contrast']).optional(),
    locale: z.string().max(10).optional(),
    /** The job whose HAN network was running, resumed when the app starts again. */
    hanJobId: z.string().max(64).optional(),
    /** Trainer's deliberate MPAN mismatch on the training premises. */
    trainerMpan: z.string().max(21).optional(),
  })
  .strip();
export type StoredSession = z.output<typeof storedSchema>;

export class SessionFile {
  readonly #path: string;
  #value: StoredSession;

  constructor(dataDir: string) {
    this.#path = join(dataDir, FILE);
    const text = readFileIfExists(this.#path);
    let parsed: StoredSession = {};
    try {
      const result = text === undefined ? undefined : storedSchema.safeParse(JSON.parse(text));
      if (result?.success) parsed = result.data;
    } catch {
      // A damaged session file only loses where the engineer was, never a record: start afresh.
    }
    this.#value = parsed;
  }

  get(): StoredSession {
    return this.#value;
  }

  /** Applies changes (undefined keeps a value, null clears it) and writes the file atomically. */
  update(changes: { [K in keyof StoredSession]?: StoredSession[K] | null }): StoredSession {
    const next: Record<string, unknown> = { ...this.#value };
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined) continue;
      if (value === null) delete next[key];
      else next[key] = value;
    }
    this.#value = next as StoredSession;
    writeFileAtomicSync(this.#path, JSON.stringify(this.#value, null, 2) + '\n');
    return this.#value;
  }

  view(): SessionView {
    const { openJobId, screen, theme, locale } = this.#value;
    // A locale this version does not offer (an older or edited file) falls back to the default on screen.
    return {
      ...(openJobId ? { openJobId } : {}),
      ...(screen ? { screen } : {}),
      ...(theme ? { theme } : {}),
      ...(isEngineerLocale(locale) ? { locale } : {}),
    };
  }
}

/** Reopening the app returns to the running network: the training premises' coordinator is started again. */
export function resumeHanNetwork(
  session: SessionFile,
  han: { start(jobId: string): Promise<unknown> },
  log: { warn(message: string, data?: Record<string, unknown>): void },
): void {
  const jobId = session.get().hanJobId;
  if (!jobId) return;
  han.start(jobId).catch((error: unknown) => {
    log.warn('could not resume the HAN network', { jobId, error: error instanceof Error ? error.message : String(error) });
    session.update({ hanJobId: null });
  });
}
