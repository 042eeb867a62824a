import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAtomicStore } from './atomic-store';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('atomic store', () => {
  it('commits several changes together and a new instance (restart) sees them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'han-store-'));
    dirs.push(dir);
    const store = createAtomicStore(dir, 'jobs', () => ({ queue: [] as string[], jobs: {} as Record<string, string> }));
    store.commit((s) => {
      s.queue.push('req-1');
      s.jobs['job-1'] = 'waiting for DCC';
    });
    const reopened = createAtomicStore(dir, 'jobs', () => ({ queue: [] as string[], jobs: {} as Record<string, string> }));
    expect(reopened.read()).toEqual({ queue: ['req-1'], jobs: { 'job-1': 'waiting for DCC' } });
    expect(readdirSync(dir)).toEqual(['jobs.json']);
  });

  it('leaves the committed state untouched when a commit throws part-way', () => {
    const dir = mkdtempSync(join(tmpdir(), 'han-store-'));
    dirs.push(dir);
    const store = createAtomicStore(dir, 'jobs', () => ({ queue: [] as string[] }));
    store.commit((s) => s.queue.push('a'));
    expect(() =>
      store.commit((s) => {
        s.queue.push('b');
        throw new Error('job record invalid');
      }),
    ).toThrow(/invalid/);
    expect(store.read().queue).toEqual(['a']);
    expect(createAtomicStore(dir, 'jobs', () => ({ queue: [] as string[] })).read().queue).toEqual(['a']);
  });
});
