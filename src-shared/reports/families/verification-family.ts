import { verificationRecordedPayload } from '../../model/job';
import type { EventFamily } from '../report-draft';

/** verification.recorded: an end-to-end read check; both readings also join the readings table. */
export const verificationFamily: EventFamily = {
  'verification.recorded': (draft, payload, context) => {
    const record = verificationRecordedPayload.parse(payload);
    const { seq } = context.event;
    const reading = (r: typeof record.first) => ({ source: r.source, value: r.value, unit: r.unit, takenAt: r.takenAt });
    for (const r of [record.first, record.second]) {
      draft.readings.push({
        seq,
        ...reading(r),
        valueWh: r.valueWh,
        ...(r.reference !== undefined ? { reference: context.text(r.reference) } : {}),
      });
    }
    draft.verifications.push({
      seq,
      pass: record.pass,
      checkedAt: record.checkedAt,
      first: reading(record.first),
      second: reading(record.second),
      differenceWh: record.differenceWh,
      allowedWh: record.allowedWh,
      reason: context.text(record.reason),
      ...(record.meterPointMpan !== undefined && record.meterPointMpan !== record.jobMpan ? { meterPointMpan: record.meterPointMpan } : {}),
      ...(record.mpanMismatchConfirmed !== undefined ? { mpanMismatchConfirmed: record.mpanMismatchConfirmed } : {}),
    });
  },
};
