import { randomBytes } from 'node:crypto';
import { link, open, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { hostname, uptime } from 'node:os';
import { join } from 'node:path';
import { fsyncDirectory, writeFully } from './durable-fs';
import { type LockHolder, StoreLockedError } from './store-errors';

/**
 * One writer per data directory. The lock file holds the holder's pid, host, start time and a random nonce.
 * It is written complete to a private temp file first and then hard-linked into place (link fails if a lock
 * exists, like O_EXCL), so a crash can never leave a half-written lock that looks like one being written. A lock is stale — and taken over — when its holder is on this host and
 * its pid is gone, or when it predates the last boot. A lock from another host is never broken
 * (the directory may be on a network share), so the error names the holder instead.
 */

export const LOCK_FILE = 'store.lock';
/** A damaged (unparseable) lock older than this is removed; younger, it is reported, in case it is being replaced. */
const EMPTY_LOCK_GRACE_MS = 5_000;

export interface StoreLock {
  readonly path: string;
  readonly holder: LockHolder;
  release(): Promise<void>;
}

interface LockRecord extends LockHolder {
  readonly nonce: string;
}

function parseRecord(text: string): LockRecord | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockRecord>;
    if (typeof value.pid === 'number' && typeof value.hostname === 'string' && typeof value.startedAt === 'string') {
      return {
        pid: value.pid,
        hostname: value.hostname,
        startedAt: value.startedAt,
        owner: typeof value.owner === 'string' ? value.owner : 'unknown',
        nonce: typeof value.nonce === 'string' ? value.nonce : '',
      };
    }
  } catch {
    // Unparseable: treated as a lock being written, or left by a crash.
  }
  return undefined;
}

/** True when `pid` is a live process on this host (EPERM means it exists but belongs to another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function staleReason(record: LockRecord): string | undefined {
  if (record.hostname !== hostname()) return undefined;
  if (!processAlive(record.pid)) return `pid ${record.pid} is not running`;
  const bootMs = Date.now() - uptime() * 1000;
  // A little slack: uptime has one-second resolution.
  if (Date.parse(record.startedAt) < bootMs - 5_000) return 'the lock predates the last boot';
  return undefined;
}

export async function acquireStoreLock(dataDir: string, owner: string): Promise<StoreLock> {
  const path = join(dataDir, LOCK_FILE);
  const record: LockRecord = {
    pid: process.pid,
    hostname: hostname(),
    startedAt: new Date().toISOString(),
    owner,
    nonce: randomBytes(8).toString('hex'),
  };
  const temp = join(dataDir, `${LOCK_FILE}.${process.pid}.${record.nonce}.tmp`);
  await removeDeadTemps(dataDir);
  const handle = await open(temp, 'w', 0o644);
  try {
    await writeFully(handle, Buffer.from(JSON.stringify(record) + '\n'));
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    for (let attempt = 0; attempt < 40; attempt++) {
      try {
        await link(temp, path);
        await fsyncDirectory(dataDir);
        return { path, holder: stripNonce(record), release: () => releaseIfOurs(path, record.nonce) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      await judgeExistingLock(dataDir, path);
    }
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  throw new StoreLockedError(dataDir, undefined, 'the lock kept changing while it was being taken');
}

/** Temp files of lock takers that died before linking theirs into place. */
async function removeDeadTemps(dataDir: string): Promise<void> {
  const pattern = new RegExp(`^${LOCK_FILE.replace('.', '\\.')}\\.(\\d+)\\.[0-9a-f]+\\.tmp$`);
  for (const name of await readdir(dataDir).catch(() => [] as string[])) {
    const match = pattern.exec(name);
    if (match && !processAlive(Number(match[1]))) await unlink(join(dataDir, name)).catch(() => undefined);
  }
}

/** Looks at the lock that stopped us: breaks it when stale, throws StoreLockedError when it is held. */
async function judgeExistingLock(dataDir: string, path: string): Promise<void> {
  const existing = await readLock(path);
  if (existing === 'missing') return;
  if (existing === 'unreadable') {
    // Locks are linked in complete, so an unreadable one is damaged (disk fault, hand edit), not in progress.
    const age = await lockAgeMs(path);
    if (age !== undefined && age > EMPTY_LOCK_GRACE_MS) {
      await breakStaleLock(dataDir, path, undefined);
      return;
    }
    throw new StoreLockedError(dataDir, undefined, 'its lock file is damaged; if no other HAN Commissioner is running, try again in a few seconds');
  }
  if (staleReason(existing)) {
    await breakStaleLock(dataDir, path, existing.nonce);
    return;
  }
  throw new StoreLockedError(dataDir, stripNonce(existing));
}

/** Who holds the data directory's lock, if anyone (for status displays). */
export async function readLockHolder(dataDir: string): Promise<LockHolder | undefined> {
  const existing = await readLock(join(dataDir, LOCK_FILE));
  return typeof existing === 'object' ? stripNonce(existing) : undefined;
}

function stripNonce(record: LockRecord): LockHolder {
  const { nonce: _nonce, ...holder } = record;
  void _nonce;
  return holder;
}

async function readLock(path: string): Promise<LockRecord | 'missing' | 'unreadable'> {
  try {
    return parseRecord(await readFile(path, 'utf8')) ?? 'unreadable';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
}

async function lockAgeMs(path: string): Promise<number | undefined> {
  try {
    return Date.now() - (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Deletes the lock only if it is still the one we judged (same nonce), so two takers cannot both win. */
async function removeIfUnchanged(path: string, nonce: string | undefined): Promise<void> {
  const current = await readLock(path);
  if (current === 'missing') return;
  if (nonce === undefined ? current !== 'unreadable' : current === 'unreadable' || current.nonce !== nonce) return;
  try {
    await unlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/**
 * Removes a lock judged stale. Reading the lock and unlinking it are two steps, so two processes that both judged
 * the same stale lock could otherwise both remove it — the second removing the first one's fresh lock. A
 * `store.lock.break` file created with O_EXCL lets one breaker at a time re-check and remove; a busy mutex
 * means "wait a moment and look again". A mutex left by a crash mid-break is cleared after a few seconds.
 */
async function breakStaleLock(dataDir: string, path: string, nonce: string | undefined): Promise<void> {
  const mutex = join(dataDir, `${LOCK_FILE}.break`);
  try {
    await (await open(mutex, 'wx', 0o644)).close();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const age = await lockAgeMs(mutex);
    if (age !== undefined && age > BREAK_MUTEX_STALE_MS) await unlink(mutex).catch(() => undefined);
    else await new Promise((resolve) => setTimeout(resolve, 25));
    return;
  }
  try {
    await removeIfUnchanged(path, nonce);
  } finally {
    await unlink(mutex).catch(() => undefined);
  }
}

const BREAK_MUTEX_STALE_MS = 5_000;

async function releaseIfOurs(path: string, nonce: string): Promise<void> {
  await removeIfUnchanged(path, nonce);
}
