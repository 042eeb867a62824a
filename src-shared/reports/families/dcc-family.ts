import { dccRequestPayload } from '../../model/visit-events';
import type { EventFamily } from '../report-draft';

/**
 * dcc.request: every DCC service request made for the job. The same RequestID is written again at each state
 * change; the report keeps one row per RequestID, first seen seq and time, latest state and response code.
 */
export const dccFamily: EventFamily = {
  'dcc.request': (draft, payload, context) => {
    const p = dccRequestPayload.parse(payload);
    const outcome = `${p.state} (${p.verdicts.result}; signature ${p.verdicts.signature})`;
    const detail = [p.responseMeaning, p.lastError, p.deviceId ? `device ${p.deviceId}` : undefined, p.targetId ? `target ${p.targetId}` : undefined]
      .filter((part): part is string => part !== undefined)
      .map(context.text)
      .join(' · ');
    const row = {
      requestId: p.requestId,
      serviceRequest: `${p.serviceRequest} ${p.name}`,
      ...(p.responseCode !== undefined ? { responseCode: p.responseCode } : {}),
      outcome,
      ...(detail ? { detail } : {}),
    };
    const index = draft.dccRequests.findIndex((r) => r.requestId === p.requestId);
    if (index < 0) draft.dccRequests.push({ seq: context.event.seq, at: p.submittedAt ?? context.event.time, ...row });
    else {
      const first = draft.dccRequests[index]!;
      draft.dccRequests[index] = {
        seq: first.seq,
        at: first.at,
        ...(first.responseCode !== undefined && row.responseCode === undefined ? { responseCode: first.responseCode } : {}),
        ...row,
      };
    }
  },
};
