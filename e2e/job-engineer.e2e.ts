import { expectAxeCleanInEveryTheme } from './record-helpers';
import { createJob, expect, test } from './host-fixture';

/** Issue 8 item 7: the engineer is one person, asked once in a banner that blocks nothing, then remembered. */

test('HAN_ENGINEER presets the name; without it a dismissible banner asks once, and the name given is on the job and its events', async ({ page, hosts }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  // HAN_ENGINEER presets who is working: the New job form is prefilled with it and nothing asks.
  let host = await hosts.start({ HAN_ENGINEER: 'Pat Preset' });
  await page.goto(host.url);
  const banner = page.getByRole('form', { name: /Who is working today/ });
  await page.getByRole('button', { name: 'New job' }).click();
  await expect(page.getByLabel('Engineer')).toHaveValue('Pat Preset');
  await expect(banner).toHaveCount(0);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await host.stop();

  // Without it only the computer's user name is known: the banner asks, and the screen under it still works.
  host = await hosts.start({ HAN_ENGINEER: '' });
  await page.goto(host.url);
  await expect(banner).toBeVisible();
  await page.getByRole('button', { name: 'New job' }).click();
  await expect(page.getByLabel('Engineer')).toHaveValue('');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.screenshot({ path: 'test-results/engineer-banner-1366.png' });
  await expectAxeCleanInEveryTheme(page, 'Jobs (engineer banner)');
  // Dismissed, it goes for now (nothing is blocked); a reload asks again, since no name was given.
  await banner.getByRole('button', { name: 'Dismiss' }).click();
  await expect(banner).toHaveCount(0);
  await page.reload();
  await expect(banner).toBeVisible();
  await banner.getByLabel('Your name').fill('Robin Banner');
  await banner.getByRole('button', { name: 'Save' }).click();
  await expect(banner).toHaveCount(0);

  // The name given is remembered by main: it fills the job's Engineer field and names every event, across a restart.
  await host.stop();
  host = await hosts.start({ HAN_ENGINEER: '' });
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Jobs', level: 1 })).toBeVisible();
  await expect(banner).toHaveCount(0);
  await page.getByRole('button', { name: 'New job' }).click();
  await expect(page.getByLabel('Engineer')).toHaveValue('Robin Banner');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await createJob(page, { engineer: 'Robin Banner' });
  await expect(page.locator('.timeline li').first()).toContainText('Robin Banner');
});
