/**
 * Loaded only by the web host, before the app: defines `window.han` over the host's WebSocket, exactly as the
 * Electron preload defines it over IPC. The app itself never knows which of the two it runs on.
 */
import type { HanBridge } from '../../src-shared/ipc/contract';
import { MAX_MESSAGE_BYTES, utf8Length } from '../../src-shared/ipc/limits';
import type { Result } from '../../src-shared/ipc/result';

type Pending = { resolve(result: Result<unknown>): void };

const TOKEN_KEY = 'han-token';

/**
 * The run's token: read once from the address the host printed, then kept in sessionStorage (this origin and
 * tab only; never a cookie, which other servers on 127.0.0.1 would receive) and removed from the address bar
 * and history, so a reload still works and nothing shows or stores it.
 */
function takeToken(): string {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(history.state, '', `${url.pathname}${url.search}${url.hash}`);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

function createWebBridge(): HanBridge {
  const pending = new Map<number, Pending>();
  const listeners = new Set<(channel: string, payload: unknown) => void>();
  let nextId = 1;
  const token = takeToken();
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ipc${token ? `?token=${encodeURIComponent(token)}` : ''}`;
  let socket: WebSocket;
  let ready: Promise<void>;

  const connect = (): void => {
    socket = new WebSocket(url);
    ready = new Promise((resolve, reject) => {
      socket.addEventListener('open', () => resolve(), { once: true });
      socket.addEventListener('error', () => reject(new Error('The HAN Commissioner host is not reachable.')), { once: true });
    });
    ready.catch(() => undefined);
    socket.addEventListener('message', (message) => {
      const data = JSON.parse(String(message.data)) as { id?: number | null; result?: Result<unknown>; event?: string; payload?: unknown };
      if (typeof data.event === 'string') {
        for (const listener of [...listeners]) listener(data.event, data.payload);
      } else if (typeof data.id === 'number' && data.result) {
        pending.get(data.id)?.resolve(data.result);
        pending.delete(data.id);
      }
    });
    socket.addEventListener('close', () => {
      for (const [, waiting] of pending)
        waiting.resolve({
          ok: false,
          error: { code: 'HOST_GONE', message: 'The connection to the HAN Commissioner host was lost. Reload the page once it is running again.' },
        });
      pending.clear();
    });
  };
  connect();

  return {
    async invoke(channel, args) {
      const gone = (message: string): Result<unknown> => ({ ok: false, error: { code: 'HOST_GONE', message } });
      if (socket.readyState === WebSocket.CLOSING || socket.readyState === WebSocket.CLOSED) connect();
      try {
        await ready;
      } catch (error) {
        return gone((error as Error).message);
      }
      const id = nextId++;
      const message = JSON.stringify({ id, channel, args });
      // The host closes a connection on a message over the limit: refuse it here, as a result the screen shows.
      if (utf8Length(message) > MAX_MESSAGE_BYTES) {
        return { ok: false, error: { code: 'TOO_LARGE', message: 'This is too large to send to HAN Commissioner.' } };
      }
      return new Promise<Result<unknown>>((resolve) => {
        pending.set(id, { resolve });
        try {
          socket.send(message);
        } catch (error) {
          pending.delete(id);
          resolve(gone(`The request could not be sent: ${(error as Error).message}`));
        }
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

(window as unknown as { han: HanBridge }).han = createWebBridge();
