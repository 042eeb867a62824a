import type { EventChannel, EventPayload } from '../../src-shared/ipc/contract';
import type { HanEvent } from '../../src-shared/model/han';
import { safeMessage } from '../util/safe-message';

/** Notices carry a sentence of guidance after the reason, so they get more room than a bare error. */
const NOTICE_CHARS = 600;

function hanEventText(event: HanEvent): HanEvent {
  if (event.type === 'adapter' && event.message !== undefined) return { ...event, message: safeMessage(event.message, NOTICE_CHARS) };
  if (event.type === 'device' && event.entry.reason !== undefined) return { ...event, entry: { ...event.entry, reason: safeMessage(event.entry.reason) } };
  return event;
}

/**
 * The free text of an event as it may cross a bridge: every message, reason or error text that can carry an
 * error's wording is passed through safeMessage (no absolute path, no stack). Everything else is unchanged.
 */
export function eventFitForRenderer<E extends EventChannel>(channel: E, payload: EventPayload<E>): EventPayload<E> {
  switch (channel) {
    case 'app:notice': {
      const notice = payload as EventPayload<'app:notice'>;
      return { ...notice, message: safeMessage(notice.message, NOTICE_CHARS) } as EventPayload<E>;
    }
    case 'han:event':
      return hanEventText(payload as HanEvent) as EventPayload<E>;
    case 'dcc:request': {
      const request = payload as EventPayload<'dcc:request'>;
      return (request.lastError === undefined ? request : { ...request, lastError: safeMessage(request.lastError) }) as EventPayload<E>;
    }
    default:
      return payload;
  }
}
