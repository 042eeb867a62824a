import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileRequestCounter, formatRequestId, MAX_REQUEST_COUNTER, parseRequestId } from './request-id';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'han-reqid-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('RequestID counter', () => {
  it('never repeats across restarts, even with a clock that stands still or runs backwards', () => {
    const file = join(tempDir(), 'counter.json');
    let clock = 1_800_000_000_000;
    const issued: bigint[] = [];
    for (let restart = 0; restart < 5; restart++) {
      const counter = createFileRequestCounter(file, () => clock);
      for (let i = 0; i < 20; i++) issued.push(counter.next());
      clock -= 60_000; // the next "process" starts with a clock a minute behind
    }
    for (let i = 1; i < issued.length; i++) expect(issued[i]! > issued[i - 1]!).toBe(true);
    expect(new Set(issued).size).toBe(issued.length);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ last: issued.at(-1)!.toString() });
  });

  it('follows epoch milliseconds when the clock is ahead, as DCC’s own tooling does', () => {
    const file = join(tempDir(), 'counter.json');
    let clock = 1_800_000_000_000;
    const counter = createFileRequestCounter(file, () => clock);
    expect(counter.next()).toBe(1_800_000_000_000n);
    expect(counter.next()).toBe(1_800_000_000_001n);
    clock += 5000;
    expect(counter.next()).toBe(1_800_000_005_000n);
  });

  it('leaves no temp files behind and refuses a corrupt counter file instead of restarting from zero', () => {
    const dir = tempDir();
    const file = join(dir, 'counter.json');
    createFileRequestCounter(file).next();
    expect(readdirSync(dir)).toEqual(['counter.json']);
    writeFileSync(file, '{"last": 12');
    expect(() => createFileRequestCounter(file).next()).toThrow(/corrupt|JSON/);
  });

  it('stops at 2^64−1 rather than wrapping', () => {
    const file = join(tempDir(), 'counter.json');
    writeFileSync(file, JSON.stringify({ last: (MAX_REQUEST_COUNTER - 1n).toString() }));
    const counter = createFileRequestCounter(file, () => 0);
    expect(counter.next()).toBe(MAX_REQUEST_COUNTER);
    expect(() => counter.next()).toThrow(/exhausted/);
  });
});

describe('RequestID format', () => {
  it('round-trips user, target and counter in DUIS form', () => {
    const id = formatRequestId('90B3D51F30010000', '00-db-12-34-56-78-00-01', 18446744073709551615n);
    expect(id).toBe('90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-00-01:18446744073709551615');
    expect(parseRequestId(id)).toEqual({ userId: '90-B3-D5-1F-30-01-00-00', targetId: '00-DB-12-34-56-78-00-01', counter: MAX_REQUEST_COUNTER });
    expect(() => parseRequestId('90-B3-D5-1F-30-01-00-00:1')).toThrow(/RequestID/);
  });
});
