import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SessionFile } from './session-file';

describe('session file (kept by main in the data folder)', () => {
  const dirs: string[] = [];
  const dataDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'han-session-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('keeps the engineer’s locale across a restart (a new port, so new browser storage)', () => {
    const dir = dataDir();
    new SessionFile(dir).update({ locale: 'en-US', theme: 'dark' });
    expect(JSON.parse(readFileSync(join(dir, 'session.json'), 'utf8')).locale).toBe('en-US');
    expect(new SessionFile(dir).view()).toEqual({ locale: 'en-US', theme: 'dark' });
  });

  it('shows no locale (so en-GB) when the file names one this version does not offer, and keeps the rest', () => {
    const dir = dataDir();
    writeFileSync(join(dir, 'session.json'), JSON.stringify({ locale: 'xx-YY', screen: 'han' }));
    expect(new SessionFile(dir).view()).toEqual({ screen: 'han' });
  });
});
