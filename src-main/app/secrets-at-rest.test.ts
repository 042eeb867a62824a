import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { installCodeCrcHex } from '../../src-shared/model/install-code-crc';
import { createAppServices } from './app-services';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const dataDir = mkdtempSync(join(tmpdir(), 'han-secrets-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('secrets at rest', () => {
  it('leaves no install code in plain text anywhere in the data folder, its logs, or what the renderer receives', async () => {
    const code = '83FED3407A939723A5C639B26916D505';
    const withCrc = code + installCodeCrcHex(Buffer.from(code, 'hex'));
    const services = await createAppServices({ dataDir, owner: 'test', premises: 'off', engineer: 'Tester', pollIntervalMs: 60_000 });
    const created = await services.dispatch('jobs:create', {
      premises: { address: { line1: '1 Test Street', town: 'Reading', postcode: 'RG1 1AA' }, mpan: '1200023305967' },
      devices: [{ type: 'ESME', eui64: '0011223344556677', installCode: withCrc }],
    });
    expect(created.ok).toBe(true);
    const id = created.ok ? (created.value as { id: string }).id : '';
    // A second device by label, and a rejected one with a wrong CRC: the failure is logged, the code must not be.
    expect((await services.dispatch('jobs:addDevice', { id, device: { type: 'IHD', installCode: `Z:0011223344556688$I:${withCrc}` } })).ok).toBe(true);
    const wrong = await services.dispatch('jobs:addDevice', { id, device: { type: 'PPMID', installCode: code + '0000' } });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    const view = await services.dispatch('jobs:get', { id });
    expect(JSON.stringify(view)).not.toContain(code);
    expect(JSON.stringify(view)).toContain('"hasInstallCode":true');
    await services.close();

    const files = filesUnder(dataDir);
    expect(files.some((f) => f.includes(`${join(dataDir, 'logs')}`))).toBe(true);
    expect(files.some((f) => f.endsWith('.jsonl') && f.includes('jobs'))).toBe(true);
    for (const file of files) {
      const content = readFileSync(file);
      for (const needle of [code, code.toLowerCase(), withCrc]) {
        expect(content.includes(needle), `${file} contains the install code`).toBe(false);
        expect(content.includes(Buffer.from(needle, 'hex')), `${file} contains the install code bytes`).toBe(false);
      }
    }
  });

  it.runIf(process.platform !== 'win32')('creates every folder 0700 and every file 0600 under a loose umask, logs included', async () => {
    const previous = process.umask(0o022);
    const dir = mkdtempSync(join(tmpdir(), 'han-modes-'));
    try {
      const services = await createAppServices({ dataDir: dir, owner: 'test', premises: 'off', engineer: 'Tester', pollIntervalMs: 60_000 });
      await services.dispatch('jobs:create', {
        premises: { address: { line1: '1 Test Street', town: 'Reading', postcode: 'RG1 1AA' }, mpan: '1200023305967' },
      });
      services.log.info('a line');
      await services.close();
      const loose = [dir, ...entriesUnder(dir)].filter((path) => {
        const { mode } = statSync(path);
        return (mode & 0o077) !== 0;
      });
      expect(loose.map((path) => `${path} ${(statSync(path).mode & 0o777).toString(8)}`)).toEqual([]);
      expect(entriesUnder(dir).some((path) => path.includes('logs'))).toBe(true);
    } finally {
      process.umask(previous);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function entriesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? [path, ...entriesUnder(path)] : [path];
  });
}
