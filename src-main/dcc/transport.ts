import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { DuisEndpoint } from './request-builder';

/**
 * HTTPS transport to a DCC Boxed–style endpoint: POST of the signed XML to `<baseUrl>/serviceS|T|D`
 * (`application/xml`). Mutual TLS when a client certificate is configured. No retries here: the gateway decides
 * what to do with each failure kind.
 */
export interface DccTransportConfig {
  /** e.g. `https://dcc-boxed.local:8079/api/v1` (DCC Boxed) or the simulator's URL. */
  readonly baseUrl: string;
  /** PEM CA(s) to trust instead of the system store (test CA, a lab's private CA). */
  readonly ca?: string;
  /** Client certificate and key (PEM) for mutual TLS. The key never leaves this object but for node:tls. */
  readonly clientCert?: string;
  readonly clientKey?: string;
  /** Gives up waiting for the synchronous reply after this long. Default 30 s. */
  readonly timeoutMs?: number;
}

export type TransportFailure =
  /** Nothing reached the DCC (refused, reset before the request was written, DNS, TLS handshake): safe to resend. */
  | 'unreachable'
  /** Sent, but no reply in time: the DCC may or may not have it, so it is not resent automatically. */
  | 'timeout'
  /** A reply that is not a DUIS document (HTTP error page, proxy). */
  | 'http-error';

export class DccTransportError extends Error {
  constructor(
    readonly kind: TransportFailure,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'DccTransportError';
  }
}

export interface TransportReply {
  readonly status: number;
  readonly body: string;
}

export interface DccTransport {
  post(endpoint: DuisEndpoint, xml: string): Promise<TransportReply>;
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'ECONNABORTED']);

export function createHttpsTransport(config: DccTransportConfig): DccTransport {
  const base = new URL(config.baseUrl.endsWith('/') ? config.baseUrl : config.baseUrl + '/');
  const timeoutMs = config.timeoutMs ?? 30_000;
  return {
    post(endpoint, xml) {
      const url = new URL(endpoint, base);
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      return new Promise<TransportReply>((resolve, reject) => {
        let written = false;
        const req = send(url, {
          method: 'POST',
          headers: { 'content-type': 'application/xml; charset=utf-8', 'content-length': Buffer.byteLength(xml) },
          ...(config.ca ? { ca: config.ca } : {}),
          ...(config.clientCert && config.clientKey ? { cert: config.clientCert, key: config.clientKey } : {}),
          agent: false,
        });
        // Until the connection (and TLS handshake) is up, the DCC cannot have the request: a timeout then means
        // unreachable (safe to resend), not "may have it".
        let connected = false;
        req.on('socket', (socket) => socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => (connected = true)));
        req.setTimeout(timeoutMs, () =>
          req.destroy(
            connected && written
              ? new DccTransportError('timeout', `no reply from ${url.pathname} within ${timeoutMs} ms`)
              : new DccTransportError('unreachable', `DCC unreachable at ${url.origin}: no connection within ${timeoutMs} ms`),
          ),
        );
        req.on('response', (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (e) => reject(new DccTransportError('http-error', `reply interrupted: ${e.message}`, res.statusCode)));
          res.on('end', () => {
            const body = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            if (!body.includes('Response')) reject(new DccTransportError('http-error', `HTTP ${status} from ${url.pathname} without a DUIS response`, status));
            else resolve({ status, body });
          });
        });
        req.on('finish', () => {
          written = true;
        });
        req.on('error', (error: NodeJS.ErrnoException) => {
          if (error instanceof DccTransportError) return reject(error);
          const code = error.code ?? '';
          // A reset after the whole request went out may mean the DCC has it: treat like a timeout, not resend.
          if ((UNREACHABLE.has(code) || /TLS|SSL|CERT/i.test(code + error.message)) && !(written && code === 'ECONNRESET')) {
            return reject(new DccTransportError('unreachable', `DCC unreachable at ${url.origin}: ${code || error.message}`));
          }
          reject(new DccTransportError(written ? 'timeout' : 'unreachable', `${url.pathname}: ${error.message}`));
        });
        req.end(xml);
      });
    },
  };
}
