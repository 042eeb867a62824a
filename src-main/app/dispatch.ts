import type { ParsedArgs, RequestChannel, RequestResult } from '../../src-shared/ipc/contract';
import { AppError, fail, ok, type Result } from '../../src-shared/ipc/result';
import { describeChannel, validateRequest } from '../../src-shared/ipc/validate';
import { SecretStoreError } from '../secrets/secret-store';
import { StoreError } from '../store/store-errors';
import type { Logger } from '../util/logger';

export type Handler<C extends RequestChannel> = (args: ParsedArgs<C>) => Promise<RequestResult<C>> | RequestResult<C>;
export type Handlers = { [C in RequestChannel]: Handler<C> };
export type HandlerGroup<Cs extends RequestChannel> = { [C in Cs]: Handler<C> };

export type Dispatch = (channel: unknown, rawArgs: unknown) => Promise<Result<unknown>>;

/**
 * The single entry from any bridge into main: validate the argument against the contract, run the handler, and
 * turn every outcome — including unexpected exceptions — into a Result, so nothing is thrown across a bridge.
 */
export function createDispatch(handlers: Handlers, log: Logger): Dispatch {
  return async (channel, rawArgs) => {
    const validated = validateRequest(channel, rawArgs);
    if (!validated.ok) {
      // Messages can quote what was typed (an install code with a wrong CRC): log only where it failed.
      log.warn('rejected request', { channel: describeChannel(channel), code: validated.error.code, fields: validated.error.fields ?? [] });
      return validated;
    }
    const name = channel as RequestChannel;
    try {
      const handler = handlers[name] as (args: unknown) => unknown;
      return ok(await handler(validated.value));
    } catch (error) {
      if (error instanceof AppError || error instanceof StoreError || error instanceof SecretStoreError) {
        log.info('request failed', { channel: name, code: error.code });
        return fail(error.code, error.message);
      }
      log.error('request crashed', {
        channel: name,
        error: error instanceof Error ? error.name : typeof error,
        stack: error instanceof Error ? error.stack?.split('\n').slice(1, 6).join(' | ') : undefined,
      });
      return fail('INTERNAL', `${name} failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}
