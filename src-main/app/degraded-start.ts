import type { ServiceProblem } from '../../src-shared/ipc/channels/app';
import { DccNotConfiguredError, type DccService } from '../dcc/dcc-service';
import type { Logger } from '../util/logger';
import { safeMessage } from '../util/safe-message';

/**
 * A degraded start: a service that cannot start is recorded with its reason (shown on its own screen) and the
 * rest of the app starts. A bad saved setting is a problem to report and fix from the UI, never a refusal.
 */
export async function startOrReport<T>(
  service: ServiceProblem['service'],
  problems: ServiceProblem[],
  log: Logger,
  start: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await start();
  } catch (error) {
    const reason = safeMessage(error instanceof Error ? error.message : String(error));
    problems.push({ service, message: reason });
    log.error('service could not start; the rest of the app runs without it', { service, reason });
    return undefined;
  }
}

/** Stands in for a DCC service that could not start: its status says why, and every action says so too. */
export function unavailableDccService(reason: string): DccService {
  const problem = `The DCC service could not start: ${reason}`;
  const refuse = (): never => {
    throw new DccNotConfiguredError(problem);
  };
  return {
    status: async () => ({ mode: 'none', testCredentials: false, queued: 0, problem }),
    configure: async () => refuse(),
    forget: async () => refuse(),
    requests: () => [],
    verify: async () => refuse(),
    retryQueued: async () => refuse(),
    setSimulatorFaults: async () => false,
    gateway: () => undefined,
    simulator: () => undefined,
    close: async () => undefined,
  };
}
