import type { z } from 'zod';

/** A request channel: a zod schema for its argument (validated in main at runtime) and its result type. */
export interface RequestDefinition<Args extends z.ZodType, ResultType> {
  readonly args: Args;
  /** Phantom: carries the result type only. */
  readonly result?: ResultType;
}

/** A main→renderer event channel and its payload type. */
export interface EventDefinition<Payload> {
  readonly payload?: Payload;
}

export function request<ResultType>() {
  return <Args extends z.ZodType>(args: Args): RequestDefinition<Args, ResultType> => ({ args });
}

export function event<Payload>(): EventDefinition<Payload> {
  return {};
}
