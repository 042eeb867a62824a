import { describe, expect, it } from 'vitest';
import { applyEvent, findEventKind, type Job } from './job';
import { GENESIS_HASH, type JobEvent } from './job-event';

function fakeHash(seq: number): string {
  return seq.toString(16).padStart(64, '0');
}

function event(seq: number, kind: string, payload: Record<string, unknown>): JobEvent {
  return {
    schemaVersion: 1,
    jobId: 'J1',
    seq,
    time: '2026-11-30T10:00:00.000Z',
    engineer: 'Sam Engineer',
    kind,
    payload,
    prevHash: seq === 1 ? GENESIS_HASH : fakeHash(seq - 1),
    hash: fakeHash(seq),
  };
}

function created(): Job {
  return applyEvent(undefined, event(1, 'job.created', { premises: { address: { line1: '1 Meadow Lane', town: 'Reading', postcode: 'RG1 1AA' } } }));
}

// The store validates every payload against its kind's schema before it appends (job-store appendEvent).
const validate = (kind: string, payload: Record<string, unknown>) => findEventKind(kind)!.payload.safeParse(payload);
const accept = (kind: string, payload: Record<string, unknown>): Job => {
  const parsed = validate(kind, payload);
  expect(parsed.error?.issues).toBeUndefined();
  return applyEvent(created(), event(2, kind, parsed.data as Record<string, unknown>));
};
const refuse = (kind: string, payload: Record<string, unknown>, message: RegExp): void => {
  const parsed = validate(kind, payload);
  expect(parsed.success).toBe(false);
  expect(parsed.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')).toMatch(message);
};

describe('visit events', () => {
  it('accepts each kind with a documented payload and keeps it in the timeline only', () => {
    const cases: [string, Record<string, unknown>][] = [
      ['visit.started', { visitId: 'V1', route: 'own-network' }],
      ['visit.step-started', { visitId: 'V1', step: 'whitelist', deviceId: 'D1', attempt: 1, action: 'Send 8.11 to add the ESME to the Comms Hub device log' }],
      [
        'visit.step-result',
        {
          visitId: 'V1',
          step: 'commission',
          deviceId: 'D1',
          attempt: 1,
          result: 'pending',
          summary: '8.1.1 not sent',
          reason: 'The DCC simulator does not support critical requests yet',
        },
      ],
      [
        'visit.step-result',
        {
          visitId: 'V1',
          step: 'read',
          deviceId: 'D1',
          attempt: 1,
          result: 'done',
          summary: 'Read',
          eui64: '00-12-4b-00-01-ab-cd-ef',
          reading: { value: 12.5, unit: 'kWh', valueWh: 12500, source: 'han', takenAt: '2026-11-30T10:00:00Z' },
          linkQuality: { lqi: 200 },
        },
      ],
      ['visit.step-skipped', { visitId: 'V1', step: 'rf-survey', reason: 'unattended run', reasonCode: 'unattended-run' }],
      ['visit.step-fault', { visitId: 'V1', step: 'fit-comms-hub', faultKind: 'comms-hub', chfFaultReason: 'LED Fault', text: 'WAN LED never lit' }],
      [
        'visit.step-interrupted',
        {
          visitId: 'V1',
          step: 'whitelist',
          deviceId: 'D1',
          attempt: 1,
          sideEffect: 'completed',
          reconciliation: '8.11 already completed at the DCC; not resent',
        },
      ],
      [
        'visit.answers',
        {
          visitId: 'V1',
          step: 'remove-meters',
          answers: { form: 'removed-meter', fuel: 'gas', serial: 'G4K01234', finalReading: { value: 1234.5, unit: 'm3' }, readMethod: 'display' },
        },
      ],
      [
        'visit.answers',
        {
          visitId: 'V1',
          step: 'fit-comms-hub',
          answers: {
            form: 'comms-hub',
            chfId: '00124B0001ABCD01',
            connectionMethod: 'Hot-shoe',
            location: 'Deep indoors',
            premiseType: 'Terraced',
            aerialInstall: false,
            wanAvailable: true,
          },
        },
      ],
      [
        'dcc.request',
        {
          visitId: 'V1',
          step: 'whitelist',
          deviceId: 'D1',
          requestId: '90-B3-D5-1F-30-01-00-00:00-12-4B-00-01-AB-CD-EF:1000',
          serviceRequest: '8.11',
          name: 'Update HAN Device Log',
          state: 'completed',
          responseCode: 'I0',
          verdicts: { signature: 'verified', result: 'success' },
        },
      ],
      [
        'visit.outcome',
        { visitId: 'V1', outcome: 'aborted', reason: 'Gas meter would not join', abortReason: 'Unable to establish HAN – meter not installed' },
      ],
    ];
    for (const [kind, payload] of cases) {
      const job = accept(kind, payload);
      expect(job.timeline.at(-1)?.kind).toBe(kind);
      expect(job.devices).toEqual([]);
    }
  });

  it('refuses a skip without a reason, a failed step without one, and an abort without its industry reason', () => {
    refuse('visit.step-skipped', { visitId: 'V1', step: 'rf-survey', reasonCode: 'engineer-decision' }, /reason/);
    refuse('visit.step-result', { visitId: 'V1', step: 'join', deviceId: 'D1', attempt: 1, result: 'failed', summary: 'No join' }, /needs a reason/);
    refuse('visit.outcome', { visitId: 'V1', outcome: 'aborted', reason: 'left' }, /abort reason/);
    refuse('visit.outcome', { visitId: 'V1', outcome: 'aborted', reason: 'left', abortReason: 'Bored' }, /abortReason/);
  });

  it('refuses a Comms Hub fault without its 8.14.3 reason and unknown steps or answer forms', () => {
    refuse('visit.step-fault', { visitId: 'V1', step: 'fit-comms-hub', faultKind: 'comms-hub', text: 'broken' }, /8\.14\.3/);
    refuse('visit.step-started', { visitId: 'V1', step: 'make-tea', attempt: 1, action: 'tea' }, /step/);
    refuse('visit.answers', { visitId: 'V1', step: 'arrival', answers: { form: 'install-code', code: 'ABC' } }, /answers/);
  });
});
