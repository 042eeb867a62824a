import type { Page } from '@playwright/test';
import { expectAxeCleanInEveryTheme } from './record-helpers';
import { createJob, expect, test } from './host-fixture';

/** Issue 8 item 16: dates, times and numbers follow the engineer's locale (en-GB by default), kept by main. */

/** The first timeline entry's time as this browser's local calendar date, written day-first and month-first. */
async function firstEventDates(page: Page): Promise<{ dayFirst: string; monthFirst: string }> {
  const iso = await page.locator('.timeline li time').first().getAttribute('datetime');
  return page.evaluate((value) => {
    const date = new Date(value!);
    const two = (n: number): string => String(n).padStart(2, '0');
    const [d, m, y] = [two(date.getDate()), two(date.getMonth() + 1), String(date.getFullYear())];
    return { dayFirst: `${d}/${m}/${y}`, monthFirst: `${m}/${d}/${y}` };
  }, iso);
}

test('the engineer chooses the date format in Settings; every screen follows it, and a restart keeps it', async ({ page, hosts }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  let host = await hosts.start();
  await page.goto(host.url);
  await createJob(page);
  const { dayFirst, monthFirst } = await firstEventDates(page);
  const firstEvent = page.locator('.timeline li time').first();
  // en-GB by default, whatever the browser's own default is; the local time carries its offset from UTC.
  await expect(firstEvent).toHaveText(new RegExp(`^${dayFirst} \\d{2}:\\d{2} UTC[+-]\\d{2}:\\d{2}$`));
  await expect(page.getByTestId('jobs-table')).toContainText(dayFirst);

  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const picker = page.getByLabel('Date, time and number format');
  await expect(picker).toHaveValue('en-GB');
  await expect(picker.locator('option[value="en-GB"]')).toHaveText('English (UK): 30/11/2026 09:13');
  await expect(picker.locator('option[value="en-US"]')).toHaveText('English (US): 11/30/2026 09:13');
  await picker.selectOption('en-US');
  await expect(page.getByTestId('locale-now')).toHaveText(/^Now: \d{2}\/\d{2}\/\d{4} \d{2}:\d{2} UTC[+-]\d{2}:\d{2}$/);
  await page.screenshot({ path: 'test-results/settings-locale-1366.png' });
  await expectAxeCleanInEveryTheme(page, 'Settings');

  // The Jobs screen (timeline and table) now writes the month first.
  await page.getByRole('button', { name: 'Jobs', exact: true }).click();
  await expect(firstEvent).toHaveText(new RegExp(`^${monthFirst} \\d{2}:\\d{2} UTC[+-]\\d{2}:\\d{2}$`));
  await expect(page.getByTestId('jobs-table')).toContainText(monthFirst);

  // Main keeps the choice in the data folder: a restart (new port, so new browser storage) comes back in en-US.
  await host.stop();
  host = await hosts.start();
  await page.goto(host.url);
  await expect(firstEvent).toHaveText(new RegExp(`^${monthFirst} `));
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await expect(picker).toHaveValue('en-US');
  await picker.selectOption('en-GB');
  await page.getByRole('button', { name: 'Jobs', exact: true }).click();
  await expect(firstEvent).toHaveText(new RegExp(`^${dayFirst} `));
});
