import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './host-fixture';

test('verifies the ESME end to end on the training premises: HAN vs DCC and display vs DCC pass, a wrong DCC value fails', async ({ page, hosts }) => {
  const host = await hosts.start();
  await page.goto(host.url);
  await page.getByRole('button', { name: 'DCC', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'DCC', level: 1 })).toBeVisible();
  await expect(page.getByTestId('dcc-test-credentials')).toContainText('Test credentials in use');
  await expect(page.getByText('90-B3-D5-1F-30-01-00-00')).toBeVisible();

  await page.getByRole('button', { name: 'Verify HAN vs DCC' }).click();
  await expect(page.getByTestId('dcc-verification')).toContainText('PASS');
  await expect(page.getByTestId('dcc-verification')).toContainText('HAN:');
  await expect(page.getByTestId('dcc-verification')).toContainText('DCC:');
  await expect(page.getByTestId('dcc-request-log')).toContainText('4.1.1');
  await expect(page.getByTestId('dcc-request-log')).toContainText('I0 — Success');

  // The engineer reads the (virtual) meter display and types it in.
  await page.getByRole('button', { name: 'Refresh' }).click();
  const hint = await page.locator('#dcc-display-hint').innerText();
  const shown = /shows ([\d.]+) kWh/.exec(hint)![1]!;
  await page.getByLabel('Meter display reading (kWh)').fill(shown);
  await page.getByRole('button', { name: 'Verify display vs DCC' }).click();
  await expect(page.getByTestId('dcc-verification')).toContainText('PASS');
  await expect(page.getByTestId('dcc-verification')).toContainText(`Display: ${shown} kWh`);

  await page.getByLabel('Simulator answers a wrong meter reading').check();
  await page.getByRole('button', { name: 'Verify display vs DCC' }).click();
  await expect(page.getByTestId('dcc-verification')).toContainText('FAIL');

  // A DCC Boxed connection with a key that is not a key is refused with a reason, and nothing changes.
  await page.getByText('Connect to a DCC Boxed or test lab').click();
  await page.getByLabel('Base URL of the DUIS endpoints').fill('https://dcc-boxed.invalid:8079/api/v1');
  await page.getByLabel('DCC User ID (EUI-64)').fill('90B3D51F30010000');
  await page.getByLabel('User XML-signing private key (PEM)').fill('not a key');
  await page.getByRole('button', { name: 'Save and connect' }).click();
  await expect(page.getByRole('alert')).toContainText('userPrivateKeyPem');
  await expect(page.getByText('Training premises DCC simulator')).toBeVisible();

  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag22aa']).analyze();
  expect(axe.violations).toEqual([]);
});
