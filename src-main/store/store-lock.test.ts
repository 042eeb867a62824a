import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireStoreLock, LOCK_FILE } from './store-lock';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'han-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const deadLock = (): string =>
  JSON.stringify({ pid: 2 ** 22 + 4242, hostname: hostname(), startedAt: new Date().toISOString(), owner: 'crashed app', nonce: 'dead' });

describe('store lock', () => {
  it('lets exactly one of many simultaneous takers break a stale lock', async () => {
    writeFileSync(join(dir, LOCK_FILE), deadLock());
    const outcomes = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => acquireStoreLock(dir, `taker ${i}`)));
    const winners = outcomes.filter((o) => o.status === 'fulfilled');
    expect(winners).toHaveLength(1);
    for (const loser of outcomes.filter((o) => o.status === 'rejected')) expect((loser as PromiseRejectedResult).reason).toMatchObject({ code: 'LOCKED' });
    expect(existsSync(join(dir, `${LOCK_FILE}.break`))).toBe(false);
  });

  it('is never left half-written: a taker killed mid-write leaves only its temp file, which the next taker removes', async () => {
    const orphan = join(dir, `${LOCK_FILE}.${2 ** 22 + 777}.00ff00ff00ff00ff.tmp`);
    writeFileSync(orphan, '{"pid":');
    const lock = await acquireStoreLock(dir, 'next writer');
    expect(existsSync(orphan)).toBe(false);
    expect(readdirSync(dir).sort()).toEqual([LOCK_FILE]);
    await lock.release();
  });

  it('clears a break mutex left behind by a crash', async () => {
    writeFileSync(join(dir, LOCK_FILE), deadLock());
    const mutex = join(dir, `${LOCK_FILE}.break`);
    writeFileSync(mutex, '');
    const old = new Date(Date.now() - 60_000);
    utimesSync(mutex, old, old);
    const lock = await acquireStoreLock(dir, 'after crash');
    expect(lock.holder.owner).toBe('after crash');
    await lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });
});
