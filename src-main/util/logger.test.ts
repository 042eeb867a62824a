import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger, logFileName } from './logger';
import { redact } from './redact';

const dir = mkdtempSync(join(tmpdir(), 'han-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('logger', () => {
  it('writes JSON lines to the day file with secret fields redacted at any depth', () => {
    const log = createLogger({ dir }).child('test');
    log.info('device added', {
      eui64: '0011223344556677',
      installCode: '83FED3407A939723A5C639B26916D505',
      nested: { networkKey: 'AA'.repeat(16), keys: [{ privateKey: 'pem' }] },
    });
    const [file] = readdirSync(dir);
    expect(file).toBe(logFileName(new Date()));
    const line = JSON.parse(readFileSync(join(dir, file!), 'utf8').trim());
    expect(line).toMatchObject({
      level: 'info',
      ns: 'han:test',
      msg: 'device added',
      eui64: '0011223344556677',
      installCode: '[redacted]',
      nested: { networkKey: '[redacted]', keys: [{ privateKey: '[redacted]' }] },
    });
    expect(readFileSync(join(dir, file!), 'utf8')).not.toContain('83FED340');
  });

  it('names files by UTC day so each day rotates to a new file', () => {
    expect(logFileName(new Date('2026-11-27T23:59:59Z'))).toBe('han-2026-11-27.log');
    expect(logFileName(new Date('2026-11-28T00:00:00Z'))).toBe('han-2026-11-28.log');
  });

  it('redacts errors to name and message and survives cycles', () => {
    const cyclic: Record<string, unknown> = { token: 'abc' };
    cyclic.self = cyclic;
    expect(redact(cyclic)).toEqual({ token: '[redacted]', self: '[cycle]' });
    expect(redact({ error: new Error('x') })).toEqual({ error: { name: 'Error', message: 'x' } });
  });
});

describe('scrubSecrets', () => {
  it('masks key-length hex runs and byte arrays but keeps EUI-64s and short numbers', async () => {
    const { scrubSecrets } = await import('./redact');
    expect(scrubSecrets('add install code 83FED3407A939723A5C639B26916D505C3B5 for 0011223344556677')).toBe('add install code [redacted] for 0011223344556677');
    expect(scrubSecrets('nwk key [1,3,5,7,9,11,13,15,0,2,4,6,8,10,12,13] set')).toBe('nwk key [redacted] set');
    expect(scrubSecrets('panId 0x1a62, channel 15, [1,2,3]')).toBe('panId 0x1a62, channel 15, [1,2,3]');
  });
});

describe('log rotation and modes', () => {
  it('caps each file and all files together, and writes them private', async () => {
    const { statSync } = await import('node:fs');
    const rotating = mkdtempSync(join(tmpdir(), 'han-log-rot-'));
    try {
      const log = createLogger({ dir: rotating, rotation: { maxFileBytes: 20_000, maxTotalBytes: 60_000, keepPerDay: 3 } });
      // What 2,000 refused requests with long paths did: 30 MB in under a second. Now bounded.
      for (let i = 0; i < 2000; i++) log.warn('refused', { path: 'x'.repeat(500) });
      const files = readdirSync(rotating);
      const total = files.reduce((sum, name) => sum + statSync(join(rotating, name)).size, 0);
      expect(total).toBeLessThanOrEqual(60_000 + 20_000);
      expect(files.every((name) => statSync(join(rotating, name)).size <= 20_000)).toBe(true);
      expect(files).toContain(logFileName(new Date()));
      expect(files.some((name) => name.endsWith('.1.log'))).toBe(true);
      if (process.platform !== 'win32') {
        expect(statSync(rotating).mode & 0o777).toBe(0o700);
        for (const name of files) expect(statSync(join(rotating, name)).mode & 0o777).toBe(0o600);
      }
    } finally {
      rmSync(rotating, { recursive: true, force: true });
    }
  });
});
