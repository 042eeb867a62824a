import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileAtomicSync, FileExistsError, writeFileAtomicSync } from './atomic-file';

const dir = mkdtempSync(join(tmpdir(), 'han-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('atomic file writes', () => {
  it('replaces a file whole, private, and leaves no temp file', () => {
    const path = join(dir, 'state.json');
    writeFileAtomicSync(path, '{"a":1}');
    writeFileAtomicSync(path, new Uint8Array([0x7b, 0x7d]));
    expect(readFileSync(path, 'utf8')).toBe('{}');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('many writes of one file in a row each use their own temp file (no INTERNAL error from a shared one)', async () => {
    const path = join(dir, 'keys.json');
    await Promise.all(Array.from({ length: 50 }, async (_, i) => writeFileAtomicSync(path, `${i}`)));
    expect(readFileSync(path, 'utf8')).toBe('49');
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('creates only: an existing file is refused and kept as it was', () => {
    const path = join(dir, 'report.pdf');
    createFileAtomicSync(path, 'first');
    expect(() => createFileAtomicSync(path, 'second')).toThrow(FileExistsError);
    expect(readFileSync(path, 'utf8')).toBe('first');
    writeFileSync(join(dir, 'other'), 'x');
    expect(() => createFileAtomicSync(join(dir, 'other'), 'y')).toThrow(/already exists/);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('a failed write leaves no temp file and the old content', () => {
    const path = join(dir, 'state.json');
    writeFileAtomicSync(path, 'old');
    // The target is a folder: the rename fails after the temp file was written.
    const folder = join(dir, 'sub');
    writeFileAtomicSync(join(folder, 'x'), 'x');
    expect(() => writeFileAtomicSync(folder, 'new')).toThrow();
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});
