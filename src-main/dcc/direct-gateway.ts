import { join } from 'node:path';
import { silentLogger, type Logger } from '../util/logger';
import type { KeyProvider, TrustedSigners } from './credentials';
import { FINAL_STATES, type DccGateway, type DccRequestRecord } from './dcc-gateway';
import { compactEui } from './eui';
import type { GbcsKeySource } from './gbcs/key-source';
import { createResponseHandling } from './gateway-responses';
import { createGatewayRecords, iso, openGatewayStore, outboxEntry, type Sealer } from './gateway-store';
import { createOutboxSender } from './outbox-sender';
import { buildDuisRequest } from './request-builder';
import { createFileRequestCounter, type RequestCounter } from './request-id';
import type { ResponseListener } from './response-listener';
import type { DccTransport } from './transport';
import { signDuisXml } from './xmldsig';

export interface DirectGatewayOptions {
  /** Folder for the outbound queue, request log and RequestID counters. */
  readonly dataDir: string;
  readonly transport: DccTransport;
  /** The User's signing key, from the secret store (tests: `testKeyProvider`). */
  readonly keys: KeyProvider;
  /** The DCC certificate(s) responses must be signed with. */
  readonly dccSigners: TrustedSigners;
  /** The DCC's EUI-64: RequestID target of non-device requests. */
  readonly dccId: string;
  /** The receive-response endpoint the DCC posts asynchronous responses to. */
  readonly listener: ResponseListener;
  /** How long to wait for the device response after I99. Default 5 min. */
  readonly responseTimeoutMs?: number;
  /** Retry the queue this often while something is queued; 0 = only on `flushQueue`. Default 30 s. */
  readonly retryIntervalMs?: number;
  readonly log?: Logger;
  /**
   * Seals queued requests at rest (an 8.11 carries the device's install code). With the app's secret store the
   * outbox file never holds a request in plain text; without one (tests, CLI) it does.
   */
  readonly sealer?: Sealer;
  /** Keys for GBCS device payloads in synchronous replies (the listener has its own for asynchronous ones). */
  readonly gbcsKeys?: GbcsKeySource;
}

/**
 * The laptop as DCC User (DCC Boxed, test labs, training premises): builds and signs DUIS, keeps a durable
 * outbound queue, sends over HTTPS, verifies every reply and correlates asynchronous responses by RequestID.
 * The parts: `gateway-store.ts` (outbox and records, one atomic document), `outbox-sender.ts` (the send loop,
 * retries), `critical-continuation.ts` (Transform's pre-command signed and queued for serviceS),
 * `gateway-responses.ts` (what a verified response, or its absence, makes of a request).
 */
export function createDirectDuisGateway(options: DirectGatewayOptions): DccGateway {
  const log = options.log ?? silentLogger;
  const responseTimeoutMs = options.responseTimeoutMs ?? 300_000;
  const store = openGatewayStore(options.dataDir);
  const records = createGatewayRecords(store, log);
  const { update } = records;
  const counters = new Map<string, RequestCounter>();
  let closed = false;

  const responses = createResponseHandling({ records, log, responseTimeoutMs });
  const sender = createOutboxSender({
    records,
    responses,
    transport: options.transport,
    dccSigners: options.dccSigners,
    keys: options.keys,
    ...(options.gbcsKeys ? { gbcsKeys: options.gbcsKeys } : {}),
    ...(options.sealer ? { sealer: options.sealer } : {}),
    retryIntervalMs: options.retryIntervalMs ?? 30_000,
    isClosed: () => closed,
  });
  const unsubscribe = options.listener.onDocument(responses.onDocument);

  // After a restart: a request that was on the wire when the app stopped may have reached the DCC; resending the
  // same RequestID could be refused or executed twice, so it ends as timed-out for the engineer to check.
  for (const entry of store.read().outbox) {
    if (store.read().requests[entry.requestId]?.inFlight) {
      update(
        entry.requestId,
        {
          state: 'timed-out',
          timeoutPhase: 'sync',
          inFlight: false,
          lastError: 'the app stopped while this request was being sent; the DCC may have it, so it is not resent automatically',
        },
        { dequeue: true },
      );
    }
  }
  // Then re-arm response timeouts and resume sending what is queued.
  for (const record of Object.values(store.read().requests)) if (record.state === 'acknowledged') responses.armResponseTimeout(record);
  if (store.read().outbox.length > 0) sender.scheduleRetry();

  const counterFor = (userId: string): RequestCounter => {
    let counter = counters.get(userId);
    if (!counter) {
      counter = createFileRequestCounter(join(options.dataDir, `request-counter-${compactEui(userId)}.json`));
      counters.set(userId, counter);
    }
    return counter;
  };

  return {
    kind: 'direct-duis',
    async identity() {
      const credentials = await options.keys();
      return { userId: credentials.userId, testCredentials: credentials.testCredentials };
    },
    async submit(variant, params, submitOptions) {
      if (closed) throw new Error('the DCC gateway is closed');
      const credentials = await options.keys();
      const built = buildDuisRequest({
        variant,
        params,
        userId: credentials.userId,
        dccId: options.dccId,
        counter: () => counterFor(credentials.userId).next(),
      });
      const signedXml = signDuisXml(built.xml, credentials);
      const record: DccRequestRecord = {
        requestId: built.requestId,
        variant,
        name: built.name,
        commandVariant: built.commandVariant,
        endpoint: built.endpoint,
        targetId: built.targetId,
        state: 'queued',
        testCredentials: credentials.testCredentials,
        createdAt: iso(),
        attempts: 0,
        ...(built.signedCommandVariant ? { critical: { phase: 'transform', signedCommandVariant: built.signedCommandVariant } } : {}),
      };
      const entry = await outboxEntry(built.requestId, built.endpoint, signedXml, options.sealer);
      store.commit((s) => {
        s.outbox.push(entry);
        s.requests[built.requestId] = record;
        submitOptions?.commitWith?.(s.records, built.requestId);
      });
      records.emit(record);
      await sender.send(entry, submitOptions?.afterTransform);
      return store.read().requests[built.requestId]!;
    },
    requests: () => Object.values(store.read().requests).sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
    queued: () =>
      store
        .read()
        .outbox.map((e) => store.read().requests[e.requestId]!)
        .filter(Boolean),
    flushQueue: () => sender.flushQueue(),
    waitForFinal(requestId, timeoutMs = responseTimeoutMs + 5000) {
      return new Promise((resolve, reject) => {
        const current = store.read().requests[requestId];
        if (!current) return reject(new Error(`unknown request ${requestId}`));
        if (FINAL_STATES.has(current.state)) return resolve(current);
        const timer = setTimeout(() => {
          off();
          resolve(store.read().requests[requestId]!);
        }, timeoutMs);
        const off = records.watch((record) => {
          if (record.requestId === requestId && FINAL_STATES.has(record.state)) {
            clearTimeout(timer);
            off();
            resolve(record);
          }
        });
      });
    },
    records: () => store.read().records,
    onUpdate: (handler) => records.watch(handler),
    async close() {
      closed = true;
      unsubscribe();
      sender.close();
      responses.close();
    },
  };
}

/** The job records committed with queue entries (for the job store and tests). */
export function gatewayRecords(dataDir: string): Record<string, unknown> {
  return openGatewayStore(dataDir).read().records;
}
