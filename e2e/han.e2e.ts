import AxeBuilder from '@axe-core/playwright';
import { euiOfLabel, trainingLabels } from './record-helpers';
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
  await expect(page.getByTestId('crc-diagnostic')).toBeHidden();
  await page.getByTestId('han-code-validation').getByText('Diagnostic details').click();
  await expect(page.getByTestId('crc-diagnostic')).toBeVisible();

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
  await expect(esmeRow.locator('td').nth(3)).toHaveText(/^\d+/);
  await ihdRow.getByLabel('Meter').selectOption({ label: `ESME ${esmeEui}` });
  await ihdRow.getByRole('button', { name: 'Pair', exact: true }).click();
  await expect(ihdRow.getByTestId('han-pairing')).toContainText('binding confirmed', { timeout: 30_000 });
  await expect(ihdRow.getByText(`Paired with ESME ${esmeEui}`)).toBeVisible();

  // Read the ESME: the value comes with its unit.
  await esmeRow.getByRole('button', { name: 'Read' }).click();
  await expect(esmeRow.getByTestId('han-reading')).toContainText('kWh');

  // Unpair too.
  await ihdRow.getByRole('button', { name: 'Unpair' }).click();
  await expect(ihdRow.getByText(`Paired with ESME ${esmeEui}`)).toHaveCount(0);

  for (const theme of ['light', 'dark', 'contrast']) {
    await page.getByLabel('Theme').selectOption(theme);
    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag22aa']).analyze();
    expect(axe.violations.map((v) => `${theme}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }
});

test('one device list: job devices reach the device log and HAN entries reach the job; joining closes when all are ready; an IHD pairs with both meters; every action visible at 1366×768', async ({
  page,
  hosts,
}) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  const host = await hosts.start();
  await page.goto(host.url);
  await createJob(page, { line1: '7 Mill Road', town: 'Leeds', postcode: 'LS6 2BB' });

  // The training labels, from Settings.
  const labels = await trainingLabels(page);
  const euiOf = euiOfLabel;

  // The ESME goes on the job at the desk…
  await page.getByRole('button', { name: 'Jobs', exact: true }).click();
  await page.getByLabel('Install code', { exact: true }).fill(labels.ESME);
  await page.getByRole('button', { name: 'Add device' }).click();
  await expect(page.getByTestId('job-devices')).toContainText(euiOf(labels.ESME));

  // …and reaches the device log without typing it twice.
  await page.getByRole('button', { name: 'HAN', exact: true }).click();
  await page.getByRole('button', { name: 'Start network' }).click();
  await expect(page.getByTestId('han-network')).toContainText('Running', { timeout: 30_000 });
  await expect(page.getByText('1 of 16 devices')).toBeVisible();

  // The others are scanned on the HAN screen with their type, and reach the job; types show before the interview.
  for (const type of ['GSME', 'IHD', 'PPMID'] as const) {
    await page.getByLabel('Device type (for the job)').selectOption(type);
    await page.getByLabel('Install code or label').fill(labels[type]);
    await page.getByLabel('Install code or label').press('Enter');
    await expect(page.getByLabel('Install code or label')).toHaveValue('');
  }
  await expect(page.getByText('4 of 16 devices')).toBeVisible();
  const devices = page.getByTestId('han-devices');
  await expect(
    devices
      .getByTestId(`han-device-${euiOf(labels.GSME)}`)
      .locator('td')
      .first(),
  ).toHaveText('GSME');

  // Joining closes by itself, with a notice, once every device on the job is ready.
  await page.getByRole('button', { name: 'Open joining' }).click();
  await expect(devices.getByTestId('han-device-state').filter({ hasText: 'Ready' })).toHaveCount(4, { timeout: 120_000 });
  await expect(page.getByTestId('han-join-status')).toHaveText('Joining closed', { timeout: 30_000 });
  await expect(page.getByTestId('notice').filter({ hasText: 'joining was closed' })).toBeVisible();

  // The devices table sits near the top and fits: nothing clipped at 1366×768.
  const fits = await devices.evaluate((table) => {
    const box = table.getBoundingClientRect();
    return { right: box.right, top: box.top, main: document.getElementById('main')!.getBoundingClientRect().right };
  });
  expect(fits.right).toBeLessThanOrEqual(fits.main);
  expect(fits.top).toBeLessThan(768);
  await page.screenshot({ path: 'test-results/han-joined-1366.png' });

  // Pair the IHD with the ESME and the GSME: both recorded on the job.
  const ihdRow = devices.getByTestId(`han-device-${euiOf(labels.IHD)}`);
  for (const meter of ['ESME', 'GSME'] as const) {
    await ihdRow.getByLabel('Meter').selectOption({ label: `${meter} ${euiOf(labels[meter])}` });
    await ihdRow.getByRole('button', { name: 'Pair', exact: true }).click();
    await expect(ihdRow.getByText(`Paired with ${meter} ${euiOf(labels[meter])}`)).toBeVisible({ timeout: 60_000 });
  }
  const pairButton = await ihdRow.getByRole('button', { name: 'Pair', exact: true }).boundingBox();
  expect(pairButton!.x + pairButton!.width).toBeLessThanOrEqual(1366);
  await page.screenshot({ path: 'test-results/han-paired-1366.png' });
  for (const theme of ['light', 'dark', 'contrast']) {
    await page.getByLabel('Theme').selectOption(theme);
    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag22aa']).analyze();
    expect(axe.violations.map((v) => `${theme}: ${v.id}`)).toEqual([]);
  }

  await page.getByRole('button', { name: 'Jobs', exact: true }).click();
  const jobDevices = page.getByTestId('job-devices');
  for (const type of ['ESME', 'GSME', 'IHD', 'PPMID'] as const) await expect(jobDevices).toContainText(euiOf(labels[type]));
  await expect(page.getByTestId('job-pairings')).toContainText(`paired with ESME ${euiOf(labels.ESME)}`);
  await expect(page.getByTestId('job-pairings')).toContainText(`paired with GSME ${euiOf(labels.GSME)}`);
  // Every joiner was matched to its own row (commissioned), so none is flagged as "not on this job" — the flag that
  // job-joiners.e2e.ts shows for a device that joins without being on the job.
  for (const type of ['ESME', 'GSME', 'IHD', 'PPMID'] as const)
    await expect(jobDevices.locator('tr', { hasText: euiOf(labels[type]) })).toContainText('Commissioned');
  await expect(page.getByTestId('job-unexpected')).toHaveCount(0);
});
