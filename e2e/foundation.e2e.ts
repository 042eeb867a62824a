import AxeBuilder from '@axe-core/playwright';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { makeDataDir, startHost, type RunningHost } from './host-fixture';

const VALID_MPAN = '1200023305967'; // check digit 7 (weights 3,5,7,13,…)

let data: ReturnType<typeof makeDataDir>;
let host: RunningHost | undefined;

test.beforeEach(() => {
  data = makeDataDir();
});
test.afterEach(async () => {
  await host?.stop();
  host = undefined;
  data.remove();
});

async function createJob(page: Page, mpan: string): Promise<void> {
  await page.getByRole('button', { name: 'New job' }).click();
  await page.getByLabel('Premises address').fill('12 Meadow Lane');
  await page.getByLabel('Town').fill('Reading');
  await page.getByLabel('Postcode').fill('RG1 2AB');
  await page.getByLabel('MPAN (13 or 21 digits)').fill(mpan);
  await page.getByLabel('Engineer').fill('Sam Fitter');
  await page.getByRole('button', { name: 'Create job' }).click();
}

test('creates a job, rejects a bad MPAN, and keeps the job across a host restart', async ({ page }) => {
  host = await startHost(data.dir);
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Jobs', level: 1 })).toBeVisible();

  await createJob(page, '1200023305968');
  await expect(page.locator('#job-mpan-error')).toContainText('check digit');
  await expect(page.locator('#job-mpan-error')).toContainText('7');

  await page.getByLabel('MPAN (13 or 21 digits)').fill(VALID_MPAN);
  await page.getByRole('button', { name: 'Create job' }).click();
  const table = page.getByTestId('jobs-table');
  await expect(table).toContainText(VALID_MPAN);
  await expect(page.getByTestId('job-integrity')).toContainText('hash chain verified');

  await host.stop();
  host = await startHost(data.dir);
  await page.goto(host.url);
  await expect(page.getByTestId('jobs-table')).toContainText(VALID_MPAN);
  await expect(page.getByTestId('jobs-table')).toContainText('12 Meadow Lane');
});

test('a job whose record was altered is reported on the Jobs screen, not silently dropped', async ({ page }) => {
  host = await startHost(data.dir);
  await page.goto(host.url);
  await createJob(page, VALID_MPAN);
  await expect(page.getByTestId('jobs-table')).toContainText(VALID_MPAN);
  await host.stop();
  const jobsDir = join(data.dir, 'jobs');
  const [file] = readdirSync(jobsDir).filter((name) => name.endsWith('.jsonl'));
  const path = join(jobsDir, file!);
  writeFileSync(path, readFileSync(path, 'utf8').replace('12 Meadow Lane', '13 Meadow Lane'));
  host = await startHost(data.dir);
  await page.goto(host.url);
  await expect(page.getByRole('alert').filter({ hasText: 'cannot be opened' })).toContainText(file!.replace('.jsonl', ''));
  await expect(page.getByText('No jobs yet.')).toBeVisible();
});

test('the dongle panel lists the training premises dongles', async ({ page }) => {
  host = await startHost(data.dir);
  await page.goto(host.url);
  await expect(page.getByText('Training premises: emulated dongles')).toBeVisible();
  const dongles = page.getByTestId('dongle');
  await expect(dongles.first()).toBeVisible();
  await expect(dongles.filter({ hasText: 'emulated' }).first()).toContainText('tcp://127.0.0.1:');
});

test('refuses requests without the token and from other origins', async ({ page, request }) => {
  host = await startHost(data.dir);
  const bare = await request.get(`${host.origin}/`);
  expect(bare.status()).toBe(401);
  const wrongToken = await request.get(`${host.origin}/?token=not-the-token`);
  expect(wrongToken.status()).toBe(401);
  const token = new URL(host.url).searchParams.get('token')!;
  const foreign = await request.get(`${host.origin}/?token=${token}`, { headers: { origin: 'http://evil.example' } });
  expect(foreign.status()).toBe(401);
  // A page on another origin cannot open the IPC socket even with the token.
  await page.goto(`${host.origin}/?token=${token}`);
  const refused = await page.evaluate(async (port) => {
    return new Promise<string>((resolve) => {
      const ws = new WebSocket(`ws://localhost:${port}/ipc`); // no token, no cookie for this host name
      ws.onopen = () => resolve('open');
      ws.onerror = () => resolve('refused');
    });
  }, new URL(host.origin).port);
  expect(refused).toBe('refused');
});

test('every screen passes an accessibility scan', async ({ page }) => {
  host = await startHost(data.dir);
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Jobs', level: 1 })).toBeVisible();
  for (const name of ['Jobs', 'Install', 'HAN', 'M-Bus', 'Diagnostics', 'DCC', 'Reports', 'Settings']) {
    await page.getByRole('navigation').getByRole('button', { name, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    for (const theme of ['light', 'dark', 'contrast']) {
      await page.getByLabel('Theme').selectOption(theme);
      const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']).analyze();
      const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(serious.map((v) => `${name}/${theme}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    }
  }
});
