import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileSecretStore } from '../secrets/file-secret-store';
import { silentLogger } from '../util/logger';
import { KEYS_FILE, MeterKeyFile } from './key-file';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function keyFile(): Promise<{ file: MeterKeyFile; dataDir: string; secrets: FileSecretStore }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'han-keys-'));
  dirs.push(dataDir);
  const secrets = await FileSecretStore.open(dataDir);
  return { file: new MeterKeyFile({ secrets, dataDir, log: silentLogger }), dataDir, secrets };
}

const meter = (n: number) => ({ manufacturer: 'KAM', id: String(10_000_000 + n), version: 1, deviceType: 7 });
const keyOf = (n: number) => n.toString(16).padStart(32, '0').toUpperCase();

describe('meter key file (issue 15 item 8)', () => {
  it('keeps every key of 40 concurrent saves, on disk and after a reload, with no temp file left', async () => {
    const { file, dataDir, secrets } = await keyFile();
    await Promise.all(Array.from({ length: 40 }, (_, n) => file.set(meter(n), keyOf(n + 1))));
    await Promise.all(Array.from({ length: 10 }, (_, n) => file.set(meter(n), null)));
    for (let n = 0; n < 40; n++) expect(file.keys.has(meter(n))).toBe(n >= 10);
    expect(readdirSync(dataDir).filter((name) => name.includes(KEYS_FILE))).toEqual([KEYS_FILE]);
    const text = readFileSync(join(dataDir, KEYS_FILE), 'utf8');
    expect(text).not.toContain(keyOf(11)); // sealed, never plain
    const reloaded = new MeterKeyFile({ secrets, dataDir, log: silentLogger });
    await reloaded.load();
    for (let n = 0; n < 40; n++) expect(reloaded.keys.has(meter(n))).toBe(n >= 10);
    const material = reloaded.keys.lookup(meter(20))!;
    const bytes = material instanceof Uint8Array ? material : material.bytes;
    expect(Buffer.from(bytes).toString('hex').toUpperCase()).toBe(keyOf(21));
  });

  it('changes nothing in memory or on disk when the save fails, and says so without a path', async () => {
    const { file, dataDir } = await keyFile();
    await file.set(meter(1), keyOf(1));
    const before = readFileSync(join(dataDir, KEYS_FILE), 'utf8');
    // A folder where the temp file would go makes every write fail, even for root.
    rmSync(join(dataDir, KEYS_FILE));
    mkdirSync(join(dataDir, KEYS_FILE));
    writeFileSync(join(dataDir, KEYS_FILE, 'occupied'), '');
    const failure = await file.set(meter(2), keyOf(2)).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(failure?.message).toMatch(/not saved.*Nothing was changed/);
    expect(failure?.message).not.toContain(dataDir);
    expect(failure?.stack ?? '').not.toContain(dataDir);
    expect(file.keys.has(meter(2))).toBe(false);
    expect(file.keys.has(meter(1))).toBe(true);
    expect(readdirSync(dataDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(before).toContain('"KAM"');
  });
});
