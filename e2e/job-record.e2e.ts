import { expectAxeCleanInEveryTheme as axeClean } from './record-helpers';
import { createJob, expect, test, VALID_MPAN } from './host-fixture';

/** Issue 8: the job record is always right, and every screen speaks to the engineer. */

const LABEL_CA38 = 'Z:00124B000123CA38$I:83FED3407A939723A5C639B26916D505C3B5';

test('devices: a label for another EUI-64 is refused beside its field, corrections and removals keep their reasons, and a reload or restart returns to the job', async ({
  page,
  hosts,
}) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  let host = await hosts.start();
  await page.goto(host.url);
  await createJob(page, { engineer: 'Sam Fitter' });
  await expect(page.getByTestId('job-integrity')).toContainText('hash chain verified');

  // 1: the printed label names …CA38, the typed EUI-64 is …CA39: refused, both named, beside the EUI-64 field.
  await page.getByLabel('Type', { exact: true }).selectOption('PPMID');
  await page.getByLabel('EUI-64', { exact: true }).fill('00124B000123CA39');
  await page.getByLabel('Install code', { exact: true }).fill(LABEL_CA38);
  await page.getByRole('button', { name: 'Add device' }).click();
  const euiError = page.locator('#device-eui64-error');
  await expect(euiError).toContainText('00124B000123CA38');
  await expect(euiError).toContainText('00124B000123CA39');
  await expect(page.getByLabel('EUI-64', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  // 9: engineer's words only — no contract path or validator wording.
  await expect(euiError).not.toContainText('device.');
  await expect(euiError).not.toContainText('Invalid');

  // A malformed EUI-64: a sentence about that field.
  await page.getByLabel('EUI-64', { exact: true }).fill('XYZ');
  await page.getByLabel('Install code', { exact: true }).fill('');
  await page.getByRole('button', { name: 'Add device' }).click();
  await expect(euiError).toContainText('16 hexadecimal digits');
  await expect(euiError).not.toContainText('jobs:');

  // The EUI-64 is read from the label when none is typed.
  await page.getByLabel('EUI-64', { exact: true }).fill('');
  await page.getByLabel('Install code', { exact: true }).fill(LABEL_CA38);
  await page.getByRole('button', { name: 'Add device' }).click();
  const devices = page.getByTestId('job-devices');
  await expect(devices).toContainText('00124B000123CA38');

  // 2: a correction with a reason, then a removal with a reason; the removed device stays, struck through.
  await page.getByRole('button', { name: 'Correct PPMID 00124B000123CA38' }).click();
  await page.getByLabel('Type', { exact: true }).first().selectOption('IHD');
  await page.getByRole('button', { name: 'Save correction' }).click();
  await expect(devices).toContainText('Corrected: Mistyped');
  await page.getByRole('button', { name: 'Remove IHD 00124B000123CA38' }).click();
  await page.getByLabel('Reason').selectOption('wrong-device-fitted');
  await page.getByLabel('Note (optional)').fill('customer already has an IHD');
  await page.getByRole('button', { name: 'Remove', exact: true }).click();
  const removed = devices.locator('tr.removed');
  await expect(removed).toContainText('Wrong device fitted — customer already has an IHD');
  await expect(removed.locator('td').first()).toHaveCSS('text-decoration-line', 'line-through');
  await expect(page.locator('.timeline')).toContainText('device.corrected');
  await expect(page.locator('.timeline')).toContainText('device.removed');

  // 7 and 16: every event names the job form's engineer; times are en-GB with the UTC offset.
  const entries = await page.locator('.timeline li').allInnerTexts();
  expect(entries.every((e) => e.includes('Sam Fitter'))).toBe(true);
  expect(entries[0]).toMatch(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2} UTC[+-]\d{2}:\d{2}/);
  // 7: a different name on the job is shown, not hidden: re-assigned to someone else, the job says who did what;
  // assigned back to the one engineer who recorded everything, the check goes.
  const engineerCheck = page.getByTestId('job-engineer-check');
  const assignEngineer = async (name: string): Promise<void> => {
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    await page.getByLabel('Engineer').fill(name);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByTestId('job-integrity')).toBeVisible();
  };
  await assignEngineer('Alex Other');
  await expect(engineerCheck).toContainText('assigned to Alex Other');
  await expect(engineerCheck).toContainText('recorded by Sam Fitter');
  await assignEngineer('Sam Fitter');
  await expect(page.locator('.timeline li', { hasText: 'premises.updated' })).toHaveCount(2);
  await expect(engineerCheck).toHaveCount(0);

  await page.screenshot({ path: 'test-results/job-record-jobs-1366.png' });
  await axeClean(page, 'Jobs');

  // 8: a reload returns to the open job and screen; so does a restart (a new port, so new browser storage).
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByRole('button', { name: 'Jobs', exact: true }).click();
  await page.reload();
  await expect(page.getByTestId('job-devices')).toContainText('Wrong device fitted');
  await host.stop();
  host = await hosts.start();
  await page.goto(host.url);
  await expect(page.getByTestId('job-devices')).toContainText('Wrong device fitted');
  // A new job's Engineer field is prefilled with the remembered name.
  await page.getByRole('button', { name: 'New job' }).click();
  await expect(page.getByLabel('Engineer')).toHaveValue('Sam Fitter');
});

test('work orders: imported from a file, and a wrong MPAN check digit is refused without suggesting a digit', async ({ page, hosts }) => {
  const host = await hosts.start();
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Import work order' }).click();
  const order = (mpan: string) => ({
    format: 'han-commissioner.work-order',
    version: 1,
    reference: 'WO-2026-7',
    appointment: { start: '2026-11-30T09:13:00Z' },
    premises: { address: { line1: '5 Mill Road', town: 'Reading', postcode: 'RG1 3CD' }, mpan },
    devices: [{ type: 'ESME' }, { type: 'IHD' }],
  });
  await page
    .getByLabel('Work order file (.json)')
    .setInputFiles({ name: 'wo.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(order('1200023305968'))) });
  const error = page.getByTestId('work-order-error');
  await expect(error).toContainText('is not a valid MPAN');
  expect((await error.innerText()).replace('1200023305968', '')).not.toMatch(/\d/);
  await expect(error).not.toContainText('premises.mpan');
  // Beside the file field that caused it, as the field's own description.
  await expect(page.getByLabel('Work order file (.json)')).toHaveAttribute('aria-describedby', /work-order-file-error/);
  // Pasted JSON (support): the same refusal sits under the paste box instead, and the file field is no longer blamed.
  await page.getByText('Paste JSON instead (support)').click();
  const pasteBox = page.getByLabel('Paste the work order JSON (see docs/work-order.md).');
  await pasteBox.fill(JSON.stringify(order('1200023305968')));
  await page.getByRole('button', { name: 'Import work order' }).click();
  await expect(page.locator('#work-order-error')).toContainText('is not a valid MPAN');
  await expect(pasteBox).toHaveAttribute('aria-describedby', /work-order-error/);
  await expect(page.getByLabel('Work order file (.json)')).not.toHaveAttribute('aria-invalid', 'true');
  await page
    .getByLabel('Work order file (.json)')
    .setInputFiles({ name: 'wo.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(order(VALID_MPAN))) });
  await expect(page.getByTestId('jobs-table')).toContainText('WO-2026-7');
  // Dates follow en-GB (dd/mm/yyyy hh:mm), not the browser's default.
  await expect(page.getByTestId('jobs-table')).toContainText(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
});

test('verification is recorded in the open job by default, and a trainer’s MPAN mismatch stops it until confirmed; M-Bus identity and duplicates', async ({
  page,
  hosts,
}) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  const host = await hosts.start();
  await page.goto(host.url);
  await createJob(page, { line1: '9 Park Avenue', town: 'Reading', postcode: 'RG1 9ZZ' });

  // The training ESME's label goes onto the job (its EUI-64 read from the label).
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const esmeLabel = (
    await page
      .locator('tr', { has: page.getByRole('cell', { name: 'ESME', exact: true }) })
      .locator('td')
      .nth(2)
      .innerText()
  ).trim();
  await expect(page.getByTestId('training-radio-keys')).toContainText('000102030405060708090A0B0C0D0E0F');
  await expect(page.getByTestId('training-meter-point')).toContainText(VALID_MPAN);
  await page.screenshot({ path: 'test-results/job-record-settings-1366.png', fullPage: true });
  await axeClean(page, 'Settings');
  await page.getByRole('button', { name: 'Jobs', exact: true }).click();
  await page.getByLabel('Install code', { exact: true }).fill(esmeLabel);
  await page.getByRole('button', { name: 'Add device' }).click();
  await expect(page.getByTestId('job-devices')).toContainText('ESME');

  // 11: a disabled button says why.
  await page.getByRole('button', { name: 'DCC', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Verify display vs DCC' })).toBeDisabled();
  await expect(page.getByText('Type the value shown on the meter’s display first.')).toBeVisible();
  // 6: the open job is selected, so the verification is recorded in it.
  await expect(page.getByLabel('Record the result in job')).not.toHaveValue('');
  await page.getByRole('button', { name: 'Verify HAN vs DCC' }).click();
  await expect(page.getByText('PASS: the readings agree')).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: 'test-results/job-record-dcc-1366.png', fullPage: true });

  // The trainer sets a deliberate mismatch: the verification stops until the engineer confirms.
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByLabel('Deliberate mismatch: MPAN the meter reports').fill('1234567890126');
  await page.getByRole('button', { name: 'Set mismatch' }).click();
  await expect(page.getByTestId('training-meter-point')).toContainText('1234567890126');
  await page.getByRole('button', { name: 'DCC', exact: true }).click();
  await page.getByRole('button', { name: 'Verify HAN vs DCC' }).click();
  const warning = page.getByTestId('dcc-mpan-warning');
  await expect(warning).toContainText(VALID_MPAN);
  await expect(warning).toContainText('1234567890126');
  await axeClean(page, 'DCC');
  await page.getByRole('button', { name: 'Right supply: record anyway' }).click();
  await expect(warning).toHaveCount(0);
  await page.getByRole('button', { name: 'Jobs', exact: true }).click();
  await expect(page.locator('.timeline li', { hasText: 'verification.recorded' })).toHaveCount(2, { timeout: 30_000 });
  await expect(page.locator('.timeline li', { hasText: 'mpanMismatchConfirmed' })).toHaveCount(1);

  // 5: an M-Bus meter shows its identity on the job; the same meter twice is refused.
  await page.getByRole('button', { name: 'M-Bus', exact: true }).click();
  await page.getByLabel('Last primary address').fill('8');
  await page.getByRole('button', { name: 'Scan primary addresses' }).click();
  await expect(page.getByTestId('mbus-primary-meters')).toContainText('87654321');
  await page.getByRole('button', { name: 'Add meter 87654321 to the job' }).click();
  const added = page.getByTestId('notice').filter({ hasText: 'Added to the job' });
  await expect(added).toBeVisible();
  await page.getByRole('button', { name: 'Add meter 87654321 to the job' }).click();
  const refusal = page.getByTestId('notice').filter({ hasText: 'already device' });
  await expect(refusal).toBeVisible();
  // 12: information fades by itself (after 8 s); the error beside it stays.
  await expect(added).toHaveCount(0);
  await expect(refusal).toBeVisible();
  // 12: an error stays until dismissed (it does not fade like information) but does not follow the engineer to another
  // screen, nor come back when they return.
  await expect(refusal).toHaveClass(/\berror\b/);
  await expect(refusal.getByRole('button', { name: 'Dismiss' })).toBeVisible();
  await page.getByRole('button', { name: 'Jobs', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Jobs', level: 1 })).toBeVisible();
  await expect(page.getByTestId('notice')).toHaveCount(0);
  await page.getByRole('button', { name: 'M-Bus', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'M-Bus', level: 1 })).toBeVisible();
  await expect(refusal).toHaveCount(0);
  await page.getByRole('button', { name: 'Jobs', exact: true }).click();
  await expect(page.getByTestId('job-devices')).toContainText('87654321 ·');
});
