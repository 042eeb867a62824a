import type { EventChannel, EventPayload, HanBridge, RequestArgs, RequestChannel, RequestResult } from '../src-shared/ipc/contract';
import type { Result } from '../src-shared/ipc/result';

/**
 * The renderer's one client for main, built from the contract. It is the only reader of `window.han`, which the
 * Electron preload or the web host's bridge script provides; this module cannot tell which.
 */
function bridge(): HanBridge {
  const han = (globalThis as unknown as { han?: HanBridge }).han;
  if (!han) throw new Error('window.han is missing: the app must be opened through HAN Commissioner (Electron or its web host).');
  return han;
}

export type ArgsParam<C extends RequestChannel> = undefined extends RequestArgs<C> ? [args?: RequestArgs<C>] : [args: RequestArgs<C>];

export function invoke<C extends RequestChannel>(channel: C, ...[args]: ArgsParam<C>): Promise<Result<RequestResult<C>>> {
  return bridge().invoke(channel, args) as Promise<Result<RequestResult<C>>>;
}

/** Subscribes to one event channel; returns an unsubscribe function. */
export function onEvent<E extends EventChannel>(channel: E, listener: (payload: EventPayload<E>) => void): () => void {
  return bridge().onEvent((name, payload) => {
    if (name === channel) listener(payload as EventPayload<E>);
  });
}
