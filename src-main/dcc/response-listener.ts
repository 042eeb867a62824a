import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TrustedSigners } from './credentials';
import { parseDuisResponse, unverifiedRequestId, type DuisResponse } from './duis-response';
import type { GbcsKeySource } from './gbcs/key-source';
import { gbcsPayloadOriginator } from './smki-client';
import type { GbcsKeyStore } from './gbcs/keys';
import { DuisSignatureError, verifyDuisXml } from './xmldsig';

/**
 * The User's "receive response" endpoint: the DCC POSTs asynchronous device responses and alerts here. Every
 * document is signature-checked against the DCC certificate before anything in it is believed; refused ones
 * are still reported (with the RequestID read from the raw text, for correlation only) so nothing is lost.
 */
export type ReceivedDocument =
  | { readonly ok: true; readonly response: DuisResponse; readonly xml: string; readonly receivedAt: number }
  | { readonly ok: false; readonly error: string; readonly reason: string; readonly requestId?: string; readonly xml: string; readonly receivedAt: number };

export interface ResponseListenerOptions {
  readonly signers: TrustedSigners;
  /** Loopback unless configured (a field laptop must not expose it). */
  readonly host?: string;
  /** 0 = chosen by the system. */
  readonly port?: number;
  /** Serve HTTPS with this certificate (PEM); plain HTTP on loopback otherwise. */
  readonly tls?: { readonly cert: string; readonly key: string; readonly ca?: string; readonly requestCert?: boolean };
  readonly maxBytes?: number;
  /** Keys to check and open GBCS device payloads with (fetched per document: the User's key is unsealed on use). */
  readonly gbcsKeys?: GbcsKeySource;
}

export interface ResponseListener {
  /** Where the DCC should POST, e.g. `http://127.0.0.1:41234/`. */
  readonly url: string;
  readonly port: number;
  onDocument(handler: (document: ReceivedDocument) => void): () => void;
  close(): Promise<void>;
}

export async function startResponseListener(options: ResponseListenerOptions): Promise<ResponseListener> {
  const handlers = new Set<(document: ReceivedDocument) => void>();
  const maxBytes = options.maxBytes ?? 4 * 1024 * 1024;
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method !== 'POST') {
      res.writeHead(405).end();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) req.destroy();
      else chunks.push(chunk);
    });
    req.on('end', () => void receive(Buffer.concat(chunks).toString('utf8'), res));
  };
  const keysFor = async (xml: string): Promise<GbcsKeyStore | undefined> => {
    try {
      const originator = gbcsPayloadOriginator(xml);
      return await options.gbcsKeys?.(originator ? [originator] : []);
    } catch {
      return undefined; // keys unavailable (secret store locked): GBCS verdicts become "unknown", nothing is trusted
    }
  };
  const receive = async (xml: string, res: ServerResponse): Promise<void> => {
    const receivedAt = Date.now();
    let document: ReceivedDocument;
    try {
      const verified = verifyDuisXml(xml, options.signers);
      const gbcsKeys = verified.signedXml.includes('GBCSPayload>') ? await keysFor(verified.signedXml) : undefined;
      document = { ok: true, response: parseDuisResponse(verified.signedXml, gbcsKeys), xml, receivedAt };
    } catch (error) {
      const reason = error instanceof DuisSignatureError ? error.reason : 'unparseable';
      const requestId = unverifiedRequestId(xml);
      document = { ok: false, reason, error: error instanceof Error ? error.message : String(error), xml, receivedAt, ...(requestId ? { requestId } : {}) };
    }
    res.writeHead(document.ok ? 200 : 400, { 'content-type': 'text/plain' }).end(document.ok ? 'accepted' : `refused: ${document.error}`);
    for (const handler of handlers) handler(document);
  };
  const server: Server = options.tls
    ? createHttpsServer(
        {
          cert: options.tls.cert,
          key: options.tls.key,
          ca: options.tls.ca,
          requestCert: options.tls.requestCert ?? false,
          rejectUnauthorized: options.tls.requestCert ?? false,
        },
        handle,
      )
    : createHttpServer(handle);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // An accept error (EMFILE) or a client's bad TLS handshake after start must not end the process.
  server.on('error', () => undefined);
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${options.tls ? 'https' : 'http'}://${host}:${port}/`,
    port,
    onDocument(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
