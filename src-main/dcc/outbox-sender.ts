import type { KeyProvider, TrustedSigners } from './credentials';
import { continueCriticalRequest } from './critical-continuation';
import { isSuccessCode } from './duis-codes';
import { parseDuisResponse, type DuisResponse } from './duis-response';
import type { GbcsKeySource } from './gbcs/key-source';
import type { ResponseHandling } from './gateway-responses';
import { iso, type GatewayRecords, type OutboxEntry, type Sealer } from './gateway-store';
import { gbcsPayloadOriginator } from './smki-client';
import { DccTransportError, type DccTransport } from './transport';
import { DuisSignatureError, verifyDuisXml } from './xmldsig';

export interface OutboxSenderDeps {
  readonly records: GatewayRecords;
  readonly responses: ResponseHandling;
  readonly transport: DccTransport;
  readonly dccSigners: TrustedSigners;
  readonly keys: KeyProvider;
  readonly gbcsKeys?: GbcsKeySource;
  readonly sealer?: Sealer;
  /** Retry the queue this often while something is queued; 0 = only on `flushQueue`. */
  readonly retryIntervalMs: number;
  readonly isClosed: () => boolean;
}

/** Sends what the outbox holds and decides, from each reply or failure, what becomes of the entry. */
export interface OutboxSender {
  /** Sends one entry and, for a critical request whose pre-command came back, the signed pre-command after it. */
  send(entry: OutboxEntry, afterTransform?: (requestId: string) => Promise<void>): Promise<void>;
  flushQueue(): Promise<{ sent: number; stillQueued: number }>;
  /** Flushes again after the retry interval (once at a time) while anything is still queued. */
  scheduleRetry(): void;
  close(): void;
}

/**
 * The send loop. A reply is believed only once it verifies with the DCC's certificate and answers this very
 * RequestID; an unreachable DCC leaves the entry queued for the retry timer; a POST that timed out is never
 * resent (the DCC may have it).
 */
export function createOutboxSender(deps: OutboxSenderDeps): OutboxSender {
  const { store, update } = deps.records;
  const sending = new Set<string>();
  let retryTimer: NodeJS.Timeout | undefined;

  /** Keeps a reply that could not be trusted with its request, which it ends as `signature-invalid`. */
  const refuseReply = (requestId: string, lastError: string, body: string): void => {
    const current = store.read().requests[requestId];
    update(requestId, { state: 'signature-invalid', lastError, untrustedDocuments: [...(current?.untrustedDocuments ?? []), body] }, { dequeue: true });
  };

  const sendOnce = async (entry: OutboxEntry): Promise<OutboxEntry | undefined> => {
    if (sending.has(entry.requestId) || deps.isClosed()) return;
    // A flush works from a snapshot of the outbox: an entry another flush has sent since must not go out again.
    if (!store.read().outbox.some((e) => e.requestId === entry.requestId && e.endpoint === entry.endpoint)) return;
    sending.add(entry.requestId);
    const attempts = (store.read().requests[entry.requestId]?.attempts ?? 0) + 1;
    update(entry.requestId, { attempts, sentAt: iso(), inFlight: true });
    try {
      const xml = entry.sealed !== undefined && deps.sealer ? await deps.sealer.decrypt(entry.sealed) : entry.signedXml;
      if (xml === undefined) throw new Error('the queued request cannot be unsealed (its secret store is not available)');
      const reply = await deps.transport.post(entry.endpoint, xml);
      let response: DuisResponse;
      try {
        const signedXml = verifyDuisXml(reply.body, deps.dccSigners).signedXml;
        const originator = gbcsPayloadOriginator(signedXml);
        response = parseDuisResponse(signedXml, signedXml.includes('GBCSPayload>') ? await deps.gbcsKeys?.(originator ? [originator] : []) : undefined);
      } catch (error) {
        const why = error instanceof DuisSignatureError ? `reply refused: ${error.message}` : `reply unreadable: ${String(error)}`;
        return void refuseReply(entry.requestId, why, reply.body);
      }
      if (response.requestId !== entry.requestId) {
        // A signed reply for another request (replayed, or a confused gateway) must not decide this one.
        return void refuseReply(entry.requestId, `reply refused: it answers RequestID ${response.requestId ?? '(none)'}, not this request`, reply.body);
      }
      if (entry.endpoint === 'serviceT' && isSuccessCode(response.responseCode)) return await continueCriticalRequest(deps, entry, response);
      deps.responses.apply(entry.requestId, response, true);
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

  const send = async (entry: OutboxEntry, afterTransform?: (requestId: string) => Promise<void>): Promise<void> => {
    let next: OutboxEntry | undefined = await sendOnce(entry);
    if (next && afterTransform) await afterTransform(next.requestId);
    while (next) next = await sendOnce(next);
  };

  const flushQueue = async (): Promise<{ sent: number; stillQueued: number }> => {
    const entries = [...store.read().outbox];
    for (const entry of entries) await send(entry);
    const stillQueued = store.read().outbox.length;
    return { sent: entries.length - stillQueued, stillQueued };
  };

  function scheduleRetry(): void {
    if (deps.retryIntervalMs <= 0 || retryTimer || deps.isClosed()) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void flushQueue().then(({ stillQueued }) => {
        if (stillQueued > 0) scheduleRetry();
      });
    }, deps.retryIntervalMs);
    retryTimer.unref();
  }

  return { send, flushQueue, scheduleRetry, close: () => clearTimeout(retryTimer) };
}
