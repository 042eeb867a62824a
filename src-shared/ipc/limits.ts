/**
 * Sizes both ends of a bridge agree on. The web host closes a connection whose message exceeds
 * MAX_MESSAGE_BYTES, so the renderer refuses bigger input before sending it, beside the field that holds it.
 */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

/** A work order is a few kilobytes; anything near the message limit is not one (docs/work-order.md). */
export const MAX_WORK_ORDER_BYTES = 256 * 1024;

/** Requests one connection may have in flight; more are answered BUSY instead of queueing without bound. */
export const MAX_PENDING_REQUESTS = 64;

/** UTF-8 length of a string, as it travels. */
export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}
