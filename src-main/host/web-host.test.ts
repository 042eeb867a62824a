import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createDispatch, type Handlers } from '../app/dispatch';
import { EventBus } from '../app/event-bus';
import { silentLogger } from '../util/logger';
import { startWebHost, type RunningWebHost } from './web-host';

const rendererDir = mkdtempSync(join(tmpdir(), 'han-renderer-'));
mkdirSync(join(rendererDir, 'bridge'));
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><html><head><title>t</title></head><body></body></html>');
writeFileSync(join(rendererDir, 'bridge/han-web-bridge.js'), '/* bridge */');
writeFileSync(join(tmpdir(), 'outside.txt'), 'secret');

const events = new EventBus();
const handlers = { 'jobs:list': () => [], 'premises:status': () => ({ running: false, ports: {}, devices: [] }) } as unknown as Handlers;
let host: RunningWebHost;
let token: string;

beforeAll(async () => {
  host = await startWebHost({ dispatch: createDispatch(handlers, silentLogger), events, rendererDir, log: silentLogger });
  token = new URL(host.url).searchParams.get('token')!;
});
afterAll(async () => {
  await host.close();
  rmSync(rendererDir, { recursive: true, force: true });
});

const base = (): string => `http://127.0.0.1:${host.port}`;

function connect(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function call(ws: WebSocket, id: number, channel: string, args?: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer): void => {
      const message = JSON.parse(data.toString());
      if (message.id === id) {
        ws.off('message', onMessage);
        resolve(message.result);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ id, channel, args }));
  });
}

describe('web host', () => {
  it('prints a loopback URL with a long random token', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/);
  });

  it('refuses requests from another origin or Host, and serves the public app files without a cookie', async () => {
    expect((await fetch(`${base()}/?token=${token}`, { headers: { origin: 'http://evil.example' } })).status).toBe(401);
    const response = await fetch(`${base()}/?token=${token}`);
    expect(response.status).toBe(200);
    // Cookies ignore ports: a token cookie would be sent to every other server on 127.0.0.1.
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await response.text()).toContain('<script type="module" src="/han-web-bridge.js"></script>');
    expect((await fetch(`${base()}/han-web-bridge.js`)).status).toBe(200);
    expect((await fetch(`${base()}/..%2f..%2foutside.txt`)).status).toBe(404);
  });

  it('refuses a WebSocket without the token or from a foreign origin', async () => {
    await expect(connect(`ws://127.0.0.1:${host.port}/ipc`)).rejects.toThrow('401');
    await expect(connect(`ws://127.0.0.1:${host.port}/ipc?token=${token}x`)).rejects.toThrow('401');
    await expect(connect(`ws://127.0.0.1:${host.port}/ipc`, { cookie: `han_token=${token}` })).rejects.toThrow('401');
    await expect(connect(`ws://127.0.0.1:${host.port}/ipc?token=${token}`, { origin: 'http://evil.example' })).rejects.toThrow('401');
  });

  it('carries requests, validation errors and events over the WebSocket', async () => {
    const ws = await connect(`ws://127.0.0.1:${host.port}/ipc?token=${token}`, { origin: base() });
    expect(await call(ws, 1, 'jobs:list')).toEqual({ ok: true, value: [] });
    expect(await call(ws, 2, 'jobs:get', { id: 7 })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining('id') } });
    expect(await call(ws, 3, 'fs:read', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    const received = new Promise((resolve) => ws.once('message', (data) => resolve(JSON.parse(data.toString()))));
    events.emit('jobs:changed', { id: 'J1' });
    expect(await received).toEqual({ event: 'jobs:changed', payload: { id: 'J1' } });
    ws.close();
  });
});

describe('web host robustness', () => {
  it('answers a malformed request target with 400 instead of crashing', async () => {
    const { connect: rawConnect } = await import('node:net');
    const reply = await new Promise<string>((resolve) => {
      const socket = rawConnect(host.port, '127.0.0.1', () => socket.write(`GET http://[ HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\n\r\n`));
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('close', () => resolve(text));
      socket.on('end', () => resolve(text));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect((await fetch(`${base()}/?token=${token}`)).status).toBe(200);
  });

  it('answers JSON that is not a request object with INVALID_MESSAGE and keeps serving', async () => {
    const ws = await connect(`ws://127.0.0.1:${host.port}/ipc?token=${token}`, { origin: base() });
    for (const bad of ['null', '[1,2]', '42', 'not json']) {
      const reply = new Promise((resolve) => ws.once('message', (data) => resolve(JSON.parse(data.toString()))));
      ws.send(bad);
      expect(await reply).toMatchObject({ id: null, result: { ok: false, error: { code: 'INVALID_MESSAGE' } } });
    }
    expect(await call(ws, 9, 'jobs:list')).toEqual({ ok: true, value: [] });
    ws.close();
  });

  it('accepts the page opened as localhost, with its own origin, and refuses other Host headers', async () => {
    const localhost = `http://localhost:${host.port}`;
    const ws = await connect(`ws://127.0.0.1:${host.port}/ipc?token=${token}`, { origin: localhost, host: `localhost:${host.port}` });
    expect(await call(ws, 1, 'jobs:list')).toEqual({ ok: true, value: [] });
    ws.close();
    await expect(connect(`ws://127.0.0.1:${host.port}/ipc?token=${token}`, { host: `attacker.example:${host.port}` })).rejects.toThrow('401');
  });
});
