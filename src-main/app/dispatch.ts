import type { ParsedArgs, RequestChannel, RequestResult } from '../../src-shared/ipc/contract';
import { AppError, fail, ok, type Result } from '../../src-shared/ipc/result';
import { describeChannel, validateRequest } from '../../src-shared/ipc/validate';
import { SecretStoreError } from '../secrets/secret-store';
import { StoreError } from '../store/store-errors';
import type { Logger } from '../util/logger';
import { safeMessage } from '../util/safe-message';

export type Handler<C extends RequestChannel> = (args: ParsedArgs<C>) => Promise<RequestResult<C>> | RequestResult<C>;
export type Handlers = { [C in RequestChannel]: Handler<C> };
export type HandlerGroup<Cs extends RequestChannel> = { [C in Cs]: Handler<C> };

export type Dispatch = (channel: unknown, rawArgs: unknown) => Promise<Result<unknown>>;

/**
 * Reads with no side effect: concurrent identical calls share one in-flight operation, so a burst of them
 * (10,000 `dongles:list` at once) costs one enumeration and a handful of descriptors, not one each.
 */
export const SHARED_WHEN_CONCURRENT: ReadonlySet<RequestChannel> = new Set<RequestChannel>([
  'app:info',
  'premises:status',
  'dongles:list',
  'jobs:list',
  'jobs:get',
  'dcc:status',
  'dcc:requests',
  'han:view',
  'mbus:status',
  'mbus:heard',
]);

/**
 * The single entry from any bridge into main: validate the argument against the contract, run the handler, and
 * turn every outcome — including unexpected exceptions — into a Result, so nothing is thrown across a bridge.
 * No message that crosses carries a stack or an absolute path.
 */
export function createDispatch(handlers: Handlers, log: Logger): Dispatch {
  const inFlight = new Map<string, Promise<Result<unknown>>>();
  const run = runHandler(handlers, log);
  return async (channel, rawArgs) => {
    const validated = validateRequest(channel, rawArgs);
    if (!validated.ok) {
      // Messages can quote what was typed (an install code with a wrong CRC): log only where it failed.
      log.warn('rejected request', { channel: describeChannel(channel), code: validated.error.code, fields: validated.error.fields ?? [] });
      return validated;
    }
    const name = channel as RequestChannel;
    if (!SHARED_WHEN_CONCURRENT.has(name)) return run(name, validated.value);
    const key = `${name}\u0000${JSON.stringify(validated.value) ?? ''}`;
    const shared = inFlight.get(key);
    if (shared) return shared;
    const started = run(name, validated.value).finally(() => inFlight.delete(key));
    inFlight.set(key, started);
    return started;
  };
}

function runHandler(handlers: Handlers, log: Logger): (name: RequestChannel, args: unknown) => Promise<Result<unknown>> {
  return async (name, args) => {
    try {
      const handler = handlers[name] as (args: unknown) => unknown;
      return ok(await handler(args));
    } catch (error) {
      if (error instanceof AppError || error instanceof StoreError || error instanceof SecretStoreError) {
        log.info('request failed', { channel: name, code: error.code });
        return fail(error.code, safeMessage(error.message), error instanceof AppError ? error.fields : undefined);
      }
      log.error('request crashed', {
        channel: name,
        error: error instanceof Error ? error.name : typeof error,
        stack: error instanceof Error ? error.stack?.split('\n').slice(1, 6).join(' | ') : undefined,
      });
      return fail('INTERNAL', `${name} failed unexpectedly: ${safeMessage(error instanceof Error ? error.message : String(error))}`);
    }
  };
}
