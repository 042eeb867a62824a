import AxeBuilder from '@axe-core/playwright';
import { createJob, expect, test, VALID_MPAN } from './host-fixture';

test('scans the wired bus, reads a meter, lists wireless meters (manufacturer-specific ones too), and decrypts one after its key is entered', async ({
  page,
  hosts,
}) => {
  const host = await hosts.start();
  await page.goto(host.url);
  await createJob(page, { line1: '3 Station Road', town: 'Leeds', postcode: 'LS6 1AA' });
  await expect(page.getByTestId('jobs-table')).toContainText(VALID_MPAN);
  await page.getByRole('button', { name: 'M-Bus', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'M-Bus', level: 1 })).toBeVisible();
  await expect(page.getByTestId('mbus-wired-status')).toContainText('training premises');

  // Wired: primary scan of 0-8 finds the four slaves and reports the two sharing address 3.
  await page.getByLabel('Last primary address').fill('8');
  await page.getByRole('button', { name: 'Scan primary addresses' }).click();
  await expect(page.getByTestId('mbus-primary-meters')).toContainText('12345678');
  await expect(page.getByTestId('mbus-primary-meters')).toContainText('1A2B3C4D');
  await expect(page.getByTestId('mbus-collisions')).toContainText('3');

  // A meter found goes into the open job's device list, under its full address.
  await page.getByTestId('mbus-primary-meters').getByRole('button', { name: 'Add meter 12345678 to the job' }).click();
  await expect(page.getByText('Added to the job: M-Bus KAM 12345678 v8 heat (primary 1)')).toBeVisible();

  // Read the multi-telegram meter: three telegrams with their records.
  await page.getByRole('button', { name: 'Read meter 87654321' }).click();
  await expect(page.getByTestId('mbus-telegram')).toHaveCount(3);
  await expect(page.getByTestId('mbus-records').first()).toContainText('energy');

  // Wireless: the walk-by list fills from the emulated Amber stick.
  await expect(page.getByTestId('mbus-wireless-status')).toContainText('AMB8465');
  const wireless = page.getByTestId('mbus-wireless');
  await expect(wireless).toContainText('20242024', { timeout: 30_000 });
  await expect(wireless).toContainText('76543210', { timeout: 30_000 });

  // A meter with a manufacturer-specific payload (CI 0xA2) is listed with what is known, its bytes shown.
  await expect(wireless).toContainText('55443322', { timeout: 30_000 });
  await expect(wireless.getByRole('row', { name: /55443322/ })).toContainText('Header only: manufacturer-specific payload, CI 0xA2');
  await page.getByRole('button', { name: 'Show meter TCH 55443322' }).click();
  await expect(page.getByTestId('mbus-undecoded')).toContainText('manufacturer-specific payload, CI 0xA2');
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.screenshot({ path: 'test-results/mbus-walk-by.png', fullPage: false });
  await page.getByRole('button', { name: 'Show meter KAM 76543210' }).click();
  await expect(page.getByTestId('mbus-telegram')).toContainText('not decrypted');

  // Key entry: the mode 7 water meter decrypts and shows its values.
  await page.getByLabel('AES key for KAM 76543210 (32 hex digits)').fill('000102030405060708090A0B0C0D0E0F');
  await page.getByRole('button', { name: 'Save key' }).click();
  await expect(page.getByTestId('mbus-telegram')).toContainText('decrypted and verified');
  await expect(page.getByTestId('mbus-records')).toContainText('m3');

  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag22aa']).analyze();
  expect(axe.violations).toEqual([]);
});

test('the walk-by list keeps the most recently heard meters, says how many were dropped, and fits a 1366-px screen', async ({ page, hosts }) => {
  // A list of three: the training stick's five meters cannot all stay, so some are always dropped.
  const host = await hosts.start({ HAN_WALK_BY_CAPACITY: '3' });
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(host.url);
  await page.getByRole('button', { name: 'M-Bus', exact: true }).click();
  const wireless = page.getByTestId('mbus-wireless');
  await expect(page.getByTestId('mbus-wireless-dropped')).toContainText(
    /\d+ meters? heard earlier (is|are) no longer listed: the list keeps the 3 most recently heard/,
    {
      timeout: 30_000,
    },
  );
  await expect(wireless.locator('tbody tr')).toHaveCount(3);
  // The table fits the screen's column: nothing to scroll sideways.
  const overflow = await page.getByTestId('mbus-wireless').evaluate((table) => table.parentElement!.scrollWidth - table.parentElement!.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await wireless.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/mbus-walk-by-bounded.png', fullPage: false });
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag22aa']).analyze();
  expect(axe.violations).toEqual([]);
});
