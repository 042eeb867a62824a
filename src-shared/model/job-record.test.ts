import { describe, expect, it } from 'vitest';
import { jobRequests } from '../ipc/channels/jobs';
import { resolveIdentity } from './device-identity';
import { applyEvent, foldJob, JobEventError } from './job';
import { GENESIS_HASH, type JobEvent } from './job-event';
import { workOrderSchema } from './work-order';

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

const premises = { address: { line1: '1 Meadow Lane', town: 'Reading', postcode: 'RG1 1AA' }, mpan: '1234567890126' };
// A label printed on a device: EUI-64 ...CA38 with a 16-byte code and its CRC (from the install-code tests' vector).
const CODE = '83FED3407A939723A5C639B26916D505C3B5';
const LABEL_CA38 = `Z:00124B000123CA38$I:${CODE}`;

describe('a device identity is checked where it is entered', () => {
  it('refuses a label for another EUI-64 than the typed one, naming both', () => {
    const r = resolveIdentity({ eui64: '00124B000123CA39', installCode: LABEL_CA38 }, { requireEui64: true });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.field).toBe('eui64');
      expect(r.message).toContain('00124B000123CA38');
      expect(r.message).toContain('00124B000123CA39');
    }
  });

  it('reads the EUI-64 from a label when none is typed (both label forms)', () => {
    expect(resolveIdentity({ installCode: LABEL_CA38 }, { requireEui64: true })).toEqual({ ok: true, eui64: '00124B000123CA38', installCode: CODE });
    expect(resolveIdentity({ eui64: '00-12-4b-00-01-23-ca-38', installCode: `00124B000123CA38|${CODE}` }, { requireEui64: true })).toMatchObject({
      ok: true,
      eui64: '00124B000123CA38',
    });
  });

  it('needs an EUI-64 for a device added by hand, but not for one expected from a work order', () => {
    expect(resolveIdentity({ installCode: CODE }, { requireEui64: true })).toMatchObject({ ok: false, field: 'eui64' });
    expect(resolveIdentity({ installCode: CODE }, { requireEui64: false })).toEqual({ ok: true, installCode: CODE });
  });

  it('the jobs:addDevice contract applies the same rules', () => {
    const args = jobRequests['jobs:addDevice'].args;
    const mismatch = args.safeParse({ id: 'J1', device: { type: 'PPMID', eui64: '00124B000123CA39', installCode: LABEL_CA38 } });
    expect(mismatch.success).toBe(false);
    expect(mismatch.error?.issues[0]?.path).toEqual(['device', 'eui64']);
    const fromLabel = args.safeParse({ id: 'J1', device: { type: 'PPMID', eui64: '', installCode: LABEL_CA38 } });
    expect(fromLabel.data?.device).toMatchObject({ eui64: '00124B000123CA38', installCode: CODE });
    expect(args.safeParse({ id: 'J1', device: { type: 'IHD' } }).success).toBe(false);
    expect(args.safeParse({ id: 'J1', device: { type: 'MBUS', label: 'M-Bus water meter' } }).success).toBe(true);
  });

  it('a work order refuses a label that disagrees with its eui64 and fills a missing one', () => {
    const order = (device: Record<string, unknown>) => ({
      format: 'han-commissioner.work-order',
      version: 1,
      reference: 'WO-1',
      appointment: { start: '2026-11-30T09:00:00Z' },
      premises,
      devices: [device],
    });
    expect(workOrderSchema.safeParse(order({ type: 'IHD', eui64: '00124B000123CA39', installCode: LABEL_CA38 })).success).toBe(false);
    expect(workOrderSchema.parse(order({ type: 'IHD', installCode: LABEL_CA38 })).devices[0]).toMatchObject({ eui64: '00124B000123CA38' });
    expect(workOrderSchema.parse(order({ type: 'GSME' })).devices[0]).toEqual({ type: 'GSME' });
  });
});

describe('corrections and removals are events with reasons', () => {
  it('a removed device stays in the record with its reason; a correction keeps the id and says why', () => {
    const job = foldJob([
      event(1, 'job.created', { premises }),
      event(2, 'device.added', { id: 'D1', type: 'PPMID', eui64: '00124B000123CA39', status: 'installed' }),
      event(3, 'device.corrected', { id: 'D1', reason: 'mistyped', eui64: '00124B000123CA38' }),
      event(4, 'device.added', { id: 'D2', type: 'IHD', eui64: '00124B0000000001', status: 'installed' }),
      event(5, 'device.removed', { id: 'D2', reasonCode: 'wrong-device-fitted', reason: 'customer has a different IHD' }),
    ])!;
    expect(job.devices).toEqual([{ id: 'D1', type: 'PPMID', eui64: '00124B000123CA38', status: 'installed', correction: { reason: 'mistyped', seq: 3 } }]);
    expect(job.removedDevices).toEqual([
      {
        id: 'D2',
        type: 'IHD',
        eui64: '00124B0000000001',
        status: 'installed',
        removal: { seq: 5, time: job.timeline[4]!.time, engineer: 'Sam Engineer', reason: 'customer has a different IHD', reasonCode: 'wrong-device-fitted' },
      },
    ]);
    // The mistyped value is still in the timeline: history is not rewritten.
    expect(job.timeline[1]!.payload.eui64).toBe('00124B000123CA39');
  });

  it('a correction must change something and may not take another device’s EUI-64', () => {
    const base = [
      event(1, 'job.created', { premises }),
      event(2, 'device.added', { id: 'D1', type: 'ESME', eui64: '00124B0000000001' }),
      event(3, 'device.added', { id: 'D2', type: 'GSME', eui64: '00124B0000000002' }),
    ];
    const job = foldJob(base)!;
    expect(() => applyEvent(job, event(4, 'device.corrected', { id: 'D2', reason: 'mistyped' }))).toThrow(JobEventError);
    expect(() => applyEvent(job, event(4, 'device.corrected', { id: 'D2', reason: 'mistyped', eui64: '00124B0000000001' }))).toThrow(/already device D1/);
  });

  it('an existing job file with an old-style removal still loads', () => {
    const job = foldJob([
      event(1, 'job.created', { premises, devices: [{ id: 'D1', type: 'GSME' }] }),
      event(2, 'device.removed', { id: 'D1', reason: 'no gas supply' }),
    ])!;
    expect(job.devices).toEqual([]);
    expect(job.removedDevices?.[0]?.removal.reason).toBe('no gas supply');
  });
});

describe('IHD pairing, M-Bus identity and unexpected joiners', () => {
  const ESME = '00124B00000000E1';
  const GSME = '00124B00000000E2';
  const IHD = '00124B00000000D1';
  const proven = { proven: true, bindingConfirmed: true, ihdConfirmed: true, reportsReceived: 1 };

  it('an IHD paired with both meters shows both; a failed attempt is recorded but not counted; unpairing removes one', () => {
    const job = foldJob([
      event(1, 'job.created', { premises }),
      event(2, 'ihd.paired', { ihd: IHD, meter: ESME, meterType: 'ESME', ...proven }),
      event(3, 'ihd.paired', {
        ihd: IHD,
        meter: GSME,
        meterType: 'GSME',
        proven: false,
        bindingConfirmed: true,
        ihdConfirmed: false,
        reportsReceived: 0,
        error: 'no report',
      }),
      event(4, 'ihd.paired', { ihd: IHD, meter: GSME, meterType: 'GSME', ...proven }),
    ])!;
    expect(job.pairings?.map((p) => p.meterType)).toEqual(['ESME', 'GSME']);
    const unpaired = applyEvent(job, event(5, 'ihd.unpaired', { ihd: IHD, meter: ESME }));
    expect(unpaired.pairings?.map((p) => p.meter)).toEqual([GSME]);
    expect(unpaired.timeline.filter((e) => e.kind === 'ihd.paired')).toHaveLength(3);
  });

  it('keeps an M-Bus meter’s identity and refuses the same meter twice', () => {
    const mbus = { manufacturer: 'ABB', id: '12345678', medium: 'Water', version: 2, primary: 5 };
    const job = foldJob([event(1, 'job.created', { premises }), event(2, 'device.added', { id: 'D1', type: 'MBUS', mbus, label: 'M-Bus ABB 12345678' })])!;
    expect(job.devices[0]!.mbus).toEqual(mbus);
    expect(() => applyEvent(job, event(3, 'device.added', { id: 'D2', type: 'MBUS', mbus: { ...mbus, primary: 7 } }))).toThrow(/already device D1/);
  });

  it('flags a joiner that is not on the job until it is added', () => {
    const job = foldJob([
      event(1, 'job.created', { premises }),
      event(2, 'han.unexpected-device', { eui64: IHD, state: 'joined' }),
      event(3, 'han.unexpected-device', { eui64: IHD, state: 'ready', deviceType: 'IHD' }),
    ])!;
    expect(job.unexpectedDevices).toEqual([{ eui64: IHD, deviceType: 'IHD', seq: 2, time: job.timeline[1]!.time }]);
    const added = applyEvent(job, event(4, 'device.added', { id: 'D1', type: 'IHD', eui64: IHD }));
    expect(added.unexpectedDevices).toEqual([]);
  });
});
