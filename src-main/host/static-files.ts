import { readFile, realpath } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

/** The MIME type a renderer file is served with (the Electron app protocol uses the same table). */
export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
}

/** The strict CSP both bridges use; the web host also allows its own WebSocket (same origin). */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export const BRIDGE_SCRIPT = '/han-web-bridge.js';

/** Where a request path leads inside the renderer folder, or why it leads nowhere. */
export type StaticTarget = { readonly file: string; readonly relative: string } | { readonly status: 400 | 404 };

function inside(root: string, file: string): boolean {
  return file === root || file.startsWith(root + sep);
}

/**
 * Resolves a URL path to a file in the renderer folder. Containment is checked on the real path (after
 * symlinks), so a link inside the folder cannot lead outside it; a malformed `%` escape is a 400, not a throw.
 */
export async function resolveStatic(rendererDir: string, pathname: string): Promise<StaticTarget> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { status: 400 };
  }
  if (decoded.includes('\0')) return { status: 400 };
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  let root: string;
  let file: string;
  try {
    root = await realpath(rendererDir);
    file = await realpath(normalize(join(root, relative)));
  } catch {
    return { status: 404 };
  }
  return inside(root, file) ? { file, relative } : { status: 404 };
}

/** Sends one renderer file with the security headers; index.html gets the bridge script injected. */
export async function sendStatic(response: ServerResponse, rendererDir: string, pathname: string): Promise<void> {
  const target = await resolveStatic(rendererDir, pathname);
  if ('status' in target) {
    response.writeHead(target.status, { 'content-type': 'text/plain; charset=utf-8' }).end(target.status === 400 ? 'bad request\n' : 'not found\n');
    return;
  }
  let body: Buffer;
  try {
    body = await readFile(target.file);
  } catch {
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
    return;
  }
  if (target.relative === 'index.html') {
    // The bridge script defines window.han before the app module runs (module scripts run in document order).
    body = Buffer.from(body.toString('utf8').replace('<head>', `<head>\n    <script type="module" src="${BRIDGE_SCRIPT}"></script>`));
  }
  response
    .writeHead(200, {
      'content-type': contentTypeFor(target.file),
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    })
    .end(body);
}
