import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_MESSAGE_BYTES, MAX_PENDING_REQUESTS } from '../../src-shared/ipc/limits';
import type { Dispatch } from '../app/dispatch';
import type { EventBus } from '../app/event-bus';
import type { Logger } from '../util/logger';
import { createRefusalLog } from '../util/refusal-log';
import { BRIDGE_SCRIPT, sendStatic } from './static-files';

export { CONTENT_SECURITY_POLICY } from './static-files';

export interface WebHostOptions {
  readonly dispatch: Dispatch;
  readonly events: EventBus;
  /** The built renderer (electron-vite's out/renderer). */
  readonly rendererDir: string;
  readonly log: Logger;
  /** 0 (default) lets the system choose. */
  readonly port?: number;
}

export interface RunningWebHost {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

function sameToken(candidate: string | undefined | null, token: string): boolean {
  if (!candidate) return false;
  const a = Buffer.from(candidate);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Serves the built renderer and carries the IPC contract over a WebSocket, for browsers (training rooms, e2e,
 * machines where Electron cannot run). It binds 127.0.0.1 only and answers only its own Host (no DNS
 * rebinding) and, when a browser sends one, its own Origin.
 *
 * The credential is the per-run token, and it is never a cookie: cookies ignore ports, so one would be sent
 * to every other server on 127.0.0.1. The renderer's files are public build output; what needs the token is
 * the IPC WebSocket, which carries every record and action. The page's bridge reads the token from the URL
 * once, keeps it in sessionStorage (scoped to this origin, port included) and removes it from the address bar.
 *
 * Nothing a client sends can end the process: every socket has an error listener, a bad frame closes only
 * its own connection, and one connection has at most MAX_PENDING_REQUESTS requests in flight.
 */
export async function startWebHost(options: WebHostOptions): Promise<RunningWebHost> {
  const token = randomBytes(24).toString('base64url');
  const { log } = options;
  const refused = createRefusalLog(log);
  let origin = 'http://127.0.0.1';
  let port = 0;

  // The page may be opened as 127.0.0.1 or localhost; any other Host is DNS rebinding, any other Origin a foreign page.
  const ownHosts = (): string[] => [`127.0.0.1:${port}`, `localhost:${port}`];
  const ownHostAndOrigin = (request: IncomingMessage): boolean => {
    const host = request.headers.host ?? '';
    if (!ownHosts().includes(host)) return false;
    const requestOrigin = request.headers.origin;
    return requestOrigin === undefined || requestOrigin === `http://${host}`;
  };

  /** Request targets are attacker-controlled: one that is not a valid path must not throw. */
  const parseTarget = (request: IncomingMessage): URL | undefined => {
    try {
      return new URL(request.url ?? '/', origin);
    } catch {
      return undefined;
    }
  };

  const server = createServer((request, response) => {
    response.on('error', () => undefined);
    const url = parseTarget(request);
    if (!url) {
      response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('bad request target\n');
      return;
    }
    if (!ownHostAndOrigin(request)) {
      refused('refused request from another host or origin', { path: url.pathname, host: request.headers.host ?? '', origin: request.headers.origin ?? '' });
      response.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' }).end('HAN Commissioner: open the exact address the host printed.\n');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405).end();
      return;
    }
    const path = url.pathname === BRIDGE_SCRIPT ? '/bridge/han-web-bridge.js' : url.pathname;
    sendStatic(response, options.rendererDir, path).catch((error: Error) => {
      log.error('static file failed', { error: error.name });
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  // A malformed request or a client that vanishes mid-request is that client's problem only.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (socket.writable && error.code !== 'ECONNRESET') socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  sockets.on('error', (error) => log.warn('WebSocket server error', { error: error.name }));
  server.on('upgrade', (request, socket, head) => {
    socket.on('error', () => socket.destroy());
    const url = parseTarget(request);
    if (!url || url.pathname !== '/ipc' || !ownHostAndOrigin(request) || !sameToken(url.searchParams.get('token'), token)) {
      refused('refused unauthorised WebSocket', { path: url?.pathname ?? '', host: request.headers.host ?? '', origin: request.headers.origin ?? '' });
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => serveSocket(ws, options));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  server.on('error', (error) => log.error('web host server error', { error: error.name }));
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/?token=${token}`,
    port,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const reply = (ws: WebSocket, message: unknown): void => {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
};

/** One renderer connection: requests carry an id; replies echo it; events are pushed as they happen. */
function serveSocket(ws: WebSocket, options: WebHostOptions): void {
  const unsubscribe = options.events.subscribe((channel, payload) => reply(ws, { event: channel, payload }));
  ws.on('close', unsubscribe);
  // ws reports a bad frame (too big, invalid UTF-8, unmasked, reserved opcode or RSV bit) as an 'error' and
  // closes the connection itself; without this listener the error would end the process.
  ws.on('error', (error: Error & { code?: string }) => {
    options.log.warn('WebSocket connection closed on a bad frame', { code: error.code ?? error.name });
    ws.terminate();
  });
  let pending = 0;
  ws.on('message', (data, isBinary) => {
    let message: unknown;
    try {
      message = isBinary ? undefined : JSON.parse(data.toString());
    } catch {
      message = undefined;
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      reply(ws, { id: null, result: { ok: false, error: { code: 'INVALID_MESSAGE', message: 'Expected a JSON object {id, channel, args}.' } } });
      return;
    }
    const { id: rawId, channel, args } = message as { id?: unknown; channel?: unknown; args?: unknown };
    const id = typeof rawId === 'number' ? rawId : null;
    if (pending >= MAX_PENDING_REQUESTS) {
      reply(ws, { id, result: { ok: false, error: { code: 'BUSY', message: 'Too many requests at once; try again when the current ones finish.' } } });
      return;
    }
    pending++;
    options
      .dispatch(channel, args)
      .catch(() => ({ ok: false as const, error: { code: 'INTERNAL', message: 'The request failed unexpectedly; the log has the details.' } }))
      .then((result) => {
        pending--;
        reply(ws, { id, result });
      });
  });
}
