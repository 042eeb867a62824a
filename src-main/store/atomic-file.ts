import { closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * The one way main writes a file (a test scans src-main for any other): a unique temp file beside the target,
 * fsync, then rename (replace) or hard-link (create only) into place, then fsync the folder. After a crash or
 * power loss the file holds either the old or the new content, never a mix, and concurrent writers never share a
 * temp file.
 */
function writeTempSync(path: string, data: string | Uint8Array): string {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', 0o600);
  try {
    // writeSync may write less than asked (large reports, some file systems): continue until all is written.
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    for (let offset = 0; offset < bytes.length;) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true }); // a full disk must not leave temp files behind
    throw error;
  }
  closeSync(fd);
  return temp;
}

/** Replaces (or creates) the file atomically. */
export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  const temp = writeTempSync(path, data);
  try {
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  fsyncDir(dirname(path));
}

/** Thrown by createFileAtomicSync when the name is taken; the existing file is untouched. */
export class FileExistsError extends Error {
  readonly code = 'EEXIST';
  constructor(readonly path: string) {
    super(`${path} already exists`);
    this.name = 'FileExistsError';
  }
}

/** File systems without hard links (FAT and exFAT on USB sticks, some network shares) refuse link() with these. */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

/**
 * Creates the file atomically and never replaces one: the finished temp file is hard-linked to the name, which
 * fails if the name exists (even when another process creates it at the same moment). Where the file system has
 * no hard links, an existence check then a rename stands in; only that check-to-rename window is lost.
 */
export function createFileAtomicSync(path: string, data: string | Uint8Array): void {
  const temp = writeTempSync(path, data);
  try {
    try {
      linkSync(temp, path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (code === 'EEXIST') throw new FileExistsError(path);
      if (!NO_HARD_LINKS.has(code)) throw error;
      if (existsSync(path)) throw new FileExistsError(path);
      renameSync(temp, path);
    }
  } finally {
    rmSync(temp, { force: true });
  }
  fsyncDir(dirname(path));
}

function fsyncDir(dir: string): void {
  // Windows cannot open a folder for fsync; NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The file's text, or undefined when it does not exist yet. */
export function readFileIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
