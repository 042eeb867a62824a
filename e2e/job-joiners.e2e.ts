import { euiOfLabel, expectAxeCleanInEveryTheme, trainingLabels } from './record-helpers';
import { createJob, expect, test, VALID_MPAN } from './host-fixture';

/** Issue 8, items 3 and 15: a joiner that is not on the job is flagged, and work orders arrive by drag and drop. */

test('a device that joins the network but is not on the job is flagged on the job, not silently added', async ({ page, hosts }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  let host = await hosts.start();
  await page.goto(host.url);
  await createJob(page, { line1: '4 Canal Street', town: 'Bath', postcode: 'BA1 1AA' });
  const labels = await trainingLabels(page);
  const esme = euiOfLabel(labels.ESME);
  const ihd = euiOfLabel(labels.IHD);

  // The ESME and the IHD go on the job, and with them onto the network's device log.
  await page.getByRole('button', { name: 'Jobs', exact: true }).click();
  for (const type of ['ESME', 'IHD'] as const) {
    await page.getByLabel('Type', { exact: true }).selectOption(type);
    await page.getByLabel('Install code', { exact: true }).fill(labels[type]);
    await page.getByRole('button', { name: 'Add device' }).click();
    await expect(page.getByTestId('job-devices')).toContainText(euiOfLabel(labels[type]));
  }
  await page.getByRole('button', { name: 'HAN', exact: true }).click();
  await page.getByRole('button', { name: 'Start network' }).click();
  await expect(page.getByTestId('han-network')).toContainText('Running', { timeout: 30_000 });
  await expect(page.getByText('2 of 16 devices')).toBeVisible();
  await page.getByRole('button', { name: 'Stop network' }).click();
  await expect(page.getByRole('button', { name: 'Start network' })).toBeVisible({ timeout: 30_000 });

  // The IHD is taken off the job while the network is stopped; its install code is still on the network's device log,
  // so when joining opens the IHD is admitted by the coordinator and joins.
  await page.getByRole('button', { name: 'Jobs', exact: true }).click();
  await page.getByRole('button', { name: `Remove IHD ${ihd}` }).click();
  await page.getByLabel('Reason').selectOption('returned');
  await page.getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(page.getByTestId('job-devices').locator('tr.removed')).toContainText(ihd);

  await page.getByRole('button', { name: 'HAN', exact: true }).click();
  await page.getByRole('button', { name: 'Start network' }).click();
  await expect(page.getByTestId('han-network')).toContainText('Running', { timeout: 30_000 });
  await page.getByRole('button', { name: 'Open joining' }).click();
  const hanDevices = page.getByTestId('han-devices');
  await expect(hanDevices.getByTestId(`han-device-${esme}`).getByTestId('han-device-state')).toHaveText(/Ready/, { timeout: 90_000 });
  await expect(hanDevices.getByTestId(`han-device-${ihd}`).getByTestId('han-device-state')).toHaveText(/Ready/, { timeout: 90_000 });

  // On the job: the ESME is matched to its row; the IHD is flagged as not on this job and not added back as a device.
  await page.getByRole('button', { name: 'Jobs', exact: true }).click();
  const flagged = page.getByTestId('job-unexpected');
  await expect(flagged).toContainText('joined the network but are not on this job');
  await expect(flagged).toContainText(ihd);
  await expect(flagged).not.toContainText(esme);
  const jobDevices = page.getByTestId('job-devices');
  await expect(jobDevices.locator('tr:not(.removed)', { hasText: esme })).toContainText('Commissioned');
  await expect(jobDevices.locator('tr:not(.removed)', { hasText: ihd })).toHaveCount(0);
  await expect(jobDevices.locator('tr.removed', { hasText: ihd })).toHaveCount(1);
  await expect(page.locator('.timeline li', { hasText: 'han.unexpected-device' }).first()).toContainText(ihd);
  await page.screenshot({ path: 'test-results/job-unexpected-1366.png' });
  await expectAxeCleanInEveryTheme(page, 'Jobs (unexpected joiner)');

  // 8: reopening the app (a new port, so new browser storage) returns to the open job and to the running network,
  // which main resumes from the data folder.
  await host.stop();
  host = await hosts.start();
  await page.goto(host.url);
  await expect(page.getByTestId('job-unexpected')).toContainText(ihd);
  await page.getByRole('button', { name: 'HAN', exact: true }).click();
  await expect(page.getByTestId('han-network')).toContainText('Running', { timeout: 30_000 });
  await expect(page.getByText('2 of 16 devices')).toBeVisible();
});

test('a work order dropped onto the import area is imported; a dropped file that is not a work order is refused beside the file field', async ({
  page,
  hosts,
}) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  const host = await hosts.start();
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Import work order' }).click();
  const dropZone = page.getByTestId('work-order-drop');
  // A real drag and drop as Chromium delivers it: a DataTransfer holding a File, through dragover and drop.
  const drop = async (name: string, text: string): Promise<void> => {
    const dataTransfer = await page.evaluateHandle(
      ([fileName, content]) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([content!], fileName!, { type: 'application/json' }));
        return transfer;
      },
      [name, text],
    );
    await dropZone.dispatchEvent('dragenter', { dataTransfer });
    await dropZone.dispatchEvent('dragover', { dataTransfer });
    await expect(dropZone).toHaveClass(/dragging/);
    await dropZone.dispatchEvent('drop', { dataTransfer });
    await expect(dropZone).not.toHaveClass(/dragging/);
  };

  await drop('notes.json', 'these are my notes, not a work order');
  const fileField = page.getByLabel('Work order file (.json)');
  const errorId = await fileField.getAttribute('aria-describedby');
  expect(errorId).toBeTruthy();
  const error = page.getByTestId('work-order-error');
  await expect(error).toContainText('notes.json');
  await expect(error).toContainText('not a readable work order');
  // The error is the file field's own description, and sits right beside it (inside the drop area).
  expect(errorId!.split(' ')).toContain(await error.getAttribute('id'));
  await expect(dropZone.getByTestId('work-order-error')).toBeVisible();
  await expect(fileField).toHaveAttribute('aria-invalid', 'true');
  await page.screenshot({ path: 'test-results/work-order-error-1366.png' });
  await expectAxeCleanInEveryTheme(page, 'Jobs (work order error)');

  const order = {
    format: 'han-commissioner.work-order',
    version: 1,
    reference: 'WO-DROP-1',
    appointment: { start: '2026-11-30T09:13:00Z' },
    premises: { address: { line1: '8 Bridge Street', town: 'Bath', postcode: 'BA2 4AT' }, mpan: VALID_MPAN },
    devices: [{ type: 'ESME' }, { type: 'IHD' }],
  };
  await drop('wo-drop-1.json', JSON.stringify(order));
  await expect(page.getByTestId('jobs-table')).toContainText('WO-DROP-1');
  await expect(page.getByTestId('jobs-table')).toContainText('8 Bridge Street');
});
