import type { ServiceRequestVariant } from './service-requests';
import type { DuisEndpoint } from './request-builder';
import type { WanMatrix } from './duis-response';
import type { MmcResponse } from './mmc';
import type { GbcsSummary } from './gbcs/duis-payload';
import type { CriticalProgress } from './critical-request';

/**
 * How the app talks to the DCC. A field laptop is normally not a DCC User: in production the supplier's back
 * office sends service requests, owns the RequestID counters and the signing keys. So the workflows depend only
 * on this interface, and there are two ways to satisfy it:
 *
 * - `createDirectDuisGateway` (direct-gateway.ts): the laptop is the DCC User — DCC Boxed, test labs, the training
 *   premises. It builds, signs, queues, sends and correlates DUIS itself.
 * - A supplier back-office gateway (not built yet): `submit` posts the variant and parameters to the supplier's
 *   job API (which builds/signs with its own counter and keys), and the back office's status feed (webhook or
 *   poll) drives the same `DccRequestRecord` states through `onUpdate`. It keeps the same durable outbox
 *   semantics (queued while the back office is unreachable) by reusing `createAtomicStore`. Nothing in the
 *   workflows or UI changes: they only see records, states, response codes and parsed MMC data.
 */
export interface DccGateway {
  readonly kind: 'direct-duis' | 'supplier-back-office';
  /** Who the requests are sent as, and whether that is the public test PKI (the UI must warn). */
  identity(): Promise<{ readonly userId: string; readonly testCredentials: boolean }>;
  /**
   * Queues the request durably, then tries to send it. `commitWith` runs inside the same atomic commit as the
   * queue entry (e.g. to record the job step that asked for it). Resolves with the record after the first try.
   */
  submit(variant: ServiceRequestVariant, params: unknown, options?: SubmitOptions): Promise<DccRequestRecord>;
  /** Every request this gateway knows, oldest first. */
  requests(): readonly DccRequestRecord[];
  /** What is waiting to be sent because the DCC was unreachable (what the engineer is told is waiting). */
  queued(): readonly DccRequestRecord[];
  /** Retries everything queued now. */
  flushQueue(): Promise<{ readonly sent: number; readonly stillQueued: number }>;
  /** Resolves when the request reaches a final state (or `timeoutMs` passes, resolving with the current record). */
  waitForFinal(requestId: string, timeoutMs?: number): Promise<DccRequestRecord>;
  onUpdate(handler: (record: DccRequestRecord) => void): () => void;
  /** The job records committed with queue entries (`SubmitOptions.commitWith`), e.g. which visit step asked for which RequestID. */
  records(): Readonly<Record<string, unknown>>;
  close(): Promise<void>;
}

export interface SubmitOptions {
  /** Job records to write in the same atomic commit as the outbound queue entry. */
  readonly commitWith?: (records: Record<string, unknown>, requestId: string) => void;
  /**
   * A critical request only: runs once Transform has answered and the signed pre-command is durably queued for
   * serviceS, before it is sent (where a crash between the two legs can be tested).
   */
  readonly afterTransform?: (requestId: string) => Promise<void>;
}

/**
 * Request states. Final: completed, rejected, failed, timed-out, signature-invalid (a late valid response can
 * still complete a timed-out or badly signed one: nothing received is dropped).
 */
export type DccRequestState =
  /** Durably queued; not yet accepted by the DCC (it may be unreachable: see `lastError`). */
  | 'queued'
  /** Accepted with I99: the device response comes asynchronously. */
  | 'acknowledged'
  /** I0: synchronous result (non-device) or the device's response arrived and verified. */
  | 'completed'
  /** The DCC refused it synchronously with an E-code. */
  | 'rejected'
  /** The asynchronous response carried an error code, or the device reported failure. */
  | 'failed'
  /** No reply in time (`timeoutPhase` says whether the DCC's reply or the device response was missing). */
  | 'timed-out'
  /** A reply arrived but its signature did not verify against the DCC certificate: not trusted, kept for review. */
  | 'signature-invalid';

export const FINAL_STATES: ReadonlySet<DccRequestState> = new Set(['completed', 'rejected', 'failed', 'timed-out', 'signature-invalid']);

export interface DccRequestRecord {
  readonly requestId: string;
  readonly variant: ServiceRequestVariant;
  readonly name: string;
  readonly commandVariant: number;
  readonly endpoint: DuisEndpoint;
  readonly targetId: string;
  readonly state: DccRequestState;
  readonly testCredentials: boolean;
  readonly createdAt: string;
  readonly sentAt?: string;
  readonly acknowledgedAt?: string;
  readonly completedAt?: string;
  readonly attempts: number;
  readonly responseCode?: string;
  readonly responseMeaning?: string;
  readonly timeoutPhase?: 'sync' | 'async';
  /** Why the last step failed, in words (unreachable, bad signature, …). */
  readonly lastError?: string;
  /** Parsed device response (MMC form), when there is one. */
  readonly mmc?: MmcResponse;
  /** The device's GBCS response: verdicts, and its typed result and reading only when trusted. */
  readonly gbcs?: GbcsSummary;
  /** 12.1 result, when this was a WAN matrix request. */
  readonly wanMatrix?: WanMatrix;
  /** Raw documents that could not be trusted, kept so nothing is lost. */
  readonly untrustedDocuments?: readonly string[];
  /** A POST went out and its reply is not processed yet: after a crash the DCC may have it, so it is not resent. */
  readonly inFlight?: boolean;
  /** Critical requests (8.1.1, 8.7.1): which leg it is on (Transform, or the signed pre-command) and its use case. */
  readonly critical?: CriticalProgress;
}
