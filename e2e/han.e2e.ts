import AxeBuilder from '@axe-core/playwright';
import { createJob, expect, test } from './host-fixture';

test('commissions the training premises HAN: device log by typed labels, joining, interview, IHD pairing and a reading with its unit', async ({
  page,
  hosts,
}) => {
  test.setTimeout(150_000);
  const host = await hosts.start();
  await page.goto(host.url);

  await createJob(page, { line1: '3 Station Road', town: 'Swindon', postcode: 'SN1 1AA' });

  await page.getByRole('button', { name: 'HAN', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'HAN', level: 1 })).toBeVisible();
  await page.getByLabel('Channel', { exact: true }).selectOption('25');
  await page.getByRole('button', { name: 'Start network' }).click();
  await expect(page.getByTestId('han-network')).toContainText('Running', { timeout: 30_000 });
  await expect(page.getByTestId('han-network').locator('dd').nth(2)).toHaveText('25');
  await expect(page.getByTestId('han-network')).toContainText('TI Z-Stack');

  // A wrong CRC is refused live as misread; the computed CRC is only a diagnostic behind a disclosure.
  const labels = await page.getByTestId('han-training-labels').locator('li').allInnerTexts();
  expect(labels).toHaveLength(4);
  const first = labels[0]!.split(': ')[1]!.trim();
  const lastDigit = first.slice(-1) === '0' ? '1' : '0';
  const wrong = first.slice(0, -1) + lastDigit;
  await page.getByLabel('Install code or label').fill(wrong);
  await expect(page.getByTestId('han-code-validation')).toContainText('misread');
  await expect(page.getByTestId('han-code-validation').getByText(/CRC computed/)).toBeHidden();
  await page.getByTestId('han-code-validation').getByText('Diagnostic details').click();
  await expect(page.getByTestId('han-code-validation').getByText(/CRC computed/)).toBeVisible();

  // A keyboard-wedge scanner used while nothing has focus: the Enter that ends the scan adds the entry.
  await page.getByLabel('Install code or label').fill('');
  await page.getByRole('heading', { name: 'Device log' }).click();
  await page.keyboard.type(labels[0]!.split(': ')[1]!.trim(), { delay: 2 });
  await page.keyboard.press('Enter');
  await expect(page.getByText('1 of 16 devices')).toBeVisible();
  await expect(page.getByLabel('Install code or label')).toHaveValue('');

  // Type each label and press Enter in the field (as a scanner does when the field has focus).
  for (const line of labels.slice(1)) {
    await page.getByLabel('Install code or label').fill(line.split(': ')[1]!.trim());
    await expect(page.getByTestId('han-code-validation')).toContainText('CRC');
    await page.getByLabel('Install code or label').press('Enter');
    await expect(page.getByLabel('Install code or label')).toHaveValue('');
  }
  await expect(page.getByText('4 of 16 devices')).toBeVisible();
  await expect(page.getByTestId('han-last-added')).toContainText('link key');

  await page.getByRole('button', { name: 'Open joining' }).click();
  await expect(page.getByTestId('han-join-status')).toContainText('Joining open');
  await expect(page.getByTestId('han-devices').getByTestId('han-device-state').filter({ hasText: 'Ready' })).toHaveCount(4, { timeout: 90_000 });

  // Pair the IHD with the ESME and see the proof.
  const ihdRow = page.locator('tr', { has: page.getByRole('cell', { name: 'IHD', exact: true }) });
  const esmeRow = page.locator('tr', { has: page.getByRole('cell', { name: 'ESME', exact: true }) });
  const esmeEui = (await esmeRow.locator('td').nth(1).innerText()).trim();
  await page.getByRole('button', { name: 'Refresh LQI (neighbour table)' }).click();
  await expect(esmeRow.locator('td').nth(3)).toHaveText(/^\d+$/);
  await ihdRow.getByLabel('Meter').selectOption({ label: `ESME ${esmeEui}` });
  await ihdRow.getByRole('button', { name: 'Pair' }).click();
  await expect(ihdRow.getByTestId('han-pairing')).toContainText('binding confirmed', { timeout: 30_000 });
  await expect(ihdRow.getByText(`Paired with ${esmeEui}`)).toBeVisible();

  // Read the ESME: the value comes with its unit.
  await esmeRow.getByRole('button', { name: 'Read' }).click();
  await expect(esmeRow.getByTestId('han-reading')).toContainText('kWh');

  // Unpair too.
  await ihdRow.getByRole('button', { name: 'Unpair' }).click();
  await expect(ihdRow.getByText(`Paired with ${esmeEui}`)).toHaveCount(0);

  for (const theme of ['light', 'dark', 'contrast']) {
    await page.getByLabel('Theme').selectOption(theme);
    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag22aa']).analyze();
    expect(axe.violations.map((v) => `${theme}: ${v.id}`)).toEqual([]);
  }
});
