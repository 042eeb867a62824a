import type { IncomingMessage } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { DuisEndpoint } from '../request-builder';
import type { DevicePki } from './device-pki';
import type { PendingWork } from './pending-work';
import { handleSmkiRequest, SMKI_RETRIEVE_PATH, SMKI_SEARCH_PATH } from './smki-service';
import type { TestTlsMaterial } from './test-ca';

export interface SimulatorServerOptions {
  readonly host: string;
  readonly tls: TestTlsMaterial;
  /** Require a client certificate from the simulator's own CA (mutual TLS). */
  readonly requireClientCertificate: boolean;
  /** Answers one DUIS request (serviceS, serviceT or serviceD). */
  readonly duis: (endpoint: DuisEndpoint, xml: string) => { status: number; body: string };
  /** SMKI look-ups are answered from the devices' PKI (the fault "unknown device" answers from a device it lacks). */
  readonly devicePki: DevicePki;
  /** The fault "slow DCC": how long each DUIS reply waits, read per request. */
  readonly slowMs: () => number;
  readonly work: PendingWork;
}

/** The simulator's HTTPS side, which can be taken down and brought back on the same port (an unreachable DCC). */
export interface SimulatorServer {
  /** Starts listening (port 0: any free port); resolves with the port. */
  listen(port: number): Promise<number>;
  /** Stops listening and drops open connections, so clients see the DCC go away at once. */
  close(): Promise<void>;
  listening(): boolean;
  /** SMKI requests answered so far. */
  smkiLookups(): number;
}

const readBody = (req: IncomingMessage, then: (body: string) => void): void => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => then(Buffer.concat(chunks).toString('utf8')));
};

/**
 * Routes POSTs as DCC Boxed lays them out: DUIS on `/api/v1/serviceS|T|D`, SMKI on `/services/…` (DCC Boxed
 * serves SMKI on port 8083; here it shares the DUIS port). Anything else is a 404.
 */
export function createSimulatorServer(options: SimulatorServerOptions): SimulatorServer {
  const sockets = new Set<Socket>();
  let smkiLookups = 0;
  const server: Server = createServer(
    {
      cert: options.tls.cert,
      key: options.tls.key,
      ca: options.tls.caCert,
      requestCert: options.requireClientCertificate,
      rejectUnauthorized: options.requireClientCertificate,
    },
    (req, res) => {
      const path = (req.url ?? '').split('?')[0]!;
      if (req.method === 'POST' && (path === SMKI_SEARCH_PATH || path === SMKI_RETRIEVE_PATH)) {
        return readBody(req, (body) => {
          const reply = handleSmkiRequest(options.devicePki, path, body)!;
          smkiLookups++;
          res.writeHead(reply.status, { 'content-type': 'application/xml' }).end(reply.body);
        });
      }
      const match = /^\/api\/v1\/(serviceS|serviceT|serviceD)$/.exec(req.url ?? '');
      if (req.method !== 'POST' || !match) {
        res.writeHead(404).end();
        return;
      }
      readBody(req, (body) => {
        const reply = options.duis(match[1] as DuisEndpoint, body);
        options.work.after(options.slowMs(), () => res.writeHead(reply.status, { 'content-type': 'application/xml' }).end(reply.body));
      });
    },
  );
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  });
  // After listening, an accept error (EMFILE) or a client's TLS failure must not end the process.
  server.on('error', () => undefined);
  return {
    listen: (port) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, options.host, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
    listening: () => server.listening,
    smkiLookups: () => smkiLookups,
  };
}
