import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { createPremisesModel } from '../src-main/premises/premises-model';
import { expect, test } from './host-fixture';

const SHOTS = 'test-results/install-screens';

function workOrder(reference: string, devices: object[]): string {
  return JSON.stringify({
    format: 'han-commissioner.work-order',
    version: 1,
    reference,
    appointment: { start: '2026-11-30T08:00:00Z' },
    engineer: 'Sam Fitter',
    premises: { address: { line1: '12 Meadow Lane', town: 'Reading', postcode: 'RG1 2AB' }, mpan: '1200023305967' },
    devices,
  });
}

async function importAndOpenInstall(page: Page, url: string, order: string): Promise<void> {
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(url);
  await page.getByRole('button', { name: 'Import work order' }).click();
  // The engineer's way in: the work order file, picked (drag and drop and the support paste take the same path).
  await page.getByLabel('Work order file (.json)').setInputFiles({ name: 'work-order.json', mimeType: 'application/json', buffer: Buffer.from(order) });
  await page.getByRole('button', { name: 'Install', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Install', level: 1 })).toBeVisible();
}

const step = (page: Page, key: string) => page.getByTestId(`install-step-${key}`);

/** Runs the current step and waits for its stepper entry to reach `status`. */
async function runStep(page: Page, key: string, status = 'done'): Promise<void> {
  await step(page, key).getByRole('button').click();
  await page.getByRole('button', { name: /^(Run|Retry) this step$/ }).click();
  await expect(step(page, key)).toHaveAttribute('data-status', status, { timeout: 60_000 });
}

test('own-network visit from an imported work order: labels scanned, every step run, completed', async ({ page, hosts }) => {
  const host = await hosts.start();
  await importAndOpenInstall(page, host.url, workOrder('WO-E2E-OWN', [{ type: 'ESME' }, { type: 'IHD' }]));
  await page.getByRole('button', { name: /Own network/ }).click();
  await expect(step(page, 'form-network')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/own-start.png` });

  await runStep(page, 'form-network');
  // The device log needs each device's label: the training premises prints them; scan them in (a wedge types + Enter).
  await expect(step(page, 'device-log')).toHaveAttribute('data-status', 'waiting');
  await page.locator('.install-identify summary').click();
  const printed = await page.locator('.install-identify details li').allTextContents();
  const labelOf = (type: string): string => printed.find((l) => l.startsWith(`${type}:`))!.split(': ')[1]!;
  await page.getByLabel('Label of ESME D1').fill(labelOf('ESME'));
  await page.getByLabel('Label of ESME D1').press('Enter');
  await page.getByLabel('Label of IHD D2').fill('Z:00124B0000000000$I:0000');
  await page.getByLabel('Label of IHD D2').press('Enter');
  await expect(page.getByRole('alert')).toContainText(/install code/i);
  await page.getByLabel('Label of IHD D2').fill(labelOf('IHD'));
  await page.getByLabel('Label of IHD D2').press('Enter');
  await expect(page.getByLabel('Label of IHD D2')).toHaveCount(0);
  await runStep(page, 'device-log');
  for (const key of ['join:D1', 'join:D2', 'interview:D1', 'interview:D2', 'read:D1', 'pair-ihd']) await runStep(page, key);
  await step(page, 'mbus-meters').getByRole('button').click();
  await page.getByRole('button', { name: 'Run this step' }).click();
  await expect(step(page, 'mbus-meters')).toHaveAttribute('data-status', 'skipped');
  await expect(step(page, 'mbus-meters')).toContainText('The job lists no M-Bus meters');

  // Verification needs the display reading; the Run button says so until it is entered.
  await step(page, 'verification').getByRole('button').click();
  await expect(page.getByRole('button', { name: 'Run this step' })).toBeDisabled();
  await expect(page.getByText('Enter the Meter display reading first.')).toBeVisible();
  const display = await page.evaluate(async () => {
    const han = (globalThis as unknown as { han: { invoke(c: string, a: unknown): Promise<{ ok: boolean; value: { trainingMeterDisplayKWh?: string } }> } })
      .han;
    return (await han.invoke('dcc:status', undefined)).value.trainingMeterDisplayKWh!;
  });
  await page.getByLabel('Reading on the meter display').fill(display);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.screenshot({ path: `${SHOTS}/own-verification.png` });
  await runStep(page, 'verification');
  await step(page, 'verification').getByRole('button').click();
  await expect(page.getByTestId('install-step-summary')).toContainText('HAN vs display: pass; HAN vs DCC: pass');

  await step(page, 'completion').getByRole('button').click();
  await page.getByRole('button', { name: 'Complete the visit' }).click();
  await expect(page.getByTestId('install-outcome')).toContainText('Outcome: Completed');
  await page.screenshot({ path: `${SHOTS}/own-completed.png`, fullPage: true });
  const euis = await page.evaluate(async () => {
    const han = (globalThis as unknown as { han: { invoke(c: string, a: unknown): Promise<{ value: unknown }> } }).han;
    const jobs = (await han.invoke('jobs:list', undefined)).value as { id: string }[];
    const view = (await han.invoke('install:view', { jobId: jobs[0]!.id })).value as { jobId: string; devices: { eui64: string }[] };
    return { jobId: view.jobId, euis: view.devices.map((d) => d.eui64) };
  });

  // The visit's events make the install report: export it and read it back.
  await page.getByRole('button', { name: 'Reports', exact: true }).click();
  await page.getByRole('button', { name: 'Generate report' }).click();
  await expect(page.locator('#generate-message')).toContainText('Report written to');
  const folder = join(hosts.dataDir, 'reports', euis.jobId);
  const pdf = join(
    folder,
    readdirSync(folder).find((n) => n.endsWith('.pdf'))!,
  );
  const json = join(
    folder,
    readdirSync(folder).find((n) => n.endsWith('.json'))!,
  );
  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  expect(text).toContain('1200023305967');
  for (const eui of euis.euis) expect(text).toContain(eui);
  expect(text).toMatch(/pass/i);
  const detached = join(hosts.dataDir, 'detached.json');
  execFileSync('pdfdetach', ['-save', '1', '-o', detached, pdf]);
  expect(readFileSync(detached, 'utf8')).toBe(readFileSync(json, 'utf8'));
  expect(JSON.parse(readFileSync(json, 'utf8'))).toMatchObject({ format: 'han-commissioner.install-report' });
  await page.getByRole('button', { name: 'Install', exact: true }).click();

  for (const theme of ['light', 'dark', 'contrast']) {
    await page.getByLabel('Theme').selectOption(theme);
    const scan = await new AxeBuilder({ page }).analyze();
    expect(scan.violations, theme).toEqual([]);
  }
});

test('an aborted visit records its industry reason and words', async ({ page, hosts }) => {
  const host = await hosts.start();
  await importAndOpenInstall(page, host.url, workOrder('WO-E2E-ABORT', [{ type: 'ESME' }, { type: 'GSME' }]));
  await page.getByRole('button', { name: /Live Comms Hub/ }).click();
  await page.locator('.install-more summary', { hasText: 'Abort the visit' }).click();
  await expect(page.getByRole('button', { name: 'Abort the visit' })).toBeDisabled();
  await page.getByLabel('Abort reason').selectOption('Unable to establish HAN – meter not installed');
  await page.getByLabel('What happened').fill('Gas meter position has no HAN signal from the hub');
  await page.getByRole('button', { name: 'Abort the visit' }).click();
  await expect(page.getByTestId('install-outcome')).toContainText(
    'Outcome: Aborted — Unable to establish HAN – meter not installed: Gas meter position has no HAN signal',
  );
  await page.screenshot({ path: `${SHOTS}/aborted.png` });
  // A new visit can be started on the aborted job.
  await expect(page.getByRole('heading', { name: 'Start the visit: choose its route' })).toBeVisible();
});

test('live Comms Hub visit through the DCC simulator: 8.1.1 and 8.7.1 signed and sent, the visit ends completed', async ({ page, hosts }) => {
  // The web host's training premises (seed 1): its hub, meter, IHD and PPMID, as a work order would list them.
  const premises = createPremisesModel(1);
  const device = (type: string) => premises.devices.find((d) => d.type === type)!;
  const order = workOrder(
    'WO-E2E-LIVE',
    ['CHF', 'ESME', 'IHD', 'PPMID'].map((type) => ({
      type,
      eui64: device(type).eui64,
      ...(type === 'CHF' ? {} : { installCode: device(type).installCode + device(type).installCodeCrc }),
    })),
  );
  const host = await hosts.start();
  await importAndOpenInstall(page, host.url, order);
  await page.getByRole('button', { name: /Live Comms Hub/ }).click();

  await expect(page.getByRole('button', { name: 'Run this step' })).toBeDisabled();
  await page.getByLabel('The job details match the premises').check();
  await page.getByLabel('MPAN confirmed on site').check();
  await page.getByRole('button', { name: 'Save' }).click();
  await runStep(page, 'arrival');
  await page.getByLabel('Reason to skip this step').fill('New connection: no meters to remove');
  await page.getByRole('button', { name: 'Skip with this reason' }).click();
  await expect(step(page, 'remove-meters')).toHaveAttribute('data-status', 'skipped');
  await page.getByLabel('Comms Hub ID (EUI-64 on the hub label)').fill(device('CHF').eui64);
  await page.getByRole('button', { name: 'Save' }).click();
  await runStep(page, 'fit-comms-hub');
  await runStep(page, 'whitelist:D2');
  await runStep(page, 'await-join:D2');
  // Critical: Transform's pre-command checked and signed with the test User's key, then sent; the ESME's signed answer verified.
  await runStep(page, 'commission:D2');
  await runStep(page, 'first-read:D2');
  await runStep(page, 'whitelist:D3');
  await runStep(page, 'await-join:D3');
  await runStep(page, 'join-service:D3');
  await runStep(page, 'whitelist:D4');
  await runStep(page, 'await-join:D4');
  // The PPMID joins the ESME by Method A: 8.7.1, the same critical path.
  await runStep(page, 'join-service:D4');
  await runStep(page, 'device-log-check');
  await page.getByLabel('The IHD shows electricity data').check();
  await page.getByRole('button', { name: 'Save' }).click();
  await runStep(page, 'ihd-pairing-check');
  await page.getByLabel('Reason to skip this step').fill('No RF diagnostics on this kit');
  await page.getByRole('button', { name: 'Skip with this reason' }).click();
  const display = await page.evaluate(async () => {
    const han = (globalThis as unknown as { han: { invoke(c: string, a: unknown): Promise<{ value: { trainingMeterDisplayKWh?: string } }> } }).han;
    return (await han.invoke('dcc:status', undefined)).value.trainingMeterDisplayKWh!;
  });
  await page.getByLabel('Reading on the meter display').fill(display);
  await page.getByRole('button', { name: 'Save' }).click();
  await runStep(page, 'verification');
  await page.getByRole('button', { name: 'Complete the visit' }).click();
  await expect(page.getByTestId('install-outcome')).toContainText('Outcome: Completed');
  await page.screenshot({ path: `${SHOTS}/live-completed.png`, fullPage: true });
  // The DCC screen's request log says which requests were critical and that we signed their pre-commands.
  await page.getByRole('button', { name: 'DCC', exact: true }).click();
  const log = page.getByTestId('dcc-request-log');
  await expect(log.getByRole('row').filter({ hasText: '8.1.1 Commission Device' })).toContainText('Critical: pre-command ECS70 checked and signed by us');
  await expect(log.getByRole('row').filter({ hasText: '8.7.1 Join Service (Critical)' })).toContainText('pre-command CS03A1 checked and signed');
  await log.getByRole('row').filter({ hasText: '8.1.1 Commission Device' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/live-dcc-log.png` });
});
