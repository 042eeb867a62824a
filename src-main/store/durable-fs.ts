import { open, type FileHandle } from 'node:fs/promises';

/**
 * Makes a directory entry (a newly created or renamed file) durable. POSIX needs an fsync of the directory;
 * Windows cannot open directories and its NTFS metadata journal covers the entry, so it is skipped there.
 */
export async function fsyncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes the whole buffer at the handle's position; a short write (rare on regular files) is continued. */
export async function writeFully(handle: FileHandle, data: Buffer, position?: number): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await handle.write(data, offset, data.length - offset, position === undefined ? null : position + offset);
    offset += bytesWritten;
  }
}
