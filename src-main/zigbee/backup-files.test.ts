import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FileSecretStore } from '../secrets/file-secret-store';
import { silentLogger } from '../util/logger';
import { herdsmanFiles, sweepPlainBackups } from './backup-files';
import { startRig, type Rig } from './test-rig.test-support';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const holdsKey = (dir: string, key: string): string[] => filesUnder(dir).filter((file) => readFileSync(file, 'latin1').toUpperCase().includes(key));

describe('herdsman coordinator backup at rest', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'han-backup-'));
  let secrets: FileSecretStore;
  let rig: Rig;
  beforeAll(async () => {
    secrets = await FileSecretStore.open(dataDir);
    rig = await startRig({ service: { secrets } });
  });
  afterAll(async () => {
    await rig.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('while the network runs, and after each of herdsman’s backups, no plain copy of the network key is on disk', async () => {
    const key = rig.service.network.networkKey;
    // Catch herdsman's daily backup timer as it is set during start, to run it now.
    const intervals = vi.spyOn(globalThis, 'setInterval');
    expect(await rig.service.start()).toBe('formed');
    const daily = intervals.mock.calls.find(([, ms]) => ms === 86_400_000)?.[0] as (() => void) | undefined;
    intervals.mockRestore();
    expect(daily).toBeDefined();
    // herdsman backed up at start (a fresh network); its daily timer calls the same controller.backup().
    expect(holdsKey(rig.jobDir, key)).toEqual([]);
    expect(existsSync(rig.service.files.sealedBackup)).toBe(true);
    const sealedBefore = readFileSync(rig.service.files.sealedBackup, 'utf8');
    daily!();
    await rig.waitFor(() => readFileSync(rig.service.files.sealedBackup, 'utf8') !== sealedBefore, 5000, 'the daily backup sealed');
    expect(holdsKey(rig.jobDir, key)).toEqual([]);
    const backup = (await rig.service.backup()) as { network_key: { key: string } };
    expect(backup.network_key.key.toUpperCase()).toBe(key);
    expect(holdsKey(rig.jobDir, key)).toEqual([]);
    // herdsman's own folder is private.
    if (process.platform !== 'win32') expect(statSync(join(rig.jobDir, '.herdsman')).mode & 0o777).toBe(0o700);
    // Stopping writes one more backup: sealed too, and a restart resumes from it.
    await rig.service.stop();
    expect(holdsKey(rig.jobDir, key)).toEqual([]);
    rig.service = await rig.openService({ secrets });
    expect(await rig.service.start()).toBe('resumed');
    expect(holdsKey(rig.jobDir, key)).toEqual([]);
  });

  it('a plain copy left by a crash is sealed and removed at app start, for every job', async () => {
    const jobDir = join(dataDir, 'han', 'J-20260101-0001');
    const files = herdsmanFiles(jobDir);
    mkdirSync(join(jobDir, '.herdsman'), { recursive: true });
    const plain = JSON.stringify({ network_key: { key: '0123456789ABCDEF0123456789ABCDEF' } });
    writeFileSync(join(jobDir, 'coordinator-backup.json'), plain, { mode: 0o644 }); // where earlier versions kept it
    writeFileSync(`${files.backup}.tmp`, plain);
    await sweepPlainBackups(dataDir, secrets, silentLogger);
    expect(holdsKey(jobDir, '0123456789ABCDEF0123456789ABCDEF')).toEqual([]);
    expect(JSON.parse(await secrets.decrypt(readFileSync(files.sealedBackup, 'utf8')))).toEqual(JSON.parse(plain));
  });
});
