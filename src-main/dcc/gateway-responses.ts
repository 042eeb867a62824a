import type { Logger } from '../util/logger';
import { FINAL_STATES, type DccRequestRecord, type DccRequestState } from './dcc-gateway';
import { mmcFromGbcs } from './device-result';
import { isAcknowledgedCode, isSuccessCode, responseCodeMeaning } from './duis-codes';
import type { DuisResponse } from './duis-response';
import { gbcsRefusal, requireSender } from './gbcs/duis-payload';
import { iso, type GatewayRecords } from './gateway-store';
import { parseRequestId } from './request-id';
import type { ReceivedDocument } from './response-listener';

/** Unverified documents kept per request: enough to investigate, not a way to fill the disk. */
const MAX_UNTRUSTED_PER_REQUEST = 5;
const MAX_UNMATCHED = 200;

/**
 * What a verified response that ends a request makes of it: its state, reason, and the device's result (MMC,
 * GBCS verdicts, WAN matrix). A device payload whose MAC or signature fails, or cannot be checked, or that comes
 * from another device than the one asked, decides nothing and gives nothing.
 */
export function finalOutcome(requestId: string, response: DuisResponse, synchronous: boolean): Partial<DccRequestRecord> {
  const code = response.responseCode;
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
  return {
    responseCode: code,
    responseMeaning: responseCodeMeaning(code),
    state,
    completedAt: iso(),
    ...(mmc ? { mmc } : {}),
    ...(gbcs ? { gbcs } : {}),
    ...(wanMatrix ? { wanMatrix } : {}),
    ...(lastError ? { lastError } : { lastError: undefined }),
  };
}

/** How verified responses reach their requests: the synchronous reply, the listener's posts, the I99 timeout. */
export interface ResponseHandling {
  /** Applies a verified DUIS response (synchronous reply or asynchronous post) to its request. */
  apply(requestId: string, response: DuisResponse, synchronous: boolean): void;
  /** Ends an acknowledged request as timed-out when no device response arrives in time (re-armed after a restart). */
  armResponseTimeout(record: DccRequestRecord): void;
  /** For the receive-response listener. */
  onDocument(document: ReceivedDocument): void;
  close(): void;
}

export function createResponseHandling(input: {
  readonly records: GatewayRecords;
  readonly log: Logger;
  readonly responseTimeoutMs: number;
}): ResponseHandling {
  const { records, log, responseTimeoutMs } = input;
  const { store, update } = records;
  const timers = new Map<string, NodeJS.Timeout>();

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

  const apply = (requestId: string, response: DuisResponse, synchronous: boolean): void => {
    const current = store.read().requests[requestId];
    if (!current) return;
    const code = response.responseCode;
    if (isAcknowledgedCode(code)) {
      // An asynchronous response may overtake the synchronous I99: never step back from a final state.
      if (FINAL_STATES.has(current.state)) return void update(requestId, { acknowledgedAt: iso() }, { dequeue: true });
      const next = update(
        requestId,
        { responseCode: code, responseMeaning: responseCodeMeaning(code), state: 'acknowledged', acknowledgedAt: iso() },
        { dequeue: true },
      );
      if (next) armResponseTimeout(next);
      return;
    }
    clearTimeout(timers.get(requestId));
    update(requestId, finalOutcome(requestId, response, synchronous), { dequeue: true });
  };

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
      apply(requestId, document.response, false);
      return;
    }
    store.commit((s) => {
      s.unmatched.push({ receivedAt: iso(document.receivedAt), responseCode: document.response.responseCode, ...(requestId ? { requestId } : {}) });
      s.unmatched = s.unmatched.slice(-MAX_UNMATCHED);
    });
  };

  return {
    apply,
    armResponseTimeout,
    onDocument,
    close() {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}
