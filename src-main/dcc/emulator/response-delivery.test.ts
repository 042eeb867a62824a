import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../util/logger';
import { deliverResponse } from './response-delivery';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function listen(port: number, status: number, bodies: string[]): Promise<number> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString());
      res.writeHead(status).end();
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('the simulator delivers asynchronous responses as the DCC does', () => {
  it('retries while the User endpoint is down and delivers once it is back (an app restarting after a crash)', async () => {
    const port = await listen(0, 200, []);
    await new Promise<void>((resolve) => servers.pop()!.close(() => resolve()));
    const bodies: string[] = [];
    const delivery = deliverResponse({
      url: `http://127.0.0.1:${port}/`,
      xml: '<Response/>',
      requestId: 'r1',
      log: silentLogger,
      signal: new AbortController().signal,
    });
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(bodies).toEqual([]);
    await listen(port, 200, bodies);
    await delivery;
    expect(bodies).toEqual(['<Response/>']);
  });

  it('takes any HTTP answer, a refusal included, as delivered (only an unreachable endpoint is retried)', async () => {
    const bodies: string[] = [];
    const port = await listen(0, 400, bodies);
    await deliverResponse({ url: `http://127.0.0.1:${port}/`, xml: '<Response/>', requestId: 'r2', log: silentLogger, signal: new AbortController().signal });
    expect(bodies).toHaveLength(1);
  });

  it('gives up when the simulator stops', async () => {
    const port = await listen(0, 200, []);
    await new Promise<void>((resolve) => servers.pop()!.close(() => resolve()));
    const stopping = new AbortController();
    const delivery = deliverResponse({ url: `http://127.0.0.1:${port}/`, xml: '<Response/>', requestId: 'r3', log: silentLogger, signal: stopping.signal });
    setTimeout(() => stopping.abort(), 300);
    await expect(delivery).resolves.toBeUndefined();
  });
});
