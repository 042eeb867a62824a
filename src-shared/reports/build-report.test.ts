import { describe, expect, it } from 'vitest';
import type { JobEvent } from '../model/job-event';
import { buildInstallReport, ReportBuildError } from './build-report';
import { HEX_REMOVED } from './report-text';

// The fold does not check hashes (the store does); each event still gets a distinct, well-formed one.
function timeline(...entries: [kind: string, payload: Record<string, unknown>][]): JobEvent[] {
  return entries.map(([kind, payload], i) => ({
    schemaVersion: 1,
    jobId: 'J1',
    seq: i + 1,
    time: `2026-11-27T09:00:${String(i).padStart(2, '0')}Z`,
    engineer: 'A. Fitter',
    kind,
    payload,
    prevHash: (i === 0 ? '0' : String(i % 10)).repeat(64),
    hash: String((i + 1) % 10).repeat(64),
  }));
}

const created: [string, Record<string, unknown>] = [
  'job.created',
  {
    premises: { address: { line1: '1 High St', town: 'Leeds', postcode: 'LS1 1AA' }, mpan: '1200023305967' },
    devices: [
      { id: 'D1', type: 'ESME', eui64: '00124B0000000001', status: 'expected', installCode: { enc: 'sealed-token' } },
      { id: 'D2', type: 'IHD', eui64: '00124B0000000002', status: 'expected' },
    ],
    workOrderReference: 'WO-1',
  },
];

describe('buildInstallReport', () => {
  it('needs the job from its job.created event on', () => {
    expect(() => buildInstallReport([])).toThrow(ReportBuildError);
    expect(() => buildInstallReport(timeline(['note.added', { text: 'x' }]))).toThrow(ReportBuildError);
  });

  it('is a draft with no end while the job is open, and names what it was built from', () => {
    const report = buildInstallReport(timeline(created, ['note.added', { text: 'arrived' }]));
    expect(report.status).toBe('draft');
    expect(report.visit).toMatchObject({ outcome: 'in-progress', route: 'unspecified', startedAt: '2026-11-27T09:00:00Z' });
    expect(report.visit.endedAt).toBeUndefined();
    expect(report.timeline).toEqual({
      jobId: 'J1',
      eventCount: 2,
      headHash: '2'.repeat(64),
      firstEventAt: '2026-11-27T09:00:00Z',
      lastEventAt: '2026-11-27T09:00:01Z',
    });
  });

  it('masks a sealed install code with what main reveals, or "••••" when nothing is revealed', () => {
    expect(buildInstallReport(timeline(created)).devices[0]!.installCode).toBe('••••');
    const revealed = buildInstallReport(timeline(created), { maskSealed: ({ enc }) => (enc === 'sealed-token' ? '••••C3B5' : undefined) });
    expect(revealed.devices[0]!.installCode).toBe('••••C3B5');
    expect(revealed.devices[1]!.installCode).toBeUndefined();
  });

  it('maps the HAN steps to stages: a failure while interviewing is the interview’s, a refusal the join’s', () => {
    const report = buildInstallReport(
      timeline(
        created,
        ['han.network', { action: 'formed', panId: 0x1a62, extendedPanId: 'DD11223344556677', channel: 11, adapter: 'zstack' }],
        ['han.device', { eui64: '00124B0000000001', state: 'whitelisted' }],
        ['han.device', { eui64: '00124B0000000001', state: 'joined' }],
        ['han.device', { eui64: '00124B0000000001', state: 'interviewing' }],
        ['han.device', { eui64: '00124B0000000001', state: 'failed', reason: 'no Metering cluster' }],
        ['han.device', { eui64: '00124B0000000002', state: 'refused', reason: 'not on the device log' }],
        ['han.device', { eui64: '00124B00000000FF', state: 'joined', deviceType: 'GSME' }],
      ),
    );
    expect(report.visit.route).toBe('own-network');
    expect(report.hanNetworks[0]).toMatchObject({ panId: '1A62', extendedPanId: 'DD11223344556677', channel: 11 });
    const [esme, ihd, stranger] = report.devices;
    expect(esme!.stages).toEqual({
      whitelist: { outcome: 'ok', at: '2026-11-27T09:00:02Z' },
      join: { outcome: 'ok', at: '2026-11-27T09:00:03Z' },
      interview: { outcome: 'failed', at: '2026-11-27T09:00:05Z', reason: 'no Metering cluster' },
    });
    expect(ihd!.stages.join).toEqual({ outcome: 'failed', at: '2026-11-27T09:00:06Z', reason: 'not on the device log' });
    expect(stranger).toMatchObject({ type: 'GSME', eui64: '00124B00000000FF', listed: false, status: 'joined' });
  });

  it('follows corrections: premises edits, device updates and removals, commission', () => {
    const report = buildInstallReport(
      timeline(
        created,
        ['premises.updated', { mpan: null, mprn: '1234567890' }],
        ['device.updated', { id: 'D1', status: 'commissioned' }],
        ['device.removed', { id: 'D2', reason: 'entered twice' }],
      ),
    );
    expect(report.premises.mpan).toBeUndefined();
    expect(report.premises.mprn).toBe('1234567890');
    expect(report.devices[0]!.stages.commission).toEqual({ outcome: 'ok', at: '2026-11-27T09:00:02Z' });
    expect(report.devices[1]).toMatchObject({ status: 'removed', removed: { at: '2026-11-27T09:00:03Z', reason: 'entered twice' } });
  });

  it('ends the visit when the job completes or aborts; an abort is listed with its reason', () => {
    const done = buildInstallReport(timeline(created, ['job.status-changed', { status: 'completed' }]));
    expect(done).toMatchObject({ status: 'final', visit: { outcome: 'completed', endedAt: '2026-11-27T09:00:01Z' } });
    const aborted = buildInstallReport(
      timeline(created, ['job.status-changed', { status: 'aborted', reason: 'unable to establish HAN – meter not installed' }]),
    );
    expect(aborted.visit).toMatchObject({ outcome: 'aborted', outcomeReason: 'unable to establish HAN – meter not installed' });
    expect(aborted.faults).toEqual([{ seq: 2, at: '2026-11-27T09:00:01Z', kind: 'abort', reason: 'unable to establish HAN – meter not installed' }]);
  });

  it('keeps hex blobs typed into free text out of the report, but not EUI-64s or MPANs', () => {
    const key = '5A6967426565416C6C69616E63653039';
    const report = buildInstallReport(timeline(created, ['note.added', { text: `key ${key} for 00124B0000000001 at 1200023305967` }]));
    expect(report.notes[0]!.text).toBe(`key ${HEX_REMOVED} for 00124B0000000001 at 1200023305967`);
  });

  it('gives the same report for the same events (verify depends on it)', () => {
    const events = timeline(created, ['note.added', { text: 'x' }]);
    expect(JSON.stringify(buildInstallReport(events))).toBe(JSON.stringify(buildInstallReport(events)));
  });

  it('takes the visit outcome over the job status, whichever comes first, and lists an abort with its reason', () => {
    const report = buildInstallReport(
      timeline(
        created,
        ['visit.started', { visitId: 'V1', route: 'live-comms-hub' }],
        ['job.status-changed', { status: 'aborted', reason: 'no HAN' }],
        ['visit.outcome', { visitId: 'V1', outcome: 'aborted', reason: 'ESME never joined', abortReason: 'Unable to establish HAN – meter not installed' }],
      ),
    );
    expect(report.visit).toMatchObject({ route: 'live-comms-hub', outcome: 'aborted', outcomeReason: 'ESME never joined', endedAt: '2026-11-27T09:00:03Z' });
    expect(report.faults).toEqual([
      { seq: 4, at: '2026-11-27T09:00:03Z', kind: 'abort', reason: 'Unable to establish HAN – meter not installed', detail: 'ESME never joined' },
    ]);
    const pending = buildInstallReport(
      timeline(
        created,
        ['visit.outcome', { visitId: 'V1', outcome: 'commissioned-pending', reason: 'joined', pending: ['8.1.1 ESME'] }],
        ['job.status-changed', { status: 'completed' }],
      ),
    );
    expect(pending.visit).toMatchObject({ outcome: 'commissioned-pending', outcomeReason: 'joined — pending: 8.1.1 ESME' });
  });

  it('keeps one row per DCC RequestID with its first time and latest state and response code', () => {
    const request = { requestId: 'R-1', serviceRequest: '8.11', name: 'Update HAN Device Log' };
    const report = buildInstallReport(
      timeline(
        created,
        ['dcc.request', { ...request, state: 'queued', verdicts: { signature: 'none', result: 'queued' } }],
        ['dcc.request', { ...request, state: 'completed', responseCode: 'I0', verdicts: { signature: 'verified', result: 'success' } }],
      ),
    );
    expect(report.dccRequests).toEqual([
      {
        seq: 2,
        at: '2026-11-27T09:00:01Z',
        requestId: 'R-1',
        serviceRequest: '8.11 Update HAN Device Log',
        responseCode: 'I0',
        outcome: 'completed (success; signature verified)',
      },
    ]);
  });

  it('records per-device step results, skips with their reasons and interruptions in the device stages and steps', () => {
    const report = buildInstallReport(
      timeline(
        created,
        ['visit.step-result', { visitId: 'V1', step: 'whitelist', deviceId: 'D1', attempt: 1, result: 'failed', summary: '8.11 refused', reason: 'E20' }],
        [
          'visit.step-interrupted',
          { visitId: 'V1', step: 'whitelist', deviceId: 'D1', attempt: 2, sideEffect: 'none', reconciliation: 'no request on the wire' },
        ],
        ['visit.step-skipped', { visitId: 'V1', step: 'join', deviceId: 'D2', reason: 'IHD not fitted today', reasonCode: 'device-not-fitted' }],
      ),
    );
    expect(report.devices[0]!.stages.whitelist).toEqual({ outcome: 'failed', at: '2026-11-27T09:00:01Z', reason: 'E20' });
    expect(report.devices[1]!.stages.join).toEqual({ outcome: 'skipped', at: '2026-11-27T09:00:03Z', reason: 'IHD not fitted today' });
    expect(report.visit.steps.map((s) => [s.step, s.result])).toEqual([
      ['whitelist:D1', 'failed'],
      ['whitelist:D1', 'interrupted'],
      ['join:D2', 'skipped'],
    ]);
    expect(report.faults).toEqual([
      { seq: 4, at: '2026-11-27T09:00:03Z', kind: 'skip', step: 'join:D2', reason: 'IHD not fitted today', detail: 'device-not-fitted' },
    ]);
  });

  it('records corrections with their reason and fields, removals with their code, pairings and unexpected joiners', () => {
    const report = buildInstallReport(
      timeline(
        created,
        ['device.corrected', { id: 'D1', reason: 'mistyped', eui64: '00124B0000000009' }],
        ['device.removed', { id: 'D2', reasonCode: 'not-fitted' }],
        [
          'ihd.paired',
          {
            ihd: '00124B0000000002',
            meter: '00124B0000000009',
            proven: false,
            bindingConfirmed: true,
            ihdConfirmed: false,
            reportsReceived: 0,
            error: 'no report',
          },
        ],
        ['han.unexpected-device', { eui64: '00124B00000000EE', deviceType: 'IHD', state: 'ready' }],
      ),
    );
    expect(report.devices[0]).toMatchObject({
      eui64: '00124B0000000009',
      corrections: [{ seq: 2, at: '2026-11-27T09:00:01Z', reason: 'mistyped', fields: ['eui64'] }],
    });
    expect(report.devices[1]).toMatchObject({ status: 'removed', removed: { reasonCode: 'not-fitted' } });
    expect(report.pairings).toEqual([
      {
        seq: 4,
        at: '2026-11-27T09:00:03Z',
        action: 'paired',
        ihd: '00124B0000000002',
        meter: '00124B0000000009',
        proven: false,
        reportsReceived: 0,
        error: 'no report',
      },
    ]);
    expect(report.devices[2]).toMatchObject({
      type: 'IHD',
      eui64: '00124B00000000EE',
      listed: false,
      status: 'joined',
      stages: { join: { outcome: 'ok' }, interview: { outcome: 'ok' } },
    });
  });
});
