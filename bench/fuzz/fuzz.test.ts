import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FAMILIES } from './families/index';
import { inputFor } from './mutate';
import { runFuzz } from './runner';

/**
 * CI's short seeded pass of every family (the full 10^6-input run is `npm run fuzz -- all --inputs 1000000`),
 * and the runner's own guarantees: a hang is caught and the run goes on, a crash class is reported once with a
 * reproducer that reproduces it.
 */
const out = mkdtempSync(join(tmpdir(), 'han-fuzz-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('fuzz runner', () => {
  it('generates the same input for the same seed and index, in any order', () => {
    const seeds = [Buffer.from('hello world')];
    expect(inputFor(3, 17, seeds, 100, 'text')).toEqual(inputFor(3, 17, seeds, 100, 'text'));
    expect(inputFor(3, 17, seeds, 100, 'text')).not.toEqual(inputFor(4, 17, seeds, 100, 'text'));
  });

  it('catches a hang with its watchdog, writes its input, and carries on past it', async () => {
    const report = await runFuzz({ family: 'self-test-hang', inputs: 40, seed: 1, timeoutMs: 1000, outDir: out });
    expect(report.hangs.length).toBeGreaterThan(0);
    const [first] = report.hangs;
    expect(readFileSync(join(out, 'self-test-hang', `hang-${first!.index}.bin`))[0]).toBe(0x00);
    expect(report.hangs.at(-1)!.index).toBeLessThan(40);
  }, 120_000);

  it('reports one crash class once, with a reproducer that crashes again', async () => {
    const report = await runFuzz({ family: 'self-test-crash', inputs: 2000, seed: 1, outDir: out });
    expect(report.crashes).toHaveLength(1);
    expect(report.crashes[0]!.count).toBeGreaterThan(10);
    const files = readdirSync(join(out, 'self-test-crash'));
    const input = readFileSync(
      join(
        out,
        'self-test-crash',
        files.find((f) => f.endsWith('.bin'))!,
      ),
    );
    expect(input.length % 2).toBe(0);
  }, 120_000);

  it('stops on its time budget and reports the inputs that ran, with the expected refusals among them', async () => {
    const report = await runFuzz({ family: 'duis-parse', inputs: 1e9, seed: 1, maxSeconds: 3 });
    expect(report.budgetReached).toBe(true);
    expect(report.requestedInputs).toBe(1e9);
    expect(report.inputs).toBeGreaterThan(0);
    expect(report.inputs).toBeLessThan(1e9);
    expect(report.expectedRefusals).toBeGreaterThan(0);
    expect(report.expectedRefusals).toBeLessThanOrEqual(report.inputs);
    expect(report.cpuSeconds).toBeGreaterThan(0);
  }, 60_000);

  it.each(FAMILIES.map((f) => f.name))(
    '%s: a short seeded pass finds no crash and no hang',
    async (family) => {
      const report = await runFuzz({ family, inputs: 400, seed: 20261130, timeoutMs: 10_000 });
      expect(report.hangs).toEqual([]);
      expect(report.crashes.map((c) => `${c.name}: ${c.message} @${c.index}`)).toEqual([]);
    },
    120_000,
  );
});
