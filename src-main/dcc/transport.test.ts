import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createPremisesModel } from '../premises/premises-model';
import { startDccSimulator } from './emulator/dcc-simulator';
import { createTestTls } from './emulator/test-ca';
import { createHttpsTransport, DccTransportError } from './transport';

async function failure(run: () => Promise<unknown>): Promise<DccTransportError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof DccTransportError) return error;
    throw error;
  }
  throw new Error('expected a transport error');
}

describe('HTTPS transport failure kinds', () => {
  it('classifies refused connections and untrusted certificates as unreachable, non-DUIS replies as http-error', async () => {
    const simulator = await startDccSimulator({ model: createPremisesModel(9) });
    try {
      const wrongPath = await failure(() =>
        createHttpsTransport({ baseUrl: `https://127.0.0.1:${simulator.port}/nothing`, ca: simulator.tls.caCert }).post('serviceS', '<x/>'),
      );
      expect(wrongPath).toMatchObject({ kind: 'http-error', status: 404 });

      const otherCa = createTestTls('other').caCert;
      const untrusted = await failure(() => createHttpsTransport({ baseUrl: simulator.baseUrl, ca: otherCa }).post('serviceS', '<x/>'));
      expect(untrusted.kind).toBe('unreachable');
      expect(untrusted.message).toMatch(/unreachable/);

      await simulator.setDown(true);
      const refused = await failure(() => createHttpsTransport({ baseUrl: simulator.baseUrl, ca: simulator.tls.caCert }).post('serviceS', '<x/>'));
      expect(refused.kind).toBe('unreachable');
      expect(refused.message).toMatch(/ECONNREFUSED/);
    } finally {
      await simulator.stop();
    }
  });
});

describe('HTTPS transport timeouts', () => {
  it('calls a server that accepts TCP but never completes TLS unreachable (the DCC cannot have the request)', async () => {
    const { createServer } = await import('node:net');
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket)); // accepts, never answers the TLS hello
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const stalled = await failure(() => createHttpsTransport({ baseUrl: `https://127.0.0.1:${port}/api/v1/`, timeoutMs: 300 }).post('serviceS', '<x/>'));
      expect(stalled.kind).toBe('unreachable');
    } finally {
      sockets.forEach((s) => s.destroy());
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('calls a request the server received but did not answer a timeout (not resent)', async () => {
    const { createServer } = await import('node:http');
    const hung = createServer(() => undefined); // reads the request, never replies
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    const port = (hung.address() as { port: number }).port;
    try {
      const late = await failure(() => createHttpsTransport({ baseUrl: `http://127.0.0.1:${port}/api/v1/`, timeoutMs: 300 }).post('serviceS', '<x/>'));
      expect(late.kind).toBe('timeout');
    } finally {
      hung.closeAllConnections();
      await new Promise<void>((resolve) => hung.close(() => resolve()));
    }
  });
});
