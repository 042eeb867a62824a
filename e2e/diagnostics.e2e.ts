import AxeBuilder from '@axe-core/playwright';
import { createJob, expect, test } from './host-fixture';

test('the Diagnostics screen is accessible in every theme, with its scan controls beside the dongle they use', async ({ page, hosts }) => {
  const host = await hosts.start();
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Diagnostics', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Diagnostics', level: 1 })).toBeVisible();
  await expect(page.getByLabel('ZigBee dongle for scans')).toContainText('tcp://127.0.0.1:');
  await expect(page.getByRole('button', { name: 'Scan energy' })).toBeEnabled();
  // Recording a position says why it cannot yet, beside the button.
  await expect(page.locator('#position-why')).toHaveText('Open a job to record positions in it.');
  for (const theme of ['light', 'dark', 'contrast']) {
    await page.getByLabel('Theme').selectOption(theme);
    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag22aa']).analyze();
    expect(axe.violations.map((v) => `${theme}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }
  await page.screenshot({ path: 'test-results/diagnostics-empty.png', fullPage: false });
});

test('an RF survey at two positions recorded in the job, the energy chart, the network map and a worsening link', async ({ page, hosts }) => {
  test.setTimeout(240_000);
  const host = await hosts.start();
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(host.url);
  await createJob(page, { line1: '9 Mill Street', town: 'Bath', postcode: 'BA1 1AA' });

  // The Comms Hub's printed ID, as the training premises lists it (Settings).
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const hubRow = page.locator('tr', { has: page.getByRole('cell', { name: 'GPF', exact: true }) });
  const hubId = (await hubRow.locator('td').nth(1).innerText()).trim();
  expect(hubId).toMatch(/^[0-9A-F]{16}$/);

  await page.getByRole('button', { name: 'Diagnostics', exact: true }).click();

  // Energy: two scans, the chart, its table and the recommendation.
  await page.getByRole('button', { name: 'Scan energy' }).click();
  await expect(page.getByTestId('energy-chart')).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Scan again' }).click();
  await expect(page.getByTestId('energy-chart').locator('title')).toHaveText(/latest of 2 scans/, { timeout: 30_000 });
  await expect(page.getByTestId('energy-table').locator('tbody tr')).toHaveCount(16);
  await expect(page.getByTestId('energy-recommendation')).toContainText('is the quietest SE preferred channel');
  await expect(page.getByText(/closed survey network of its own|scanned as it is/)).toBeVisible();
  await page.getByTestId('energy-chart').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/diagnostics-energy.png' });

  // Survey: the hub is picked out by its printed ID; its signal is recorded at two positions.
  await page.getByLabel('Comms Hub ID (as printed on the hub)').fill(hubId.match(/.{2}/g)!.join(':'));
  for (const position of ['meter cupboard', 'kitchen']) {
    await page.getByRole('button', { name: 'Scan for networks' }).click();
    await expect(page.getByTestId('survey-table').locator('tr[data-hub="true"]')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByRole('button', { name: 'Scan for networks' })).toBeEnabled();
    await page.getByLabel('Position', { exact: true }).fill(position);
    await page.getByRole('button', { name: 'Record signal here' }).click();
    await expect(page.getByTestId('positions-table').getByRole('rowheader', { name: position })).toBeVisible();
  }
  await expect(page.getByTestId('positions-table').locator('tbody tr')).toHaveCount(2);
  await expect(page.getByTestId('positions-table')).toContainText('(on LQI; no RSSI reported)');
  await page.getByTestId('survey-table').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/diagnostics-survey.png' });

  // Both positions are in the job's timeline.
  // The job opened on creation stays open on the Jobs screen.
  await page.getByRole('button', { name: 'Jobs', exact: true }).click();
  await expect(page.locator('.timeline li', { hasText: 'survey.position' })).toHaveCount(2);

  // The job's own network: start it, join the training devices.
  await page.getByRole('button', { name: 'HAN', exact: true }).click();
  await page.getByRole('button', { name: 'Start network' }).click();
  await expect(page.getByTestId('han-network')).toContainText('Running', { timeout: 30_000 });
  for (const line of await page.getByTestId('han-training-labels').locator('li').allInnerTexts()) {
    await page.getByLabel('Install code or label').fill(line.split(': ')[1]!.trim());
    await page.getByLabel('Install code or label').press('Enter');
    await expect(page.getByLabel('Install code or label')).toHaveValue('');
  }
  await page.getByRole('button', { name: 'Open joining' }).click();
  await expect(page.getByTestId('han-devices').getByTestId('han-device-state').filter({ hasText: 'Ready' })).toHaveCount(4, { timeout: 90_000 });

  // The network map, with its table of links.
  await page.getByRole('button', { name: 'Diagnostics', exact: true }).click();
  await page.getByRole('button', { name: 'Read network map' }).click();
  await expect(page.getByTestId('network-map').locator('circle')).toHaveCount(5, { timeout: 30_000 });
  await expect(page.getByTestId('network-map-table').locator('tbody tr')).not.toHaveCount(0);
  const mapEsmeLqi = page.getByTestId('network-map-table').locator('tr', { hasText: 'Coordinator' }).filter({ hasText: 'ESME' }).locator('td').last();
  const mapLqiBefore = Number(await mapEsmeLqi.innerText());

  // A worsening link: the training premises makes the ESME's link worse; each probe's answer carries the LQI.
  const esmeRow = page.getByTestId('link-table').locator('tbody tr', { has: page.getByText('ESME', { exact: true }) });
  await page.getByRole('button', { name: 'Check each device answers' }).click();
  await expect(esmeRow.getByTestId('link-presence')).toHaveText('on the network');
  await page.getByLabel('Device', { exact: true }).selectOption({ label: `ESME ${await esmeRow.locator('th .mono').innerText()}` });
  await page.getByRole('button', { name: 'Worsen link' }).click();
  await expect
    .poll(
      async () => {
        await page.getByRole('button', { name: 'Check each device answers' }).click();
        await expect(page.getByRole('button', { name: 'Check each device answers' })).toBeEnabled();
        return esmeRow.getByTestId('link-trend').innerText();
      },
      { timeout: 90_000, intervals: [2000] },
    )
    .toContain('worsening');
  // The map read again shows the coordinator–ESME link weaker than before.
  await page.getByRole('button', { name: 'Read network map' }).click();
  await expect.poll(async () => Number(await mapEsmeLqi.innerText())).toBeLessThan(mapLqiBefore);
  await page.getByTestId('link-table').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/diagnostics-links.png' });
  await page.getByTestId('network-map').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/diagnostics-network.png' });

  for (const theme of ['light', 'dark', 'contrast']) {
    await page.getByLabel('Theme').selectOption(theme);
    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag22aa']).analyze();
    expect(axe.violations.map((v) => `${theme}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }
});
