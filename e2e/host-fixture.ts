import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { expect, test as base, type Page } from '@playwright/test';

export interface RunningHost {
  readonly url: string;
  readonly origin: string;
  stop(): Promise<void>;
}

/** A fresh data directory per test, removed afterwards. */
export function makeDataDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'han-e2e-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Starts `npm run serve`'s host process (without the build step: e2e builds once beforehand) and resolves with
 * the URL it prints. Waits on that line, never on a sleep.
 */
export async function startHost(dataDir: string, env: Record<string, string> = {}): Promise<RunningHost> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src-main/host/serve.ts'], {
    env: { ...process.env, HAN_DATA_DIR: dataDir, HAN_PREMISES: 'on', HAN_ENGINEER: 'E2E Engineer', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`web host did not start within 30 s: ${stderr}`)), 30_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line.trim());
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`web host exited with ${code}: ${stderr}`));
    });
  });
  return {
    url,
    origin: new URL(url).origin,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Starts web hosts on this test's own data directory; every host started is stopped after the test. */
export interface HostStarter {
  readonly dataDir: string;
  start(env?: Record<string, string>): Promise<RunningHost>;
}

/**
 * The e2e `test`: each test gets a fresh data directory and `hosts.start()` for the web host on it
 * (start it again to test a restart). Cleanup is the fixture's job, not each file's.
 */
export const test = base.extend<{ hosts: HostStarter }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright requires a destructuring pattern here
  hosts: async ({}, use) => {
    const data = makeDataDir();
    const started: RunningHost[] = [];
    await use({
      dataDir: data.dir,
      async start(env) {
        const host = await startHost(data.dir, env);
        started.push(host);
        return host;
      },
    });
    for (const host of started) await host.stop();
    data.remove();
  },
});

export { expect };

export interface JobFields {
  readonly line1?: string;
  readonly town?: string;
  readonly postcode?: string;
  readonly mpan?: string;
  readonly engineer?: string;
}

/** Fills and submits the New job form (valid defaults; pass fields to vary them). */
export async function createJob(page: Page, fields: JobFields = {}): Promise<void> {
  await page.getByRole('button', { name: 'New job' }).click();
  await page.getByLabel('Premises address').fill(fields.line1 ?? '12 Meadow Lane');
  await page.getByLabel('Town').fill(fields.town ?? 'Reading');
  await page.getByLabel('Postcode').fill(fields.postcode ?? 'RG1 2AB');
  await page.getByLabel('MPAN (13 or 21 digits)').fill(fields.mpan ?? VALID_MPAN);
  await page.getByLabel('Engineer').fill(fields.engineer ?? 'Sam Fitter');
  await page.getByRole('button', { name: 'Create job' }).click();
}

/** A 13-digit MPAN core whose check digit (7) is right. */
export const VALID_MPAN = '1200023305967';
