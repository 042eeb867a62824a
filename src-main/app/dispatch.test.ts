import { describe, expect, it } from 'vitest';
import { AppError } from '../../src-shared/ipc/result';
import { StoreError } from '../store/store-errors';
import { silentLogger } from '../util/logger';
import { createDispatch, type Handlers } from './dispatch';

function dispatchWith(overrides: Partial<Record<string, (args: never) => unknown>>) {
  return createDispatch(overrides as unknown as Handlers, silentLogger);
}

describe('dispatch', () => {
  it('rejects an unknown channel as data', async () => {
    expect(await dispatchWith({})('shell:exec', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    expect(await dispatchWith({})({ toString: 1 }, {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
  });

  it('rejects a malformed argument with a message naming the field, without calling the handler', async () => {
    let called = false;
    const dispatch = dispatchWith({ 'jobs:create': () => (called = true) });
    const result = await dispatch('jobs:create', { premises: { address: { line1: 'x', town: 'y', postcode: 'z' }, mpan: '1200023305968' } });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    if (!result.ok) expect(result.error.message).toMatch(/premises\.mpan: .*not a valid MPAN/);
    expect(called).toBe(false);
    expect(await dispatch('jobs:create', 'not an object')).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    expect(await dispatch('jobs:create', { premises: { address: { line1: 'x', town: 'y', postcode: 'z' } }, extra: 1 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining('extra') },
    });
  });

  it('passes the parsed (normalised) argument to the handler', async () => {
    let seen: unknown;
    const dispatch = dispatchWith({ 'dongles:addTcp': (args) => (seen = args) });
    await dispatch('dongles:addTcp', { address: ' 192.0.2.1:6638 ', kind: 'zigbee-coordinator' });
    expect(seen).toEqual({ address: '192.0.2.1:6638', kind: 'zigbee-coordinator' });
  });

  it('turns thrown errors into Result errors with their codes', async () => {
    const dispatch = dispatchWith({
      'jobs:list': () => {
        throw new StoreError('LOCKED', 'the data folder is in use by hantool (pid 42)');
      },
      'app:info': () => {
        throw new AppError('ADAPTER_LOST', 'the coordinator was unplugged');
      },
      'premises:status': () => {
        throw new TypeError('boom');
      },
    });
    expect(await dispatch('jobs:list', undefined)).toEqual({ ok: false, error: { code: 'LOCKED', message: 'the data folder is in use by hantool (pid 42)' } });
    expect(await dispatch('app:info', undefined)).toEqual({ ok: false, error: { code: 'ADAPTER_LOST', message: 'the coordinator was unplugged' } });
    expect(await dispatch('premises:status', undefined)).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringContaining('boom') } });
  });
});
