import type { DccRequestPayload } from '../../src-shared/model/visit-events';
import { FINAL_STATES, type DccGateway, type DccRequestRecord } from '../dcc/dcc-gateway';
import type { ServiceRequestVariant } from '../dcc/service-requests';
import type { StepState, VisitState } from '../../src-shared/flows/install-visit';
import { testPause } from './test-pause';

/** Final states after which a retry may send the request again (the DCC did not act on it). */
const RESENDABLE: ReadonlySet<string> = new Set(['rejected', 'failed', 'signature-invalid']);

/** The key under which the gateway's outbox records which visit step asked for which RequestID (atomically). */
export function visitRecordKey(jobId: string, visit: VisitState, step: StepState, tag: string): string {
  return `visit:${jobId}:${visit.visitId}:${step.key}:${tag}`;
}

/** Every request the gateway holds for a step of this visit, with its tag. */
export function stepRequests(gateway: DccGateway, jobId: string, visit: VisitState, step: StepState): { tag: string; record?: DccRequestRecord }[] {
  const prefix = visitRecordKey(jobId, visit, step, '');
  const all = gateway.requests();
  return Object.entries(gateway.records())
    .filter(([key]) => key.startsWith(prefix))
    .map(([key, id]) => {
      const record = all.find((r) => r.requestId === id);
      return { tag: key.slice(prefix.length), ...(record ? { record } : {}) };
    });
}

/** The dcc.request event for a record, made for the job timeline (no request body: it may carry an install code). */
export function dccRequestEvent(record: DccRequestRecord, visit: VisitState, step: StepState): DccRequestPayload {
  const signature = record.state === 'signature-invalid' ? 'invalid' : record.state === 'completed' || record.state === 'failed' ? 'verified' : 'none';
  const result =
    record.state === 'completed'
      ? 'success'
      : record.state === 'acknowledged'
        ? 'acknowledged'
        : record.state === 'queued'
          ? 'queued'
          : record.state === 'timed-out'
            ? 'no-response'
            : 'error';
  return {
    visitId: visit.visitId,
    step: step.kind,
    ...(step.deviceId ? { deviceId: step.deviceId } : {}),
    requestId: record.requestId,
    serviceRequest: record.variant,
    name: record.name,
    commandVariant: record.commandVariant,
    targetId: record.targetId,
    state: record.state,
    ...(record.responseCode ? { responseCode: record.responseCode } : {}),
    ...(record.responseMeaning ? { responseMeaning: record.responseMeaning.slice(0, 200) } : {}),
    verdicts: { signature, result },
    ...(record.lastError ? { lastError: record.lastError.slice(0, 500) } : {}),
    submittedAt: record.createdAt,
    ...(record.completedAt ? { completedAt: record.completedAt } : {}),
  };
}

/**
 * Sends (or picks up) a step's request and waits for its final state, recording each state in the job.
 * The RequestID is tied to the step inside the gateway's own atomic commit, so a crash between sending and
 * recording cannot lose the link: the retry finds the request and waits for it instead of sending another.
 */
export async function sendForStep(input: {
  gateway: DccGateway;
  jobId: string;
  visit: VisitState;
  step: StepState;
  variant: ServiceRequestVariant;
  params: unknown;
  tag: string;
  waitMs: number;
  record: (payload: DccRequestPayload) => Promise<void>;
}): Promise<DccRequestRecord> {
  const { gateway, visit, step } = input;
  const key = visitRecordKey(input.jobId, visit, step, input.tag);
  const knownId = gateway.records()[key];
  const known = typeof knownId === 'string' ? gateway.requests().find((r) => r.requestId === knownId) : undefined;
  let record: DccRequestRecord;
  if (known && !RESENDABLE.has(known.state)) {
    record = known;
    // Still in the outbox (the DCC was unreachable, or the app stopped between a critical request's two legs):
    // the retry sends it now, under the same RequestID, instead of waiting for the gateway's next retry.
    if (known.state === 'queued' && gateway.queued().some((r) => r.requestId === known.requestId)) {
      await gateway.flushQueue();
      record = gateway.requests().find((r) => r.requestId === known.requestId) ?? known;
    }
  } else {
    record = await gateway.submit(input.variant, input.params, {
      commitWith: (records, requestId) => void (records[key] = requestId),
      afterTransform: () => testPause('transformed', step.key),
    });
    await testPause('sent', step.key);
  }
  await input.record(dccRequestEvent(record, visit, step));
  if (FINAL_STATES.has(record.state) || record.state === 'queued') return record;
  const final = await gateway.waitForFinal(record.requestId, input.waitMs);
  if (final.state !== record.state) await input.record(dccRequestEvent(final, visit, step));
  return final;
}
