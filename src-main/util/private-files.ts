import { chmodSync, statSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

/** Folders 0700, files 0600: job records, logs (EUI-64s, job ids), keys and backups are this user's alone. */
export const PRIVATE_UMASK = 0o077;

/**
 * Sets the process umask so every folder and file main creates — ours and those libraries write (herdsman's
 * database and backup) — is private to the user. Worker threads cannot change it; they share the process's.
 */
export function applyPrivateUmask(): void {
  if (isMainThread && process.platform !== 'win32') process.umask(PRIVATE_UMASK);
}

/**
 * Tightens a file or folder that others can read or write (created before this version, copied in, or
 * unpacked with a loose umask) to 0600/0700. Returns the old mode when it changed anything.
 */
export function tightenMode(path: string): number | undefined {
  if (process.platform === 'win32') return undefined;
  const stat = statSync(path);
  const mode = stat.mode & 0o777;
  if ((mode & 0o077) === 0) return undefined;
  chmodSync(path, stat.isDirectory() ? 0o700 : 0o600);
  return mode;
}
