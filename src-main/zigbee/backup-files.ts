import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SecretStore } from '../secrets/secret-store';
import { writeFileAtomicSync } from '../store/atomic-file';
import type { Logger } from '../util/logger';

const STATE_FILE = 'han-state.json';
/** herdsman's own folder in a job's HAN folder: private (0700), holding the plain backup only while herdsman needs it. */
const PRIVATE_DIR = '.herdsman';
const BACKUP = 'coordinator-backup.json';

/** Where herdsman's database, its coordinator backup (plain, transient) and our sealed copy live for one job. */
export function herdsmanFiles(jobDir: string): { database: string; backup: string; sealedBackup: string; state: string } {
  return {
    database: join(jobDir, 'herdsman-db.json'),
    backup: join(jobDir, PRIVATE_DIR, BACKUP),
    sealedBackup: join(jobDir, `${BACKUP}.sealed`),
    state: join(jobDir, STATE_FILE),
  };
}

/** The folder of the plain backup: created 0700, and tightened if it exists looser. */
export function preparePrivateFolder(backupPath: string): void {
  const dir = dirname(backupPath);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') chmodSync(dir, 0o700);
}

/**
 * Seals whatever plain coordinator backup herdsman left in a job's folder — the current private place, its
 * `.tmp`, or the job folder itself where earlier versions kept it — and removes the plain copies. The newest
 * plain copy wins: it is what herdsman last read from the coordinator.
 */
export async function sealPlainBackup(jobDir: string, secrets: Pick<SecretStore, 'encrypt'>): Promise<boolean> {
  const { backup, sealedBackup } = herdsmanFiles(jobDir);
  const candidates = [join(jobDir, BACKUP), backup].filter((path) => existsSync(path));
  const newest = candidates.at(-1);
  if (newest) writeFileAtomicSync(sealedBackup, await secrets.encrypt(readFileSync(newest, 'utf8')));
  for (const path of [join(jobDir, BACKUP), `${join(jobDir, BACKUP)}.tmp`, backup, `${backup}.tmp`]) rmSync(path, { force: true });
  return newest !== undefined;
}

/**
 * At app start: no plain network key stays on disk after a crash, whichever job it belongs to and whether or
 * not that job's network is started again. Every job's HAN folder is swept once.
 */
export async function sweepPlainBackups(dataDir: string, secrets: Pick<SecretStore, 'encrypt'>, log: Logger): Promise<void> {
  const hanDir = join(dataDir, 'han');
  if (!existsSync(hanDir)) return;
  for (const entry of readdirSync(hanDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    try {
      if (await sealPlainBackup(join(hanDir, entry.name), secrets))
        log.warn('sealed a plain coordinator backup left by an interrupted run', { jobId: entry.name });
    } catch (error) {
      log.error('could not seal a plain coordinator backup', { jobId: entry.name, error: error instanceof Error ? error.name : String(error) });
    }
  }
}
