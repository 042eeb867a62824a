import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Every file main writes goes through store/atomic-file.ts (unique temp, fsync, rename or link, fsync folder).
 * Like the lint boundaries, this is a rule over the source: a direct write anywhere else fails this test unless
 * it is one of the few below, each a different kind of file with its own, equally durable discipline.
 */
const WRITE_CALL = /\b(writeFile|writeFileSync|appendFile|appendFileSync|copyFile|copyFileSync|createWriteStream|rename|renameSync|cp|cpSync)\s*\(/g;
const WRITE_OPEN = /\b(open|openSync)\s*\(\s*[^,()]+,\s*['"](w|wx|w\+|wx\+|a|ax|a\+|ax\+|r\+|rs\+)['"]/g;

const ALLOWED: Record<string, { readonly calls: readonly string[]; readonly why: string }> = {
  'store/atomic-file.ts': { calls: ['openSync', 'renameSync'], why: 'the helper itself' },
  'util/log-rotation.ts': {
    calls: ['appendFileSync', 'renameSync'],
    why: 'logs are append-only lines, never read back as state: a crash loses at most the line being written; rotation renames whole files',
  },
  'store/job-store.ts': {
    calls: ['open'],
    why: 'the job journal is append-only with its own durability: created exclusively and fsynced, appended at the committed length and fsynced, a torn tail cut back and kept aside, every line hash-chained',
  },
  'store/store-lock.ts': {
    calls: ['open'],
    why: 'the lock holds no data: its record is hard-linked into place (exclusive), the break mutex is an empty exclusive create',
  },
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.includes('test-support') ? [path] : [];
  });
}

/** The write calls in a source text, comments left out. */
export function directWrites(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  return [...code.matchAll(WRITE_CALL), ...code.matchAll(WRITE_OPEN)].map((m) => m[1]!);
}

describe('file writers in main', () => {
  it('finds a direct write (the rule fires)', () => {
    expect(directWrites("await writeFile(join(dir, 'keys.json'), text);")).toEqual(['writeFile']);
    expect(directWrites("const h = await open(path, 'w', 0o600);\nfs.renameSync(a, b);")).toEqual(['renameSync', 'open']);
    expect(directWrites("const h = await open(path, 'r');\n// writeFile(x) in a comment")).toEqual([]);
  });

  it('no file in src-main writes except through the atomic helper (or an allowed, append-only or lock file)', () => {
    const root = join(import.meta.dirname, '..');
    const offenders: string[] = [];
    for (const file of sourceFiles(root)) {
      const name = relative(root, file).split('\\').join('/');
      const allowed = ALLOWED[name]?.calls ?? [];
      for (const call of directWrites(readFileSync(file, 'utf8'))) if (!allowed.includes(call)) offenders.push(`${name}: ${call}`);
    }
    expect(offenders).toEqual([]);
  });
});
