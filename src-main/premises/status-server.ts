import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DccSimulator } from '../dcc/emulator/dcc-simulator';
import type { Logger } from '../util/logger';
import type { RunningPremises } from './training-premises';

/** What `GET /status` answers: what each emulator received, counted, so a test can prove nothing happened twice. */
export interface PremisesStatus {
  readonly dcc?: {
    /** Every request the simulator accepted, oldest first, and how many of each service request variant. */
    /** `endpoint` tells a critical request's legs apart: serviceT (CV 4, Transform) and serviceS (the signed pre-command). */
    readonly requests: readonly { readonly requestId: string; readonly variant: string; readonly code: string; readonly endpoint: string }[];
    readonly counts: Readonly<Record<string, number>>;
    /** The Comms Hub device log (install codes left out). */
    readonly deviceLog: readonly { readonly deviceId: string; readonly joined: boolean }[];
  };
  readonly zigbee?: unknown;
}

export function premisesStatus(premises: RunningPremises): PremisesStatus {
  const simulator = premises.emulators.get('dcc')?.details?.simulator as DccSimulator | undefined;
  const counters = premises.emulators.get('zigbee')?.details?.counters as (() => unknown) | undefined;
  const counts: Record<string, number> = {};
  for (const r of simulator?.received() ?? []) counts[r.variant] = (counts[r.variant] ?? 0) + 1;
  return {
    ...(simulator
      ? {
          dcc: {
            requests: simulator.received().map(({ requestId, variant, code, endpoint }) => ({ requestId, variant, code, endpoint })),
            counts,
            deviceLog: simulator.deviceLog().map(({ deviceId, joined }) => ({ deviceId, joined })),
          },
        }
      : {}),
    ...(counters ? { zigbee: counters() } : {}),
  };
}

/**
 * The training premises' read-only status endpoint for `hantool sim`: `GET /status` on 127.0.0.1 (JSON, no
 * token: it carries counts, RequestIDs and device ids of the emulated premises, never a key or install code).
 * Requests naming another Host (DNS rebinding) are refused, as the web host does.
 */
export async function startStatusServer(premises: RunningPremises, log: Logger): Promise<{ readonly url: string; close(): Promise<void> }> {
  let port = 0;
  const server: Server = createServer((req, res) => {
    res.on('error', () => undefined);
    if (req.headers.host !== `127.0.0.1:${port}` && req.headers.host !== `localhost:${port}`) return void res.writeHead(403).end();
    if (req.url !== '/status') return void res.writeHead(404).end();
    if (req.method !== 'GET') return void res.writeHead(405, { allow: 'GET' }).end();
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(premisesStatus(premises)));
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => log.warn('status endpoint error', { error: error.message }));
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/status`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
