import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { requestChannels, type RequestChannel } from '../../src-shared/ipc/contract';
import { validateRequest } from '../../src-shared/ipc/validate';
import { toEngineerError } from './engineer-errors';

/**
 * Every channel's validation failures, passed through the mapping: nothing a developer wrote for a developer —
 * a channel name, a schema path or zod's own wording — may reach the screen.
 */

type Def = { type: string; shape?: Record<string, z.ZodType>; in?: z.ZodType; innerType?: z.ZodType; element?: z.ZodType };
const def = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let i = 0; i < 10; i++) {
    const d = def(current);
    const next = d.in ?? d.innerType;
    if (d.type === 'object' || d.type === 'array' || !next) return current;
    current = next;
  }
  return current;
}

const BAD_VALUES: readonly unknown[] = [{ wrong: true }, '!!', -1, 'x'.repeat(5000), '', true];

/** Argument variants that fail: each field (at any depth) given each bad value, missing fields, extra keys, junk. */
function badArguments(schema: z.ZodType): unknown[] {
  const target = unwrap(schema);
  const d = def(target);
  if (d.type === 'array' && d.element) return [[{ wrong: true }], ...badArguments(d.element).map((v) => [v])];
  if (d.type !== 'object' || !d.shape) return [{ unexpected: 1 }, 'junk', 42];
  const variants: unknown[] = [{}, 'junk', null, { unexpected: 1 }];
  for (const [key, field] of Object.entries(d.shape)) {
    for (const bad of BAD_VALUES) variants.push({ [key]: bad });
    for (const nested of badArguments(field).slice(0, 30)) variants.push({ [key]: nested });
  }
  return variants;
}

// zod's own phrases ("Invalid input: expected string, received object", "Too small: expected string to have >=1
// characters", "Unrecognized key", "Invalid option") and our schema messages written for developers.
const ZOD_WORDING =
  /invalid (input|option|string|enum|literal|union|type)|expected (a |an )?(string|number|boolean|object|array|nonoptional|record)|received|too (small|big)|unrecognized key|must match pattern|\bNaN\b|\bundefined\b|>=|<=/i;
/** A dotted schema path ("premises.mpan", "device.installCode") or a channel name ("jobs:addDevice"). */
const PATH = /\b[a-z][a-zA-Z]*\.[a-z][a-zA-Z0-9]*\b|\b(app|logs|premises|dongles|jobs|dcc|han|mbus):[a-z][a-zA-Z]+\b/;

describe('contract errors in an engineer’s words', () => {
  const channels = Object.keys(requestChannels) as RequestChannel[];

  it.each(channels)('%s: no schema path or validator wording reaches the screen', (channel) => {
    const schema = requestChannels[channel].args as z.ZodType;
    let failures = 0;
    for (const args of badArguments(schema)) {
      const result = validateRequest(channel, args);
      if (result.ok) continue;
      failures++;
      const shown = toEngineerError(result.error, args);
      for (const text of [shown.message, ...Object.values(shown.fields)]) {
        expect(text, JSON.stringify(args).slice(0, 200)).not.toMatch(ZOD_WORDING);
        expect(text, JSON.stringify(args).slice(0, 200)).not.toMatch(PATH);
        expect(text).not.toContain(channel);
        expect(text.length).toBeGreaterThan(10);
      }
    }
    expect(failures).toBeGreaterThan(0);
  });

  it('names the field in words and keeps the path for the form to place it', () => {
    const args = { premises: { address: { line1: '1 Road', town: 'Reading', postcode: 'RG1 1AA' }, mpan: '1200023305968' } };
    const result = validateRequest('jobs:create', args);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const shown = toEngineerError(result.error, args);
    expect(Object.keys(shown.fields)).toEqual(['premises.mpan']);
    expect(shown.fields['premises.mpan']).toMatch(/not a valid MPAN.*Re-read/);
  });

  it('says which device of a work order is wrong and why, and a mismatched label names both EUI-64s', () => {
    const order = {
      format: 'han-commissioner.work-order',
      version: 1,
      reference: 'WO-1',
      appointment: { start: '2026-11-30T09:00:00Z' },
      premises: { address: { line1: '1 Road', town: 'Reading', postcode: 'RG1 1AA' }, mpan: '1200023305967' },
      devices: [{ type: 'ESME' }, { type: 'IHD', eui64: '00124B000123CA39', installCode: 'Z:00124B000123CA38$I:83FED3407A939723A5C639B26916D505C3B5' }],
    };
    const result = validateRequest('jobs:importWorkOrder', order);
    if (result.ok) throw new Error('expected a failure');
    const shown = toEngineerError(result.error, order);
    expect(shown.message).toMatch(/^2nd device: The label is for EUI-64 00124B000123CA38 but 00124B000123CA39 was typed/);
  });

  it('keeps main’s own engineer-worded reasons and hides internal failures', () => {
    expect(toEngineerError({ code: 'MPAN_MISMATCH', message: 'The job’s MPAN is 1 but …' }).message).toBe('The job’s MPAN is 1 but …');
    expect(toEngineerError({ code: 'INTERNAL', message: 'jobs:get failed unexpectedly: TypeError x.y is undefined' }).message).not.toMatch(PATH);
    expect(
      toEngineerError({ code: 'INVALID_INPUT', message: 'device.added: eui64: EUI-64 00124B0000000001 is already device D1 (ESME) on this job' }).message,
    ).toBe('EUI-64 00124B0000000001 is already device D1 (ESME) on this job');
  });
});
