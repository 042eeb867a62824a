import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURE_MPAN, recordVisit } from '../src-main/reports/visit-fixture.test-support';
import { expect, test } from './host-fixture';

test('Reports: generates the PDF, JSON and CSV of a recorded visit, previews it, downloads a copy of each file and verifies it while the app runs', async ({
  page,
  hosts,
}) => {
  // A live visit recorded in the data folder before the app starts (the install workflow writes the same events).
  const visit = await recordVisit({ devices: 3, finished: true, live: true, dataDir: hosts.dataDir });
  await visit.store.close();
  const host = await hosts.start();
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Reports' }).click();
  await expect(page.getByRole('heading', { name: 'Reports', level: 1 })).toBeVisible();
  await expect(page.getByText('No report has been written for this job yet.')).toBeVisible();
  const preview = page.getByTestId('report-preview');
  await expect(preview).toContainText(FIXTURE_MPAN);
  await expect(page.getByTestId('report-outcome')).toContainText('commissioned-pending');

  await page.getByRole('button', { name: 'Generate report' }).click();
  await expect(page.locator('#generate-message')).toContainText('Report written to');
  const list = page.getByTestId('report-list');
  await expect(list).toContainText('PDF');
  for (const eui64 of visit.eui64s) await expect(preview).toContainText(eui64);
  await expect(page.getByTestId('report-verification')).toContainText('PASS');
  await page.screenshot({ path: 'test-results/reports-screen.png', fullPage: false });
  await preview.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/reports-preview.png', fullPage: false });

  const folder = join(hosts.dataDir, 'reports', visit.jobId);
  const names = readdirSync(folder);
  const pdf = join(
    folder,
    names.find((n) => n.endsWith('.pdf'))!,
  );
  const json = join(
    folder,
    names.find((n) => n.endsWith('.json'))!,
  );
  expect(execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' })).toContain(FIXTURE_MPAN);
  const detached = join(hosts.dataDir, 'detached.json');
  execFileSync('pdfdetach', ['-save', '1', '-o', detached, pdf]);
  expect(readFileSync(detached, 'utf8')).toBe(readFileSync(json, 'utf8'));
  // The app holds the data folder; verify opens it read-only beside it.
  const verdict = execFileSync(process.execPath, ['--import', 'tsx', 'src-main/cli/main.ts', 'report', 'verify', pdf], {
    encoding: 'utf8',
    env: { ...process.env, HAN_DATA_DIR: hosts.dataDir },
  });
  expect(JSON.parse(verdict)).toMatchObject({ valid: true });

  // Save a copy: the web host has no save dialog, so each file is a browser download of the very bytes written.
  for (const format of ['pdf', 'json', 'csv']) {
    const written = names.find((n) => n.endsWith(`.${format}`))!;
    const downloading = page.waitForEvent('download');
    await list.getByRole('button', { name: new RegExp(`^Save a copy: ${format.toUpperCase()} · `) }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(written);
    const saved = join(hosts.dataDir, `downloaded.${format}`);
    await download.saveAs(saved);
    expect(readFileSync(saved).equals(readFileSync(join(folder, written)))).toBe(true);
    await expect(page.locator('#save-message')).toContainText(`${written} downloaded`);
  }
  await page.screenshot({ path: 'test-results/reports-downloaded.png', fullPage: false });

  for (const theme of ['light', 'dark', 'contrast']) {
    await page.getByLabel('Theme').selectOption(theme);
    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag22aa']).analyze();
    expect(axe.violations.map((v) => `${theme}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }
});
