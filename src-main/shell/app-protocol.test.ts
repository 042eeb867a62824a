import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../host/static-files';
import { APP_SCHEME_PRIVILEGES, APP_URL, createAppProtocolHandler } from './app-protocol';

// A built renderer folder beside a secret the page must never reach.
const base = mkdtempSync(join(tmpdir(), 'han-app-protocol-'));
const renderer = join(base, 'renderer');
mkdirSync(join(renderer, 'assets'), { recursive: true });
mkdirSync(join(renderer, 'bridge'));
writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>HAN</title>');
writeFileSync(join(renderer, 'assets', 'main-abc.js'), 'export const x = 1;');
writeFileSync(join(renderer, 'assets', 'main-abc.css'), 'body{}');
writeFileSync(join(renderer, 'assets', 'blob.bin'), 'x');
writeFileSync(join(renderer, 'bridge', 'han-web-bridge.js'), '// web host only');
writeFileSync(join(base, 'secret.txt'), 'network key');
symlinkSync(join(base, 'secret.txt'), join(renderer, 'assets', 'link.js'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const serve = createAppProtocolHandler(renderer);
const get = (url: string, method = 'GET'): Promise<Response> => serve(new Request(url, { method }));

describe('app:// protocol', () => {
  it('is registered standard and secure, so the page has an origin of its own and counts as a secure context', () => {
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({ scheme: 'app', privileges: { standard: true, secure: true } });
    expect(APP_SCHEME_PRIVILEGES.privileges).not.toHaveProperty('bypassCSP');
    expect(APP_URL).toBe('app://renderer/index.html');
  });

  it('serves the built renderer with its MIME type, the strict CSP and nosniff', async () => {
    const page = await get(APP_URL);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('<title>HAN</title>');
    expect((await get('app://renderer/')).status).toBe(200);
    const script = await get('app://renderer/assets/main-abc.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('export const x = 1;');
    expect((await get('app://renderer/assets/main-abc.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await get('app://renderer/assets/blob.bin')).headers.get('content-type')).toBe('application/octet-stream');
    const head = await get('app://renderer/assets/main-abc.js', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('refuses escapes from the renderer folder, symlinked or encoded, without reading the file', async () => {
    for (const url of [
      'app://renderer/../secret.txt',
      'app://renderer/%2e%2e/secret.txt',
      'app://renderer/..%2fsecret.txt',
      'app://renderer/assets/..%2f..%2fsecret.txt',
      'app://renderer/%2fetc%2fpasswd',
      'app://renderer/assets/link.js',
    ]) {
      const response = await get(url);
      expect(response.status, url).toBe(404);
      expect(await response.text(), url).not.toContain('network key');
    }
  });

  it('refuses unknown paths, folders, other hosts, other methods, the web-host bridge and malformed escapes', async () => {
    expect((await get('app://renderer/nope.js')).status).toBe(404);
    expect((await get('app://renderer/assets')).status).toBe(404);
    expect((await get('app://renderer/assets/')).status).toBe(404);
    expect((await get('app://elsewhere/index.html')).status).toBe(404);
    expect((await get('app://renderer/bridge/han-web-bridge.js')).status).toBe(404);
    expect((await get('app://renderer/index.html', 'POST')).status).toBe(405);
    expect((await get('app://renderer/%E0%A4%A')).status).toBe(400);
    expect((await get('app://renderer/a%00b')).status).toBe(400);
    const refused = await get('app://renderer/nope.js');
    expect(refused.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });
});
