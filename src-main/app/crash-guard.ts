import type { Logger } from '../util/logger';

/**
 * The last line of defence for a long-running main process (Electron or web host): an 'error' event nobody
 * listened for, or a rejected promise nobody awaited, is logged and the process carries on, because ending it
 * would take every service and the engineer's open visit with it. The first line is an error listener on every
 * emitter (src-main/app/error-listeners.test.ts); this guard only catches what slipped through, and logs the
 * error's name and first frames so the slip can be found and fixed. The CLI does not install it: a one-shot
 * command should fail loudly.
 */
export function installCrashGuard(log: Logger): () => void {
  const describe = (error: unknown): Record<string, unknown> => ({
    error: error instanceof Error ? error.name : typeof error,
    code: (error as { code?: unknown } | null)?.code,
    stack: error instanceof Error ? error.stack?.split('\n').slice(0, 4).join(' | ') : undefined,
  });
  const onException = (error: unknown, origin: string): void => log.error('uncaught exception kept from ending the process', { origin, ...describe(error) });
  const onRejection = (reason: unknown): void => log.error('unhandled rejection kept from ending the process', describe(reason));
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
