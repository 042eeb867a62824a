import { join } from 'node:path';
import type { SecretStore } from '../secrets/secret-store';
import { silentLogger, type Logger } from '../util/logger';
import { createAtomicStore, type AtomicStore } from './atomic-store';
import type { KeyProvider, TrustedSigners } from './credentials';
import { FINAL_STATES, type DccGateway, type DccRequestRecord, type DccRequestState } from './dcc-gateway';
import { isAcknowledgedCode, isSuccessCode, responseCodeMeaning } from './duis-codes';
import { parseDuisResponse, type DuisResponse } from './duis-response';
import { compactEui } from './eui';
import { preCommandSigningKey, signedPreCommandRequest } from './critical-request';
import { mmcFromGbcs } from './device-result';
import { gbcsRefusal, requireSender } from './gbcs/duis-payload';
import type { GbcsKeySource } from './gbcs/key-source';
import { gbcsPayloadOriginator } from './smki-client';
import { buildDuisRequest, type DuisEndpoint } from './request-builder';
import { createFileRequestCounter, parseRequestId, type RequestCounter } from './request-id';
import type { ReceivedDocument, ResponseListener } from './response-listener';
import { DccTransportError, type DccTransport } from './transport';
import { DuisSignatureError, signDuisXml, verifyDuisXml } from './xmldsig';

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
  readonly sealer?: Pick<SecretStore, 'encrypt' | 'decrypt'>;
  /** Keys for GBCS device payloads in synchronous replies (the listener has its own for asynchronous ones). */
  readonly gbcsKeys?: GbcsKeySource;
}

interface OutboxEntry {
  readonly requestId: string;
  readonly endpoint: DuisEndpoint;
  /** The signed request, or `sealed` holds it as a secret-store token. */
  readonly signedXml?: string;
  readonly sealed?: string;
}

/** Unverified documents kept per request: enough to investigate, not a way to fill the disk. */
const MAX_UNTRUSTED_PER_REQUEST = 5;
const MAX_UNMATCHED = 200;

interface GatewayState {
  outbox: OutboxEntry[];
  requests: Record<string, DccRequestRecord>;
  /** Job records committed together with queue entries (`SubmitOptions.commitWith`). */
  records: Record<string, unknown>;
  /** Verified documents no request was waiting for (alerts, responses to forgotten requests). */
  unmatched: { receivedAt: string; responseCode: string; requestId?: string }[];
}

const iso = (ms = Date.now()): string => new Date(ms).toISOString();

/**
 * The laptop as DCC User (DCC Boxed, test labs, training premises): builds and signs DUIS, keeps a durable
 * outbound queue, sends over HTTPS, verifies every reply and correlates asynchronous responses by RequestID.
 */
export function createDirectDuisGateway(options: DirectGatewayOptions): DccGateway {
  const log = options.log ?? silentLogger;
  const responseTimeoutMs = options.responseTimeoutMs ?? 300_000;
  const retryIntervalMs = options.retryIntervalMs ?? 30_000;
  const store: AtomicStore<GatewayState> = createAtomicStore(options.dataDir, 'dcc-gateway', () => ({ outbox: [], requests: {}, records: {}, unmatched: [] }));
  const counters = new Map<string, RequestCounter>();
  const handlers = new Set<(record: DccRequestRecord) => void>();
  const timers = new Map<string, NodeJS.Timeout>();
  const sending = new Set<string>();
  let retryTimer: NodeJS.Timeout | undefined;
  let closed = false;

  const emit = (record: DccRequestRecord): void => {
    for (const handler of handlers) handler(record);
  };
  /** Changes one record (and optionally the outbox) in one durable commit. */
  const update = (requestId: string, change: Partial<DccRequestRecord>, options: { dequeue?: boolean } = {}): DccRequestRecord | undefined => {
    let next: DccRequestRecord | undefined;
    store.commit((s) => {
      const current = s.requests[requestId];
      if (!current) return;
      next = { ...current, ...change };
      s.requests[requestId] = next;
      if (options.dequeue) s.outbox = s.outbox.filter((e) => e.requestId !== requestId);
    });
    if (next) {
      log.info('dcc request update', { requestId, state: next.state, responseCode: next.responseCode });
      emit(next);
    }
    return next;
  };

  const armResponseTimeout = (record: DccRequestRecord): void => {
    clearTimeout(timers.get(record.requestId));
    const since = record.acknowledgedAt ? Date.parse(record.acknowledgedAt) : Date.now();
    const timer = setTimeout(
      () => {
        timers.delete(record.requestId);
        if (store.read().requests[record.requestId]?.state === 'acknowledged') {
          const refused = store.read().requests[record.requestId]?.untrustedDocuments?.length ?? 0;
          update(record.requestId, {
            state: 'timed-out',
            timeoutPhase: 'async',
            lastError: `no device response within ${Math.round(responseTimeoutMs / 1000)} s of I99${refused > 0 ? `; ${refused} unverified response(s) refused and kept for review` : ''}`,
          });
        }
      },
      Math.max(0, since + responseTimeoutMs - Date.now()),
    );
    timer.unref();
    timers.set(record.requestId, timer);
  };

  /** Applies a verified DUIS response (synchronous reply or asynchronous post) to its request. */
  const applyResponse = (requestId: string, response: DuisResponse, synchronous: boolean): void => {
    const current = store.read().requests[requestId];
    if (!current) return;
    const code = response.responseCode;
    const common = { responseCode: code, responseMeaning: responseCodeMeaning(code) };
    if (isAcknowledgedCode(code)) {
      // An asynchronous response may overtake the synchronous I99: never step back from a final state.
      if (FINAL_STATES.has(current.state)) return void update(requestId, { acknowledgedAt: iso() }, { dequeue: true });
      const next = update(requestId, { ...common, state: 'acknowledged', acknowledgedAt: iso() }, { dequeue: true });
      if (next) armResponseTimeout(next);
      return;
    }
    clearTimeout(timers.get(requestId));
    const wanMatrix = response.body.kind === 'response' ? response.body.wanMatrix : undefined;
    const received = response.body.kind === 'response' ? response.body.gbcs : undefined;
    const gbcs = received ? requireSender(received, parseRequestId(requestId).targetId) : undefined;
    const refused = gbcs ? gbcsRefusal(gbcs) : undefined;
    const variant = response.body.kind === 'response' ? response.body.serviceReferenceVariant : undefined;
    const mmc =
      response.body.kind !== 'response'
        ? undefined
        : (response.body.mmc ??
          (gbcs && !refused
            ? mmcFromGbcs(gbcs, {
                targetId: requestId.split(':')[0] ?? '',
                timestamp: response.responseDateTime,
                ...(variant ? { serviceReferenceVariant: variant } : {}),
              })
            : undefined));
    const gbcsFailed = gbcs?.ok === true && gbcs.trusted && gbcs.result && 'success' in gbcs.result && !gbcs.result.success;
    let state: DccRequestState;
    let lastError: string | undefined;
    if (refused) {
      // A device payload that fails its MAC or signature (or cannot be checked) decides nothing and gives nothing.
      state = gbcs?.ok && (gbcs.mac === 'invalid' || gbcs.signature === 'invalid') ? 'signature-invalid' : 'failed';
      lastError = refused;
    } else if (isSuccessCode(code) && gbcsFailed) {
      state = 'failed';
      lastError = 'the device reported that the command did not succeed';
    } else if (isSuccessCode(code)) {
      state = mmc?.messageSuccess === false ? 'failed' : 'completed';
      if (state === 'failed') lastError = 'the device reported that the command did not succeed';
    } else {
      state = synchronous ? 'rejected' : 'failed';
      lastError = `${code}: ${responseCodeMeaning(code)}`;
    }
    update(
      requestId,
      {
        ...common,
        state,
        completedAt: iso(),
        ...(mmc ? { mmc } : {}),
        ...(gbcs ? { gbcs } : {}),
        ...(wanMatrix ? { wanMatrix } : {}),
        ...(lastError ? { lastError } : { lastError: undefined }),
      },
      { dequeue: true },
    );
  };

  /** Transform answered a critical request: its pre-command checked and signed replaces the entry in one commit. */
  const continueCritical = async (entry: OutboxEntry, response: DuisResponse): Promise<OutboxEntry | undefined> => {
    const record = store.read().requests[entry.requestId]!;
    const credentials = await options.keys();
    const signingKey = await preCommandSigningKey(options.gbcsKeys, credentials.userId);
    const made = signedPreCommandRequest({ record, response, credentials, signingKey });
    if (!made.ok) return void update(entry.requestId, { state: 'failed', responseCode: response.responseCode, lastError: made.reason }, { dequeue: true });
    const next: OutboxEntry = options.sealer
      ? { requestId: entry.requestId, endpoint: 'serviceS', sealed: await options.sealer.encrypt(made.signedXml) }
      : { requestId: entry.requestId, endpoint: 'serviceS', signedXml: made.signedXml };
    const critical = { phase: 'signed' as const, signedCommandVariant: made.commandVariant, useCase: made.useCase };
    store.commit((s) => {
      s.outbox = s.outbox.map((e) => (e.requestId === entry.requestId ? next : e));
      s.requests[entry.requestId] = { ...s.requests[entry.requestId]!, endpoint: 'serviceS', commandVariant: made.commandVariant, inFlight: false, critical };
    });
    emit(store.read().requests[entry.requestId]!);
    return next;
  };

  /** Sends one entry and, for a critical request whose pre-command came back, the signed pre-command after it. */
  const send = async (entry: OutboxEntry, afterTransform?: (requestId: string) => Promise<void>): Promise<void> => {
    let next: OutboxEntry | undefined = await sendOnce(entry);
    if (next && afterTransform) await afterTransform(next.requestId);
    while (next) next = await sendOnce(next);
  };

  const sendOnce = async (entry: OutboxEntry): Promise<OutboxEntry | undefined> => {
    if (sending.has(entry.requestId) || closed) return;
    // A flush works from a snapshot of the outbox: an entry another flush has sent since must not go out again.
    if (!store.read().outbox.some((e) => e.requestId === entry.requestId && e.endpoint === entry.endpoint)) return;
    sending.add(entry.requestId);
    const attempts = (store.read().requests[entry.requestId]?.attempts ?? 0) + 1;
    update(entry.requestId, { attempts, sentAt: iso(), inFlight: true });
    try {
      const xml = entry.sealed !== undefined && options.sealer ? await options.sealer.decrypt(entry.sealed) : entry.signedXml;
      if (xml === undefined) throw new Error('the queued request cannot be unsealed (its secret store is not available)');
      const reply = await options.transport.post(entry.endpoint, xml);
      let response: DuisResponse;
      try {
        const signedXml = verifyDuisXml(reply.body, options.dccSigners).signedXml;
        const originator = gbcsPayloadOriginator(signedXml);
        response = parseDuisResponse(signedXml, signedXml.includes('GBCSPayload>') ? await options.gbcsKeys?.(originator ? [originator] : []) : undefined);
      } catch (error) {
        const why = error instanceof DuisSignatureError ? `reply refused: ${error.message}` : `reply unreadable: ${String(error)}`;
        const current = store.read().requests[entry.requestId];
        update(
          entry.requestId,
          { state: 'signature-invalid', lastError: why, untrustedDocuments: [...(current?.untrustedDocuments ?? []), reply.body] },
          { dequeue: true },
        );
        return;
      }
      if (response.requestId !== entry.requestId) {
        // A signed reply for another request (replayed, or a confused gateway) must not decide this one.
        const current = store.read().requests[entry.requestId];
        update(
          entry.requestId,
          {
            state: 'signature-invalid',
            lastError: `reply refused: it answers RequestID ${response.requestId ?? '(none)'}, not this request`,
            untrustedDocuments: [...(current?.untrustedDocuments ?? []), reply.body],
          },
          { dequeue: true },
        );
        return;
      }
      if (entry.endpoint === 'serviceT' && isSuccessCode(response.responseCode)) return await continueCritical(entry, response);
      applyResponse(entry.requestId, response, true);
    } catch (error) {
      if (error instanceof DccTransportError && error.kind === 'unreachable') {
        update(entry.requestId, { state: 'queued', inFlight: false, lastError: `${error.message} — queued, will resend` });
        scheduleRetry();
      } else if (error instanceof DccTransportError && error.kind === 'timeout') {
        // The DCC may have it: resending the same RequestID could be refused or executed twice, so stop here.
        update(
          entry.requestId,
          { state: 'timed-out', timeoutPhase: 'sync', lastError: `${error.message}; not resent automatically (the DCC may have it)` },
          { dequeue: true },
        );
      } else {
        update(entry.requestId, { state: 'failed', lastError: error instanceof Error ? error.message : String(error) }, { dequeue: true });
      }
    } finally {
      sending.delete(entry.requestId);
      store.commit((s) => {
        const record = s.requests[entry.requestId];
        if (record?.inFlight) s.requests[entry.requestId] = { ...record, inFlight: false };
      });
    }
  };

  const flushQueue = async (): Promise<{ sent: number; stillQueued: number }> => {
    const entries = [...store.read().outbox];
    for (const entry of entries) await send(entry);
    const stillQueued = store.read().outbox.length;
    return { sent: entries.length - stillQueued, stillQueued };
  };

  function scheduleRetry(): void {
    if (retryIntervalMs <= 0 || retryTimer || closed) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void flushQueue().then(({ stillQueued }) => {
        if (stillQueued > 0) scheduleRetry();
      });
    }, retryIntervalMs);
    retryTimer.unref();
  }

  const onDocument = (document: ReceivedDocument): void => {
    if (!document.ok) {
      // Anyone who can reach the listener can post text naming a RequestID: an unverified document is kept for
      // review but never changes a request's state or its timeout. A signed response may still follow.
      const current = document.requestId ? store.read().requests[document.requestId] : undefined;
      log.warn('refused a DCC document', { reason: document.reason, requestId: document.requestId });
      if (current && (current.untrustedDocuments?.length ?? 0) < MAX_UNTRUSTED_PER_REQUEST) {
        update(current.requestId, {
          lastError: `refused an unverified response (${document.error}); ${current.state === 'acknowledged' ? 'still waiting for a signed one' : 'kept for review'}`,
          untrustedDocuments: [...(current.untrustedDocuments ?? []), document.xml],
        });
      }
      return;
    }
    const requestId = document.response.requestId;
    if (requestId && store.read().requests[requestId]) {
      applyResponse(requestId, document.response, false);
      return;
    }
    store.commit((s) => {
      s.unmatched.push({ receivedAt: iso(document.receivedAt), responseCode: document.response.responseCode, ...(requestId ? { requestId } : {}) });
      s.unmatched = s.unmatched.slice(-MAX_UNMATCHED);
    });
  };
  const unsubscribe = options.listener.onDocument(onDocument);

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
  for (const record of Object.values(store.read().requests)) if (record.state === 'acknowledged') armResponseTimeout(record);
  if (store.read().outbox.length > 0) scheduleRetry();

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
      const entry: OutboxEntry = options.sealer
        ? { requestId: built.requestId, endpoint: built.endpoint, sealed: await options.sealer.encrypt(signedXml) }
        : { requestId: built.requestId, endpoint: built.endpoint, signedXml };
      store.commit((s) => {
        s.outbox.push(entry);
        s.requests[built.requestId] = record;
        submitOptions?.commitWith?.(s.records, built.requestId);
      });
      emit(record);
      await send(entry, submitOptions?.afterTransform);
      return store.read().requests[built.requestId]!;
    },
    requests: () => Object.values(store.read().requests).sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
    queued: () =>
      store
        .read()
        .outbox.map((e) => store.read().requests[e.requestId]!)
        .filter(Boolean),
    flushQueue,
    waitForFinal(requestId, timeoutMs = responseTimeoutMs + 5000) {
      return new Promise((resolve, reject) => {
        const current = store.read().requests[requestId];
        if (!current) return reject(new Error(`unknown request ${requestId}`));
        if (FINAL_STATES.has(current.state)) return resolve(current);
        const timer = setTimeout(() => {
          off();
          resolve(store.read().requests[requestId]!);
        }, timeoutMs);
        const off = (): void => void handlers.delete(watch);
        const watch = (record: DccRequestRecord): void => {
          if (record.requestId === requestId && FINAL_STATES.has(record.state)) {
            clearTimeout(timer);
            off();
            resolve(record);
          }
        };
        handlers.add(watch);
      });
    },
    records: () => store.read().records,
    onUpdate(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    async close() {
      closed = true;
      unsubscribe();
      clearTimeout(retryTimer);
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}

/** The job records committed with queue entries (for the job store and tests). */
export function gatewayRecords(dataDir: string): Record<string, unknown> {
  return createAtomicStore<GatewayState>(dataDir, 'dcc-gateway', () => ({ outbox: [], requests: {}, records: {}, unmatched: [] })).read().records;
}
