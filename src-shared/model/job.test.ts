import { describe, expect, it } from 'vitest';
import { applyEvent, foldJob, JobEventError, maskSecret, premisesSchema, summariseJob, type Job } from './job';
import { GENESIS_HASH, type JobEvent } from './job-event';
import { workOrderSchema, workOrderToJob } from './work-order';

// applyEvent checks chain links, not hash values (main does those), so fake hashes keep these tests pure.
function fakeHash(seq: number): string {
  return seq.toString(16).padStart(64, '0');
}

function event(seq: number, kind: string, payload: Record<string, unknown>): JobEvent {
  return {
    schemaVersion: 1,
    jobId: 'J1',
    seq,
    time: `2026-11-27T10:00:${String(seq).padStart(2, '0')}.000Z`,
    engineer: 'Sam Engineer',
    kind,
    payload,
    prevHash: seq === 1 ? GENESIS_HASH : fakeHash(seq - 1),
    hash: fakeHash(seq),
  };
}

const premises = {
  address: { line1: '1 Meadow Lane', town: 'Reading', postcode: 'RG1 1AA' },
  mpan: '1234567890126',
  mprn: '1234567',
};

function created(): Job {
  return applyEvent(undefined, event(1, 'job.created', { premises, devices: [{ id: 'D1', type: 'ESME', eui64: '00124B0001ABCDEF', status: 'expected' }] }));
}

describe('applyEvent', () => {
  it('builds a job from job.created', () => {
    const job = created();
    expect(job).toMatchObject({ id: 'J1', status: 'open', seq: 1, headHash: fakeHash(1), createdBy: 'Sam Engineer', devicesAdded: 1 });
    expect(job.premises.mpan).toBe('1234567890126');
    expect(job.devices).toEqual([{ id: 'D1', type: 'ESME', eui64: '00124B0001ABCDEF', status: 'expected' }]);
    expect(job.timeline).toHaveLength(1);
  });

  it('folds premises, device and note events in order', () => {
    const job = foldJob([
      event(1, 'job.created', { premises }),
      event(2, 'device.added', { id: 'D1', type: 'IHD', eui64: '00-12-4b-00-01-ab-cd-01', installCode: { enc: 'f1.x' } }),
      event(3, 'device.updated', { id: 'D1', status: 'joined', label: 'Kitchen IHD' }),
      event(4, 'premises.updated', { mprn: null, notes: 'Meter in cellar' }),
      event(5, 'note.added', { text: 'Customer asked for IHD on the fridge' }),
      event(6, 'device.added', { id: 'D2', type: 'GSME' }),
      event(7, 'device.removed', { id: 'D2', reason: 'no gas supply' }),
      event(8, 'job.status-changed', { status: 'completed' }),
    ])!;
    expect(job.seq).toBe(8);
    expect(job.devices).toEqual([{ id: 'D1', type: 'IHD', eui64: '00124B0001ABCD01', installCode: { enc: 'f1.x' }, status: 'joined', label: 'Kitchen IHD' }]);
    expect(job.premises.mprn).toBeUndefined();
    expect(job.premises.notes).toBe('Meter in cellar');
    expect(job.notes).toEqual([{ seq: 5, time: job.timeline[4]!.time, engineer: 'Sam Engineer', text: 'Customer asked for IHD on the fridge' }]);
    expect(job.status).toBe('completed');
    expect(job.devicesAdded).toBe(2);
    expect(job.updatedAt).toBe(job.timeline[7]!.time);
    expect(summariseJob(job)).toMatchObject({ address: '1 Meadow Lane, Reading', deviceCount: 1, eventCount: 8, status: 'completed' });
  });

  it('keeps unknown kinds in the timeline without changing state', () => {
    const job = applyEvent(created(), event(2, 'han.future-thing', { anything: 1 }));
    expect(job.seq).toBe(2);
    expect(job.devices).toEqual(created().devices);
    expect(job.timeline.map((e) => e.kind)).toEqual(['job.created', 'han.future-thing']);
  });

  it.each([
    ['a first event that is not job.created', undefined, event(1, 'note.added', { text: 'x' }), /first event/],
    ['a gap in seq', 'job', event(3, 'note.added', { text: 'x' }), /seq 3 does not follow 1/],
    ['a broken prevHash', 'job', { ...event(2, 'note.added', { text: 'x' }), prevHash: fakeHash(9) }, /does not chain/],
    ["another job's event", 'job', { ...event(2, 'note.added', { text: 'x' }), jobId: 'J2' }, /job J2/],
    ['an unknown device', 'job', event(2, 'device.updated', { id: 'D9', status: 'joined' }), /no device D9/],
    ['a duplicate EUI-64', 'job', event(2, 'device.added', { id: 'D2', type: 'IHD', eui64: '00124B0001ABCDEF' }), /already device D1/],
    ['a plain install code', 'job', event(2, 'device.added', { id: 'D2', type: 'IHD', installCode: '83FED3407A939723A5C639B26916D505' }), /sealed/],
    ['a bad payload', 'job', event(2, 'device.added', { id: 'D2', type: 'TOASTER' }), /device.added payload is invalid: type/],
    ['a second job.created', 'job', event(2, 'job.created', { premises }), /already exists/],
  ] as const)('rejects %s', (_name, start, bad, message) => {
    const base = start === 'job' ? created() : undefined;
    expect(() => applyEvent(base, bad as JobEvent)).toThrow(JobEventError);
    expect(() => applyEvent(base, bad as JobEvent)).toThrow(message);
  });
});

describe('premises validation', () => {
  it('explains a bad MPAN check digit', () => {
    const r = premisesSchema.safeParse({ ...premises, mpan: '1234567890121' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]).toMatchObject({ path: ['mpan'], message: expect.stringContaining('is not a valid MPAN') });
  });
  it('explains a bad MPRN', () => {
    const r = premisesSchema.safeParse({ ...premises, mprn: '12' });
    expect(r.error?.issues[0]?.message).toMatch(/6 to 10 digits/);
  });
});

describe('work orders', () => {
  const order = {
    format: 'han-commissioner.work-order',
    version: 1,
    reference: 'WO-1',
    appointment: { start: '2026-11-30T08:00:00Z', end: '2026-11-30T12:00:00Z' },
    engineer: 'Sam Engineer',
    premises: { ...premises, accessNotes: 'Key with neighbour' },
    devices: [{ type: 'ESME' }, { type: 'IHD', eui64: '00124b0001abcd01', installCode: '83FED3407A939723A5C639B26916D505C3B5' }],
  };
  it('maps to a job with expected devices', () => {
    const parsed = workOrderSchema.parse(order);
    const job = workOrderToJob(parsed);
    expect(job.workOrderReference).toBe('WO-1');
    expect(job.premises).toMatchObject({ notes: 'Key with neighbour', engineer: 'Sam Engineer', appointment: order.appointment });
    expect(job.devices).toEqual([
      { type: 'ESME', status: 'expected' },
      { type: 'IHD', eui64: '00124B0001ABCD01', installCode: '83FED3407A939723A5C639B26916D505C3B5', status: 'expected' },
    ]);
  });
  it('rejects a wrong format, a missing MPxN and a bad install code CRC', () => {
    const r = workOrderSchema.safeParse({
      ...order,
      format: 'other',
      premises: { address: premises.address },
      devices: [{ type: 'IHD', installCode: '83FED3407A939723A5C639B26916D505C3B6' }],
    });
    const messages = r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n');
    expect(messages).toMatch(/format: format must be/);
    expect(messages).toMatch(/premises: a work order needs an MPAN, an MPRN or both/);
    expect(messages).toMatch(/devices.0.installCode: .*C3B5/);
  });
});

describe('maskSecret', () => {
  it('shows only the last four characters', () => {
    expect(maskSecret('83FED3407A939723A5C639B26916D505C3B5')).toBe('••••C3B5');
    expect(maskSecret('1234')).toBe('••••');
  });
});
