import type { KeyProvider } from './credentials';
import { preCommandSigningKey, signedPreCommandRequest } from './critical-request';
import type { DuisResponse } from './duis-response';
import type { GbcsKeySource } from './gbcs/key-source';
import { outboxEntry, type GatewayRecords, type OutboxEntry, type Sealer } from './gateway-store';

export interface CriticalContinuationDeps {
  readonly records: GatewayRecords;
  readonly keys: KeyProvider;
  readonly gbcsKeys?: GbcsKeySource;
  readonly sealer?: Sealer;
}

/**
 * Transform answered a critical request (8.1.1, 8.7.1) with its pre-command: checked and signed, it replaces the
 * Transform entry in the outbox in the same commit that moves the record to `signed`, so a crash after this
 * resends the signed pre-command, never the Transform. Returns the new entry to send to serviceS, or nothing when
 * the pre-command was refused (the request has then failed with the reason).
 */
export async function continueCriticalRequest(deps: CriticalContinuationDeps, entry: OutboxEntry, response: DuisResponse): Promise<OutboxEntry | undefined> {
  const { store, update } = deps.records;
  const record = store.read().requests[entry.requestId]!;
  const credentials = await deps.keys();
  const signingKey = await preCommandSigningKey(deps.gbcsKeys, credentials.userId);
  const made = signedPreCommandRequest({ record, response, credentials, signingKey });
  if (!made.ok) return void update(entry.requestId, { state: 'failed', responseCode: response.responseCode, lastError: made.reason }, { dequeue: true });
  const next = await outboxEntry(entry.requestId, 'serviceS', made.signedXml, deps.sealer);
  const critical = { phase: 'signed' as const, signedCommandVariant: made.commandVariant, useCase: made.useCase };
  store.commit((s) => {
    s.outbox = s.outbox.map((e) => (e.requestId === entry.requestId ? next : e));
    s.requests[entry.requestId] = { ...s.requests[entry.requestId]!, endpoint: 'serviceS', commandVariant: made.commandVariant, inFlight: false, critical };
  });
  deps.records.emit(store.read().requests[entry.requestId]!);
  return next;
}
