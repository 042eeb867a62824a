import { readFile } from 'node:fs/promises';
import type { CustomScheme } from 'electron';
import { CONTENT_SECURITY_POLICY, contentTypeFor, resolveStatic } from '../host/static-files';

/**
 * The app's own scheme (Electron security checklist 18): the renderer is served from app://renderer/ rather than
 * file://, so the page's origin is its own, 'self' in the CSP means the built renderer only, and nothing else on
 * the disk is reachable from the page.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'renderer';
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** Registered before app 'ready': standard (relative URLs, origin), secure (like https), fetch for module scripts. */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

/** Only the web host loads the WebSocket bridge; the app page has the preload's. */
const WEB_HOST_ONLY = /^\/bridge\//;

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
} as const;

function refusal(status: 400 | 404 | 405): Response {
  const text = { 400: 'bad request', 404: 'not found', 405: 'method not allowed' }[status];
  return new Response(`${text}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS } });
}

/**
 * The protocol.handle handler for app://renderer/…: GET or HEAD of a file inside the built renderer folder, with
 * containment checked on the real path (a symlink cannot lead out), the MIME type from the file's extension and
 * the strict CSP. Any other host, method or path is refused with a status, never a throw.
 */
export function createAppProtocolHandler(rendererDir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return refusal(400);
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return refusal(404);
    if (request.method !== 'GET' && request.method !== 'HEAD') return refusal(405);
    if (WEB_HOST_ONLY.test(url.pathname)) return refusal(404);
    const target = await resolveStatic(rendererDir, url.pathname);
    if ('status' in target) return refusal(target.status);
    let body: Buffer;
    try {
      body = await readFile(target.file);
    } catch {
      return refusal(404); // a folder, or a file removed since it was resolved
    }
    const headers = { 'content-type': contentTypeFor(target.file), ...SECURITY_HEADERS };
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
  };
}
