import type { z } from 'zod';
import { appEvents, appRequests } from './channels/app';
import { dccEvents, dccRequests } from './channels/dcc';
import { dongleEvents, dongleRequests } from './channels/dongles';
import { hanEvents, hanRequests } from './channels/han';
import { installEvents, installRequests } from './channels/install';
import { jobEvents, jobRequests } from './channels/jobs';
import { mbusEvents, mbusRequests } from './channels/mbus';
import { reportEvents, reportRequests } from './channels/reports';
import type { EventDefinition, RequestDefinition } from './define';
import type { Result } from './result';

/**
 * THE IPC contract: every request channel (zod schema for its argument + result type) and every main→renderer
 * event channel. Both bridges (Electron preload and the web host's WebSocket) carry exactly this, and main
 * validates every argument against these schemas at runtime.
 *
 * To add a capability: create `channels/<capability>.ts` exporting `<capability>Requests` (built with
 * `request<Result>()(zodSchema)`) and `<capability>Events` (built with `event<Payload>()`), name channels
 * "<capability>:<verb>", and spread them below. Handlers live in `src-main/app/handlers/<capability>.ts`.
 */
export const requestChannels = {
  ...appRequests,
  ...dongleRequests,
  ...jobRequests,
  ...dccRequests,
  ...hanRequests,
  ...mbusRequests,
  ...installRequests,
  ...reportRequests,
} as const;

export const eventChannels = {
  ...appEvents,
  ...dongleEvents,
  ...jobEvents,
  ...dccEvents,
  ...hanEvents,
  ...mbusEvents,
  ...installEvents,
  ...reportEvents,
} as const;

export type RequestChannel = keyof typeof requestChannels;
export type EventChannel = keyof typeof eventChannels;

type Def<C extends RequestChannel> = (typeof requestChannels)[C];
/** The argument as the caller passes it (before defaults are applied). */
export type RequestArgs<C extends RequestChannel> = Def<C> extends RequestDefinition<infer A, unknown> ? z.input<A> : never;
/** The argument as a handler receives it (after validation and defaults). */
export type ParsedArgs<C extends RequestChannel> = Def<C> extends RequestDefinition<infer A, unknown> ? z.output<A> : never;
export type RequestResult<C extends RequestChannel> = Def<C> extends RequestDefinition<z.ZodType, infer R> ? R : never;
export type EventPayload<E extends EventChannel> = (typeof eventChannels)[E] extends EventDefinition<infer P> ? P : never;

/** What a bridge exposes to the renderer as `window.han`: the only way the renderer reaches main. */
export interface HanBridge {
  invoke(channel: string, args: unknown): Promise<Result<unknown>>;
  /** Subscribes to every event; returns an unsubscribe function. */
  onEvent(listener: (channel: string, payload: unknown) => void): () => void;
}

export function isRequestChannel(name: unknown): name is RequestChannel {
  return typeof name === 'string' && Object.hasOwn(requestChannels, name);
}
