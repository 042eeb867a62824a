import type { StepState, VisitState } from '../../src-shared/flows/install-visit';
import { stepRequests } from './dcc-step-requests';
import type { VisitServices } from './visit-services';

const HAN_STEPS = new Set(['form-network', 'device-log', 'join', 'interview', 'read', 'pair-ihd']);

/**
 * What a step cut off by a crash had already done, from the durable state beside the job: the DCC gateway's
 * outbox (which RequestIDs the step sent, committed atomically with the queue entry) and the HAN state. The
 * retry acts on the same facts: a request that completed or may still complete is waited for, not resent; a
 * device already on the network is not joined again.
 */
export function reconcileInterrupted(
  services: VisitServices,
  jobId: string,
  visit: VisitState,
  step: StepState,
): { sideEffect: 'none' | 'completed' | 'unknown'; reconciliation: string } {
  const gateway = services.dcc?.gateway();
  const requests = gateway ? stepRequests(gateway, jobId, visit, step) : [];
  if (requests.length > 0) {
    const described = requests.map(({ record, tag }) =>
      record ? `${record.variant} ${record.requestId} ${record.state}` : `${tag}: request not in the outbox`,
    );
    const allDone = requests.every((r) => r.record?.state === 'completed');
    return {
      sideEffect: allDone ? 'completed' : 'unknown',
      reconciliation:
        `The app stopped during this step. DCC: ${described.join('; ')}. Retry waits for or reuses ${requests.length === 1 ? 'that request' : 'those requests'}; nothing is sent twice.`.slice(
          0,
          500,
        ),
    };
  }
  if (HAN_STEPS.has(step.kind)) {
    return {
      sideEffect: 'unknown',
      reconciliation:
        "The app stopped during this step. Retry resumes the job's own HAN network (it is not formed again) and checks each device first: one already on the network is not joined or paired again.",
    };
  }
  return { sideEffect: 'none', reconciliation: 'The app stopped during this step before any request was sent; retry is safe.' };
}
