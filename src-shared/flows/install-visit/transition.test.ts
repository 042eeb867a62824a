import { describe, expect, it } from 'vitest';
import type { VisitAnswers } from '../../model/visit-events';
import { currentStep, findStep, initialVisit, type VisitState } from './state';
import { planVisit, type PlanDevice } from './steps';
import { transition, type VisitAction } from './transition';

const AT = '2026-11-30T10:00:00.000Z';
const DEVICES: PlanDevice[] = [
  { id: 'D2', type: 'GSME' },
  { id: 'D1', type: 'ESME' },
  { id: 'D3', type: 'IHD' },
  { id: 'D4', type: 'PPMID' },
];
const PRE_CHECKS: VisitAnswers = { form: 'pre-checks', jobDetailsConfirmed: true, mpanConfirmed: true };
const HUB = (wanAvailable: boolean): VisitAnswers => ({
  form: 'comms-hub',
  chfId: '00124B0001ABCD01',
  connectionMethod: 'Hot-shoe',
  location: 'Deep indoors',
  premiseType: 'Terraced',
  aerialInstall: false,
  wanAvailable,
});

const visit = (route: 'live-comms-hub' | 'own-network', devices = DEVICES): VisitState =>
  initialVisit({ visitId: 'V1', route, at: AT, plan: planVisit(route, devices) });

function apply(state: VisitState, ...actions: VisitAction[]): VisitState {
  for (const action of actions) {
    const next = transition(state, action);
    if (!next.ok) throw new Error(`${action.type} refused: ${next.reason}`);
    state = next.state;
  }
  return state;
}

function refused(state: VisitState, action: VisitAction): string {
  const next = transition(state, action);
  if (next.ok) throw new Error(`${action.type} was allowed`);
  return next.reason;
}

const start = (key: string): VisitAction => ({ type: 'start', key, at: AT });
const done = (key: string, extra: Partial<Extract<VisitAction, { type: 'result' }>> = {}): VisitAction => ({
  type: 'result',
  key,
  result: 'done',
  summary: 'ok',
  at: AT,
  ...extra,
});
const answer = (key: string, answers: VisitAnswers): VisitAction => ({ type: 'answer', key, answers, at: AT });
const skip = (key: string, reason = 'not fitted today'): VisitAction => ({ type: 'skip', key, reason, reasonCode: 'engineer-decision', at: AT });
const run = (key: string): VisitAction[] => [start(key), done(key)];

describe('planVisit', () => {
  it('plans the live Comms Hub route as the issue lists it, meters first', () => {
    expect(planVisit('live-comms-hub', DEVICES).map((s) => s.key)).toEqual([
      'arrival',
      'remove-meters',
      'fit-comms-hub',
      'whitelist:D1',
      'await-join:D1',
      'commission:D1',
      'first-read:D1',
      'whitelist:D2',
      'await-join:D2',
      'commission:D2',
      'first-read:D2',
      'whitelist:D3',
      'await-join:D3',
      'join-service:D3',
      'whitelist:D4',
      'await-join:D4',
      'join-service:D4',
      'device-log-check',
      'ihd-pairing-check',
      'rf-survey',
      'verification',
      'completion',
    ]);
  });

  it('plans the own-network route: form, device log, join, interview, read meters, pair, M-Bus, verify, complete', () => {
    expect(planVisit('own-network', [...DEVICES, { id: 'D9', type: 'CHF' }]).map((s) => s.key)).toEqual([
      'form-network',
      'device-log',
      'join:D1',
      'join:D2',
      'join:D3',
      'join:D4',
      'interview:D1',
      'interview:D2',
      'interview:D3',
      'interview:D4',
      'read:D1',
      'read:D2',
      'pair-ihd',
      'mbus-meters',
      'verification',
      'completion',
    ]);
  });
});

describe('start', () => {
  it('starts the current step and counts the attempt', () => {
    const state = apply(visit('own-network'), start('form-network'));
    expect(findStep(state, 'form-network')).toMatchObject({ status: 'running', attempt: 1, startedAt: AT });
  });

  it('refuses a step out of order, a running step, an unknown step and a step whose answers are missing', () => {
    const state = visit('live-comms-hub');
    expect(refused(state, start('remove-meters'))).toMatch(/finish "Arrival and pre-checks" first/);
    expect(refused(state, start('arrival'))).toMatch(/enter the pre checks details/);
    const running = apply(state, answer('arrival', PRE_CHECKS), start('arrival'));
    expect(refused(running, start('arrival'))).toMatch(/already running/);
    expect(refused(state, start('nonsense'))).toMatch(/no step "nonsense"/);
  });

  it('refuses a step already done and refuses completion by start', () => {
    let state = apply(visit('own-network', []), ...run('form-network'));
    expect(refused(state, start('form-network'))).toMatch(/already done/);
    state = apply(state, skip('device-log'), skip('pair-ihd'), skip('mbus-meters'), answer('verification', { form: 'display-reading', value: 1, unit: 'kWh' }));
    state = apply(state, ...run('verification'));
    expect(refused(state, start('completion'))).toMatch(/"complete"/);
  });

  it('retries a failed step with the next attempt and clears the old reason', () => {
    let state = apply(visit('own-network'), start('form-network'), {
      type: 'result',
      key: 'form-network',
      result: 'failed',
      summary: 'no',
      reason: 'dongle gone',
      at: AT,
    });
    expect(findStep(state, 'form-network')).toMatchObject({ status: 'failed', reason: 'dongle gone' });
    expect(currentStep(state)?.key).toBe('form-network');
    state = apply(state, start('form-network'));
    expect(findStep(state, 'form-network')).toMatchObject({ status: 'running', attempt: 2 });
    expect(findStep(state, 'form-network')?.reason).toBeUndefined();
  });
});

describe('result', () => {
  it('records done with its facts and moves on', () => {
    const reading = { value: 12.5, unit: 'kWh' as const, valueWh: 12500, source: 'han' as const, takenAt: AT };
    const state = apply(visit('own-network'), start('form-network'), done('form-network', { reading, details: { panId: 1 }, requestIds: ['R1'] }));
    expect(findStep(state, 'form-network')).toMatchObject({ status: 'done', reading, details: { panId: 1 }, requestIds: ['R1'] });
    expect(currentStep(state)?.key).toBe('device-log');
  });

  it('refuses a result for a step that is not running, failed or pending without a reason, and pending where it cannot pend', () => {
    const state = visit('own-network');
    expect(refused(state, done('form-network'))).toMatch(/needs a running step/);
    const running = apply(state, start('form-network'));
    expect(refused(running, { type: 'result', key: 'form-network', result: 'failed', summary: 'x', at: AT })).toMatch(/needs a reason/);
    expect(refused(running, { type: 'result', key: 'form-network', result: 'pending', summary: 'x', reason: 'later', at: AT })).toMatch(
      /cannot be left pending/,
    );
  });

  it('lets 8.1.1 end pending: the visit continues and ends commissioned-pending', () => {
    let state = apply(
      visit('live-comms-hub', [{ id: 'D1', type: 'ESME' }]),
      answer('arrival', PRE_CHECKS),
      ...run('arrival'),
      skip('remove-meters', 'new connection'),
    );
    state = apply(state, answer('fit-comms-hub', HUB(true)), ...run('fit-comms-hub'), ...run('whitelist:D1'), ...run('await-join:D1'));
    state = apply(state, start('commission:D1'), {
      type: 'result',
      key: 'commission:D1',
      result: 'pending',
      summary: '8.1.1 not sent',
      reason: 'critical requests unsupported',
      at: AT,
    });
    expect(currentStep(state)?.key).toBe('first-read:D1');
    state = apply(state, ...run('first-read:D1'), ...run('device-log-check'), skip('ihd-pairing-check', 'no IHD'), skip('rf-survey', 'no diagnostics'));
    state = apply(state, answer('verification', { form: 'display-reading', value: 5, unit: 'kWh' }), ...run('verification'), { type: 'complete', at: AT });
    expect(state.outcome).toMatchObject({ outcome: 'commissioned-pending', pending: ['commission:D1: critical requests unsupported'] });
  });
});

describe('skip', () => {
  it('needs a reason, the current step and a skippable step', () => {
    const state = visit('live-comms-hub');
    expect(refused(state, skip('arrival'))).toMatch(/cannot be skipped/);
    expect(refused(state, skip('rf-survey'))).toMatch(/first/);
    const onHub = apply(state, answer('arrival', PRE_CHECKS), ...run('arrival'), skip('remove-meters'));
    expect(refused(onHub, skip('fit-comms-hub'))).toMatch(/cannot be skipped/);
    expect(refused(apply(visit('own-network'), ...run('form-network')), skip('device-log', '  '))).toMatch(/with a reason/);
    expect(refused(apply(visit('own-network'), ...run('form-network'), start('device-log')), skip('device-log'))).toMatch(/running/);
  });

  it("skipping a device's first step skips its later steps with the reason it follows from", () => {
    const state = apply(visit('own-network'), ...run('form-network'), ...run('device-log'), ...run('join:D1'), skip('join:D2', 'gas meter not fitted'));
    expect(findStep(state, 'interview:D2')).toMatchObject({ status: 'skipped', reason: 'follows from "Join" skipped: gas meter not fitted' });
    expect(findStep(state, 'read:D2')?.status).toBe('skipped');
    expect(findStep(state, 'interview:D1')?.status).toBe('waiting');
  });
});

describe('answer, fault, interrupt', () => {
  it('keeps every answer of a step in order and refuses answers to a running or finished step', () => {
    const meter = (serial: string): VisitAnswers => ({
      form: 'removed-meter',
      fuel: 'gas',
      serial,
      finalReading: { value: 1, unit: 'm3' },
      readMethod: 'display',
    });
    let state = apply(
      visit('live-comms-hub'),
      answer('arrival', PRE_CHECKS),
      ...run('arrival'),
      answer('remove-meters', meter('A')),
      answer('remove-meters', meter('B')),
    );
    expect(findStep(state, 'remove-meters')?.answers.map((a) => (a.form === 'removed-meter' ? a.serial : ''))).toEqual(['A', 'B']);
    state = apply(state, start('remove-meters'));
    expect(refused(state, answer('remove-meters', meter('C')))).toMatch(/wait for the step/);
    state = apply(state, done('remove-meters'));
    expect(refused(state, answer('remove-meters', meter('C')))).toMatch(/already done/);
  });

  it('records faults with their reason and refuses a Comms Hub fault without its 8.14.3 reason', () => {
    const state = apply(visit('live-comms-hub'), {
      type: 'fault',
      key: 'fit-comms-hub',
      fault: { faultKind: 'comms-hub', text: 'LED dead', chfFaultReason: 'LED Fault' },
      at: AT,
    });
    expect(findStep(state, 'fit-comms-hub')?.faults).toEqual([{ faultKind: 'comms-hub', text: 'LED dead', chfFaultReason: 'LED Fault', at: AT }]);
    expect(refused(state, { type: 'fault', key: 'fit-comms-hub', fault: { faultKind: 'comms-hub', text: 'LED dead' }, at: AT })).toMatch(/8\.14\.3/);
    expect(refused(state, { type: 'fault', key: 'fit-comms-hub', fault: { faultKind: 'site', text: ' ' }, at: AT })).toMatch(/describe/);
  });

  it('interrupts only a running step, which is then retried as the next attempt', () => {
    let state = apply(visit('own-network'), start('form-network'), { type: 'interrupt', key: 'form-network', reason: 'app stopped', at: AT });
    expect(findStep(state, 'form-network')).toMatchObject({ status: 'interrupted', attempt: 1 });
    expect(refused(state, { type: 'interrupt', key: 'form-network', reason: 'again', at: AT })).toMatch(/only a running step/);
    state = apply(state, start('form-network'));
    expect(findStep(state, 'form-network')).toMatchObject({ status: 'running', attempt: 2 });
  });
});

describe('abort and complete', () => {
  it('aborts with the industry reason and then refuses every change', () => {
    const state = apply(visit('live-comms-hub'), {
      type: 'abort',
      abortReason: 'Unable to establish HAN – meter not installed',
      reason: 'gas meter never joined',
      at: AT,
    });
    expect(state.outcome).toMatchObject({ outcome: 'aborted', abortReason: 'Unable to establish HAN – meter not installed' });
    expect(refused(state, answer('arrival', PRE_CHECKS))).toMatch(/visit has ended/);
    expect(refused(state, { type: 'complete', at: AT })).toMatch(/visit has ended/);
    expect(refused(state, { type: 'abort', abortReason: 'Other', reason: 'x', at: AT })).toMatch(/visit has ended/);
  });

  it('refuses an abort while a step runs or without words', () => {
    const running = apply(visit('own-network'), start('form-network'));
    expect(refused(running, { type: 'abort', abortReason: 'Unsafe site', reason: 'gas smell', at: AT })).toMatch(/running/);
    expect(refused(visit('own-network'), { type: 'abort', abortReason: 'Unsafe site', reason: ' ', at: AT })).toMatch(/say why/);
  });

  it('completes only at the completion step; no WAN ends install-and-leave', () => {
    expect(refused(visit('own-network'), { type: 'complete', at: AT })).toMatch(/finish "Form the job network" first/);
    let state = apply(
      visit('live-comms-hub', []),
      answer('arrival', PRE_CHECKS),
      ...run('arrival'),
      skip('remove-meters'),
      answer('fit-comms-hub', HUB(false)),
    );
    state = apply(state, ...run('fit-comms-hub'), ...run('device-log-check'), skip('ihd-pairing-check'), skip('rf-survey'));
    state = apply(state, answer('verification', { form: 'display-reading', value: 5, unit: 'kWh' }), ...run('verification'), { type: 'complete', at: AT });
    expect(state.outcome?.outcome).toBe('install-and-leave');
    expect(findStep(state, 'completion')?.status).toBe('done');
  });

  it('completes the own-network route as completed when nothing is pending', () => {
    let state = visit('own-network', [{ id: 'D1', type: 'ESME' }]);
    state = apply(
      state,
      ...run('form-network'),
      ...run('device-log'),
      ...run('join:D1'),
      ...run('interview:D1'),
      ...run('read:D1'),
      skip('pair-ihd', 'no IHD'),
    );
    state = apply(state, skip('mbus-meters', 'none'), answer('verification', { form: 'display-reading', value: 5, unit: 'kWh' }), ...run('verification'), {
      type: 'complete',
      at: AT,
    });
    expect(state.outcome).toMatchObject({ outcome: 'completed' });
    expect(state.outcome?.pending).toBeUndefined();
  });
});
