import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect as rawConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { MAX_PENDING_REQUESTS } from '../../src-shared/ipc/limits';
import { createDispatch, type Handlers } from '../app/dispatch';
import { EventBus } from '../app/event-bus';
import { createLogger, type Logger } from '../util/logger';
import { startWebHost, type RunningWebHost } from './web-host';

/** What a hostile or broken client can send: each must close only its own connection, never the host. */
const rendererDir = mkdtempSync(join(tmpdir(), 'han-frames-'));
const outside = mkdtempSync(join(tmpdir(), 'han-outside-'));
mkdirSync(join(rendererDir, 'bridge'));
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><html><head><title>t</title></head><body></body></html>');
writeFileSync(join(rendererDir, 'bridge/han-web-bridge.js'), '/* bridge */');
writeFileSync(join(outside, 'secret.txt'), 'secret');
symlinkSync(outside, join(rendererDir, 'escape'));

const warnings: string[] = [];
const log: Logger = { ...createLogger({ level: 'error' }), warn: (message) => void warnings.push(message), child: () => log };
let release: (() => void) | undefined;
const handlers = {
  'jobs:list': () => [],
  'app:info': () => new Promise((resolve) => (release = () => resolve({}))),
} as unknown as Handlers;
let host: RunningWebHost;
let token: string;

beforeAll(async () => {
  host = await startWebHost({ dispatch: createDispatch(handlers, log), events: new EventBus(), rendererDir, log });
  token = new URL(host.url).searchParams.get('token')!;
});
afterAll(async () => {
  await host.close();
  rmSync(rendererDir, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

function open(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ipc?token=${token}`);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

async function stillServes(): Promise<void> {
  const ws = await open();
  const reply = new Promise((resolve) => ws.once('message', (data) => resolve(JSON.parse(data.toString()))));
  ws.send(JSON.stringify({ id: 1, channel: 'jobs:list' }));
  expect(await reply).toEqual({ id: 1, result: { ok: true, value: [] } });
  ws.close();
}

/** A raw, handshaken connection, so frames the ws client would never build can be written. */
function rawSocket(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = rawConnect(host.port, '127.0.0.1', () =>
      socket.write(
        `GET /ipc?token=${token} HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      ),
    );
    socket.once('data', (chunk) => (chunk.toString().startsWith('HTTP/1.1 101') ? resolve(socket) : reject(new Error(chunk.toString()))));
    socket.on('error', () => undefined);
  });
}

const mask = Buffer.from([1, 2, 3, 4]);
function frame(firstByte: number, payload: Buffer, masked = true): Buffer {
  const body = masked ? Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!)) : payload;
  return Buffer.concat([Buffer.from([firstByte, (masked ? 0x80 : 0) | payload.length]), masked ? mask : Buffer.alloc(0), body]);
}

function closedBy(socket: Socket, bytes: Buffer): Promise<void> {
  return new Promise((resolve) => {
    socket.once('close', () => resolve());
    socket.write(bytes);
  });
}

describe('web host under bad frames', () => {
  it.each([
    ['an unmasked frame', frame(0x81, Buffer.from('{}'), false)],
    ['a reserved opcode', frame(0x83, Buffer.from('{}'))],
    ['an RSV bit', frame(0xc1, Buffer.from('{}'))],
    ['invalid UTF-8 in a text frame', frame(0x81, Buffer.from([0xc3, 0x28]))],
  ])('closes only the connection that sent %s', async (_name, bytes) => {
    const bystander = await open();
    await closedBy(await rawSocket(), bytes);
    expect(bystander.readyState).toBe(WebSocket.OPEN);
    bystander.close();
    await stillServes();
  });

  it('closes a connection whose message is over 1 MiB (a 1.1 MB paste) and keeps serving', async () => {
    const ws = await open();
    ws.on('error', () => undefined);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(JSON.stringify({ id: 1, channel: 'jobs:importWorkOrder', args: { notes: 'x'.repeat(1_100_000) } }));
    expect(await closed).toBe(1009);
    await stillServes();
  });

  it(`answers BUSY beyond ${MAX_PENDING_REQUESTS} requests in flight on one connection`, async () => {
    const ws = await open();
    const replies: { id: number; result: { ok: boolean; error?: { code: string } } }[] = [];
    ws.on('message', (data) => replies.push(JSON.parse(data.toString())));
    for (let id = 1; id <= MAX_PENDING_REQUESTS + 5; id++) ws.send(JSON.stringify({ id, channel: 'app:info' }));
    await expect.poll(() => replies.length).toBe(5);
    expect(replies.every((r) => r.result.error?.code === 'BUSY')).toBe(true);
    release!();
    await expect.poll(() => replies.length).toBe(MAX_PENDING_REQUESTS + 5);
    expect(replies.filter((r) => r.result.ok)).toHaveLength(MAX_PENDING_REQUESTS);
    ws.close();
  });
});

describe('static files', () => {
  it('does not follow a symlink out of the renderer folder', async () => {
    expect((await fetch(`http://127.0.0.1:${host.port}/escape/secret.txt`)).status).toBe(404);
  });

  it('answers a malformed % escape with 400', async () => {
    expect((await fetch(`http://127.0.0.1:${host.port}/%E0%A4%A`)).status).toBe(400);
    expect((await fetch(`http://127.0.0.1:${host.port}/%zz`)).status).toBe(400);
    await stillServes();
  });

  it('logs refusals truncated and rate-limited', async () => {
    warnings.length = 0;
    await Promise.all(
      Array.from({ length: 200 }, () => fetch(`http://127.0.0.1:${host.port}/${'a'.repeat(4000)}`, { headers: { origin: 'http://evil.example' } })),
    );
    expect(warnings.length).toBeLessThanOrEqual(20);
  });
});
