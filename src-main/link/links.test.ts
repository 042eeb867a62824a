import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseTcpTarget } from './create-link';
import { LinkClosedError } from './device-link';
import { createMemoryLinkPair } from './memory-link';
import { TcpLink } from './tcp-link';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function listen(onSocket: (socket: Socket) => void): Promise<number> {
  server = createServer(onSocket);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

describe('TcpLink', () => {
  it('carries bytes both ways', async () => {
    const port = await listen((socket) => socket.pipe(socket));
    const link = new TcpLink('127.0.0.1', port);
    await link.open();
    const received = new Promise<Buffer>((resolve) => link.onData(resolve));
    await link.write(Uint8Array.of(0x68, 0x16));
    expect(await received).toEqual(Buffer.from([0x68, 0x16]));
    await link.close();
    expect(link.isOpen).toBe(false);
  });

  it('reports a peer that goes away as a loss, and refuses writes afterwards', async () => {
    let peer: Socket | undefined;
    const port = await listen((socket) => (peer = socket));
    const link = new TcpLink('127.0.0.1', port);
    await link.open();
    const closed = new Promise<Error | undefined>((resolve) => link.onClose(resolve));
    await expect.poll(() => peer).toBeDefined();
    peer!.destroy();
    expect(await closed).toBeInstanceOf(Error);
    await expect(link.write(Uint8Array.of(1))).rejects.toBeInstanceOf(LinkClosedError);
  });

  it('reports a closed port clearly and a deliberate close without an error', async () => {
    const port = await listen(() => undefined);
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    await expect(new TcpLink('127.0.0.1', port).open()).rejects.toThrow(`tcp://127.0.0.1:${port}`);
    const port2 = await listen(() => undefined);
    const link = new TcpLink('127.0.0.1', port2);
    await link.open();
    const closed = new Promise<Error | undefined>((resolve) => link.onClose(resolve));
    await link.close();
    expect(await closed).toBeUndefined();
  });
});

describe('memory link pair', () => {
  it('delivers to the other end and reports a simulated unplug', async () => {
    const [a, b] = createMemoryLinkPair();
    await a.open();
    await b.open();
    const got: Buffer[] = [];
    b.onData((chunk) => got.push(chunk));
    await a.write(Uint8Array.of(1, 2, 3));
    await expect.poll(() => got).toEqual([Buffer.from([1, 2, 3])]);
    const lost = new Promise<Error | undefined>((resolve) => a.onClose(resolve));
    a.lose();
    expect((await lost)?.message).toBe('device unplugged');
    await expect(a.write(Uint8Array.of(1))).rejects.toBeInstanceOf(LinkClosedError);
  });
});

describe('parseTcpTarget', () => {
  it('accepts host:port with or without tcp:// and rejects the rest', () => {
    expect(parseTcpTarget('192.0.2.10:6638')).toEqual({ kind: 'tcp', host: '192.0.2.10', port: 6638 });
    expect(parseTcpTarget('tcp://zb-gw.local:6638')).toEqual({ kind: 'tcp', host: 'zb-gw.local', port: 6638 });
    expect(parseTcpTarget('[::1]:10001')).toEqual({ kind: 'tcp', host: '::1', port: 10001 });
    expect(parseTcpTarget('/dev/ttyUSB0')).toBeUndefined();
    expect(parseTcpTarget('host:70000')).toBeUndefined();
  });
});
