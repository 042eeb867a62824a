import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Dispatch } from '../app/dispatch';
import type { EventBus } from '../app/event-bus';
import type { Logger } from '../util/logger';

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

const TOKEN_COOKIE = 'han_token';
const BRIDGE_SCRIPT = '/han-web-bridge.js';
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

/** The strict CSP both bridges use; the web host also allows its own WebSocket (same origin). */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function sameToken(candidate: string | undefined | null, token: string): boolean {
  if (!candidate) return false;
  const a = Buffer.from(candidate);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieToken(request: IncomingMessage): string | undefined {
  const header = request.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return value.join('=');
  }
  return undefined;
}

/**
 * Serves the built renderer and carries the IPC contract over a WebSocket, for browsers (training rooms, e2e,
 * machines where Electron cannot run). It binds 127.0.0.1 only, and every request needs the per-run token —
 * in the URL the engineer opens, then in an HttpOnly SameSite=Strict cookie — plus, when a browser sends one,
 * its own Origin, so other pages and other users of the machine cannot drive it.
 */
export async function startWebHost(options: WebHostOptions): Promise<RunningWebHost> {
  const token = randomBytes(24).toString('base64url');
  const { log } = options;
  let origin = 'http://127.0.0.1';
  let port = 0;

  // The page may be opened as 127.0.0.1 or localhost; any other Host is DNS rebinding, any other Origin a foreign page.
  const ownHosts = (): string[] => [`127.0.0.1:${port}`, `localhost:${port}`];
  const authorised = (request: IncomingMessage, url: URL): boolean => {
    const host = request.headers.host ?? '';
    if (!ownHosts().includes(host)) return false;
    const requestOrigin = request.headers.origin;
    if (requestOrigin !== undefined && requestOrigin !== `http://${host}`) return false;
    return sameToken(url.searchParams.get('token'), token) || sameToken(cookieToken(request), token);
  };

  /** Request targets are attacker-controlled: one that is not a valid path must not throw. */
  const parseTarget = (request: IncomingMessage): URL | undefined => {
    try {
      return new URL(request.url ?? '/', origin);
    } catch {
      return undefined;
    }
  };

  const sendStatic = async (response: ServerResponse, pathname: string, queryToken: boolean): Promise<void> => {
    const relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
    const file = normalize(join(options.rendererDir, relative));
    if (!file.startsWith(normalize(options.rendererDir) + sep) && file !== normalize(options.rendererDir)) {
      response.writeHead(404).end();
      return;
    }
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    if (relative === 'index.html') {
      // The bridge script defines window.han before the app module runs (module scripts run in document order).
      body = Buffer.from(body.toString('utf8').replace('<head>', `<head>\n    <script type="module" src="${BRIDGE_SCRIPT}"></script>`));
    }
    const headers: Record<string, string> = {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    };
    if (queryToken) headers['set-cookie'] = `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    response.writeHead(200, headers).end(body);
  };

  const server = createServer((request, response) => {
    const url = parseTarget(request);
    if (!url) {
      response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('bad request target\n');
      return;
    }
    if (!authorised(request, url)) {
      log.warn('refused unauthorised request', { path: url.pathname, origin: request.headers.origin ?? '' });
      response
        .writeHead(401, { 'content-type': 'text/plain; charset=utf-8' })
        .end('HAN Commissioner: this address needs the token printed when the host started.\n');
      return;
    }
    if (request.method !== 'GET') {
      response.writeHead(405).end();
      return;
    }
    const path = url.pathname === BRIDGE_SCRIPT ? '/bridge/han-web-bridge.js' : url.pathname;
    sendStatic(response, path, url.searchParams.has('token')).catch((error: Error) => {
      log.error('static file failed', { error });
      response.writeHead(500).end();
    });
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  server.on('upgrade', (request, socket, head) => {
    const url = parseTarget(request);
    if (!url || url.pathname !== '/ipc' || !authorised(request, url)) {
      log.warn('refused unauthorised WebSocket', { origin: request.headers.origin ?? '' });
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => serveSocket(ws, options));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
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

/** One renderer connection: requests carry an id; replies echo it; events are pushed as they happen. */
function serveSocket(ws: WebSocket, options: WebHostOptions): void {
  const unsubscribe = options.events.subscribe((channel, payload) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event: channel, payload }));
  });
  ws.on('close', unsubscribe);
  ws.on('message', (data) => {
    let message: unknown;
    try {
      message = JSON.parse(data.toString());
    } catch {
      message = undefined;
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      ws.send(JSON.stringify({ id: null, result: { ok: false, error: { code: 'INVALID_MESSAGE', message: 'Expected a JSON object {id, channel, args}.' } } }));
      return;
    }
    const { id: rawId, channel, args } = message as { id?: unknown; channel?: unknown; args?: unknown };
    const id = typeof rawId === 'number' ? rawId : null;
    options
      .dispatch(channel, args)
      .catch((error: unknown) => ({ ok: false as const, error: { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) } }))
      .then((result) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, result }));
      });
  });
}
