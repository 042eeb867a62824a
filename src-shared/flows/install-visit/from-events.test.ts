import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, type JobEvent } from '../../model/job-event';
import { foldVisit } from './from-events';
import { findStep } from './state';

let seq = 0;
function event(kind: string, payload: Record<string, unknown>): JobEvent {
  seq += 1;
  return {
    schemaVersion: 1,
    jobId: 'J1',
    seq,
    time: `2026-11-30T10:00:${String(seq).padStart(2, '0')}.000Z`,
    engineer: 'Sam',
    kind,
    payload,
    prevHash: GENESIS_HASH,
    hash: GENESIS_HASH,
  };
}
const devices = [{ id: 'D1', type: 'ESME' as const }];

describe('foldVisit', () => {
  it('is undefined for a job without a visit', () => {
    expect(foldVisit([event('job.created', {})], devices)).toBeUndefined();
  });

  it('rebuilds the latest visit from its events: a started step with no result is still running, answers kept', () => {
    const timeline = [
      event('visit.started', { visitId: 'V0', route: 'live-comms-hub' }),
      event('visit.outcome', { visitId: 'V0', outcome: 'aborted', reason: 'no access', abortReason: 'No access to the meter position' }),
      event('visit.started', { visitId: 'V1', route: 'own-network' }),
      event('visit.step-started', { visitId: 'V1', step: 'form-network', attempt: 1, action: 'form' }),
      event('visit.step-result', { visitId: 'V1', step: 'form-network', attempt: 1, result: 'done', summary: 'formed', details: { channel: 15 } }),
      event('visit.step-skipped', { visitId: 'V1', step: 'device-log', reason: 'codes already on the log', reasonCode: 'not-applicable' }),
      event('visit.step-started', { visitId: 'V1', step: 'join', deviceId: 'D1', attempt: 1, action: 'join' }),
      event('visit.answers', { visitId: 'V0', step: 'arrival', answers: { form: 'note', text: 'other visit' } }),
    ];
    const folded = foldVisit(timeline, devices)!;
    expect(folded.problems).toEqual([]);
    expect(folded.state).toMatchObject({ visitId: 'V1', route: 'own-network' });
    expect(findStep(folded.state, 'form-network')).toMatchObject({ status: 'done', details: { channel: 15 } });
    expect(findStep(folded.state, 'device-log')).toMatchObject({ status: 'skipped', reason: 'codes already on the log' });
    expect(findStep(folded.state, 'join:D1')).toMatchObject({ status: 'running', attempt: 1 });
  });

  it('keeps the recorded outcome and reports events that no longer apply without failing', () => {
    const timeline = [
      event('visit.started', { visitId: 'V2', route: 'own-network' }),
      event('visit.step-started', { visitId: 'V2', step: 'join', deviceId: 'D7', attempt: 1, action: 'join a removed device' }),
      event('visit.outcome', { visitId: 'V2', outcome: 'aborted', reason: 'unsafe', abortReason: 'Unsafe site' }),
    ];
    const folded = foldVisit(timeline, devices)!;
    expect(folded.problems).toEqual([{ seq: timeline[1]!.seq, reason: 'this visit has no step "join:D7"' }]);
    expect(folded.state.outcome).toMatchObject({ outcome: 'aborted', abortReason: 'Unsafe site', reason: 'unsafe' });
  });
});
