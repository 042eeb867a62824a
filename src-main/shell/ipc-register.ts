import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { requestChannels } from '../../src-shared/ipc/contract';
import { fail } from '../../src-shared/ipc/result';
import type { Dispatch } from '../app/dispatch';
import type { EventBus } from '../app/event-bus';
import type { Logger } from '../util/logger';

/** The channel the preload listens on for main→renderer events. */
export const EVENT_CHANNEL = 'han:event';

/**
 * Checklist 17: a request counts only when it comes from the app's own top-level frame. Subframes and other
 * pages (should navigation ever slip) are refused.
 */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>, isAppUrl: (url: string) => boolean): boolean {
  const frame = event.senderFrame;
  if (!frame) return false;
  if (frame.parent !== null) return false;
  return isAppUrl(frame.url);
}

/**
 * Registers one handler per contract channel: sender check → zod validation (inside dispatch) → Result.
 * Returns a function that removes them again.
 */
export function registerIpcHandlers(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  dispatch: Dispatch,
  isAppUrl: (url: string) => boolean,
  log: Logger,
): () => void {
  const channels = Object.keys(requestChannels);
  for (const channel of channels) {
    ipcMain.handle(channel, (event, args: unknown) => {
      if (!isTrustedSender(event, isAppUrl)) {
        log.warn('refused IPC from untrusted sender', { channel, url: event.senderFrame?.url ?? 'unknown' });
        return fail('UNTRUSTED_SENDER', 'This request did not come from the HAN Commissioner window.');
      }
      return dispatch(channel, args);
    });
  }
  return () => channels.forEach((channel) => ipcMain.removeHandler(channel));
}

/** Forwards every main event to the window. */
export function forwardEvents(events: EventBus, contents: Pick<WebContents, 'send' | 'isDestroyed'>): () => void {
  return events.subscribe((channel, payload) => {
    if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, channel, payload);
  });
}
