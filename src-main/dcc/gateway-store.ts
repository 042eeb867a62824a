import type { SecretStore } from '../secrets/secret-store';
import type { Logger } from '../util/logger';
import { createAtomicStore, type AtomicStore } from './atomic-store';
import type { DccRequestRecord } from './dcc-gateway';
import type { DuisEndpoint } from './request-builder';

/** One signed request waiting to be sent (or resent) to the DCC. */
export interface OutboxEntry {
  readonly requestId: string;
  readonly endpoint: DuisEndpoint;
  /** The signed request, or `sealed` holds it as a secret-store token. */
  readonly signedXml?: string;
  readonly sealed?: string;
}

/** What the direct gateway keeps durably: one document, so a queue entry and its record change in one commit. */
export interface GatewayState {
  outbox: OutboxEntry[];
  requests: Record<string, DccRequestRecord>;
  /** Job records committed together with queue entries (`SubmitOptions.commitWith`). */
  records: Record<string, unknown>;
  /** Verified documents no request was waiting for (alerts, responses to forgotten requests). */
  unmatched: { receivedAt: string; responseCode: string; requestId?: string }[];
}

export type Sealer = Pick<SecretStore, 'encrypt' | 'decrypt'>;

export const iso = (ms = Date.now()): string => new Date(ms).toISOString();

export function openGatewayStore(dataDir: string): AtomicStore<GatewayState> {
  return createAtomicStore<GatewayState>(dataDir, 'dcc-gateway', () => ({ outbox: [], requests: {}, records: {}, unmatched: [] }));
}

/** The outbox entry for a signed request: sealed when there is a sealer, since an 8.11 carries an install code. */
export async function outboxEntry(requestId: string, endpoint: DuisEndpoint, signedXml: string, sealer: Sealer | undefined): Promise<OutboxEntry> {
  return sealer ? { requestId, endpoint, sealed: await sealer.encrypt(signedXml) } : { requestId, endpoint, signedXml };
}

/** The gateway's request records: durable changes, each announced to whoever watches. */
export interface GatewayRecords {
  readonly store: AtomicStore<GatewayState>;
  /** Changes one record (and optionally takes its entry off the outbox) in one durable commit, then announces it. */
  update(requestId: string, change: Partial<DccRequestRecord>, options?: { dequeue?: boolean }): DccRequestRecord | undefined;
  /** Announces a record changed by a commit made elsewhere. */
  emit(record: DccRequestRecord): void;
  /** Calls `handler` with every changed record until the returned function is called. */
  watch(handler: (record: DccRequestRecord) => void): () => void;
}

export function createGatewayRecords(store: AtomicStore<GatewayState>, log: Logger): GatewayRecords {
  const handlers = new Set<(record: DccRequestRecord) => void>();
  const emit = (record: DccRequestRecord): void => {
    for (const handler of handlers) handler(record);
  };
  return {
    store,
    update(requestId, change, options = {}) {
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
    },
    emit,
    watch(handler) {
      handlers.add(handler);
      return () => void handlers.delete(handler);
    },
  };
}
