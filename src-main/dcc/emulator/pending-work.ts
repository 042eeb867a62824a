/**
 * The simulator's deferred work: timers (slow replies, asynchronous responses due later) and posts in progress.
 * `idle()` lets a test wait until every response has gone out; `cancel()` is how `stop()` leaves nothing behind.
 */
export interface PendingWork {
  /** Runs `run` after `delayMs`, unless cancelled first. */
  after(delayMs: number, run: () => void): void;
  /** Keeps `work` until it settles, so `idle()` and `cancel()` wait for it. */
  track(work: Promise<void>): void;
  /** Resolves once no timer is waiting and no tracked work is running. */
  idle(): Promise<void>;
  /** Drops every waiting timer and waits for the work already running. */
  cancel(): Promise<void>;
}

export function createPendingWork(): PendingWork {
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  return {
    after(delayMs, run) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        run();
      }, delayMs);
      timers.add(timer);
    },
    track(work) {
      running.add(work);
      void work.finally(() => running.delete(work));
    },
    async idle() {
      while (timers.size > 0 || running.size > 0) {
        await Promise.all([...running]);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async cancel() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.all([...running]);
    },
  };
}
