import { appendFileSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface LogRotationOptions {
  /** One file's largest size before it is rotated to `.1` (older `.1` → `.2` …). */
  readonly maxFileBytes?: number;
  /** All log files together; the oldest are deleted beyond it. */
  readonly maxTotalBytes?: number;
  /** Rotated files kept per day. */
  readonly keepPerDay?: number;
}

const LOG_FILE = /^han-\d{4}-\d{2}-\d{2}(?:\.(\d+))?\.log$/;

/**
 * Appends log lines to the day's file under a size cap: whatever a client or a device sends, the logs cannot
 * fill the disk. Files are created 0600 in a 0700 folder (they carry EUI-64s and job ids).
 */
export function createLogAppender(dir: string, options: LogRotationOptions = {}): (fileName: string, text: string) => void {
  const maxFileBytes = options.maxFileBytes ?? 10 * 1024 * 1024;
  const maxTotalBytes = options.maxTotalBytes ?? 50 * 1024 * 1024;
  const keepPerDay = options.keepPerDay ?? 3;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let current: string | undefined;
  let size = 0;

  const sizeOf = (path: string): number => {
    try {
      return statSync(path).size;
    } catch {
      return 0;
    }
  };
  const rotate = (fileName: string): void => {
    const base = fileName.replace(/\.log$/, '');
    rmSync(join(dir, `${base}.${keepPerDay}.log`), { force: true });
    for (let n = keepPerDay - 1; n >= 1; n--) {
      try {
        renameSync(join(dir, `${base}.${n}.log`), join(dir, `${base}.${n + 1}.log`));
      } catch {
        // that generation does not exist yet
      }
    }
    renameSync(join(dir, fileName), join(dir, `${base}.1.log`));
    enforceTotal();
  };
  /** Oldest first by name (dates sort; a higher generation is older within a day). */
  const enforceTotal = (): void => {
    const files = readdirSync(dir)
      .filter((name) => LOG_FILE.test(name))
      .map((name) => ({ name, day: name.slice(4, 14), generation: Number(LOG_FILE.exec(name)![1] ?? 0), bytes: sizeOf(join(dir, name)) }))
      .sort((a, b) => (a.day === b.day ? b.generation - a.generation : a.day < b.day ? -1 : 1));
    let total = files.reduce((sum, f) => sum + f.bytes, 0);
    for (const file of files) {
      if (total <= maxTotalBytes) break;
      if (file.generation === 0 && file.name === current) continue;
      rmSync(join(dir, file.name), { force: true });
      total -= file.bytes;
    }
  };

  return (fileName, text) => {
    if (fileName !== current) {
      current = fileName;
      size = sizeOf(join(dir, fileName));
    }
    if (size + Buffer.byteLength(text) > maxFileBytes && size > 0) {
      rotate(fileName);
      size = 0;
    }
    appendFileSync(join(dir, fileName), text, { mode: 0o600 });
    size += Buffer.byteLength(text);
  };
}
