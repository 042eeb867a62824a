import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './host-fixture';

/** The public ZAZ1 test User's XML-signing certificate and key, as @smartdcc/dccboxed-keystore ships them. */
function zaz1TestUser(): { certificate: string; privateKey: string } {
  const path = createRequire(import.meta.url).resolve('@smartdcc/dccboxed-keystore/keystore.json');
  const keystore = JSON.parse(readFileSync(path, 'utf8')) as Record<
    string,
    Record<string, Record<string, { name?: string; certificate?: string; privateKey?: string }>>
  >;
  const entry = Object.values(keystore['90b3d51f30010000']!.digitalSignature!).find((e) => e.name === 'xml-sign-90B3D51F30010000-ds');
  if (!entry?.certificate || !entry.privateKey) throw new Error('ZAZ1 test User XML-signing entry not found in the keystore');
  return { certificate: entry.certificate, privateKey: entry.privateKey };
}

/**
 * The engineer's end-to-end check on whichever DCC connection is active: HAN vs DCC passes, the (virtual) meter
 * display typed in vs DCC passes, and with the simulator answering a wrong value the same check fails.
 */
async function verifyEndToEnd(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Verify HAN vs DCC' }).click();
  await expect(page.getByTestId('dcc-verification')).toContainText('PASS');
  await expect(page.getByTestId('dcc-verification')).toContainText('HAN:');
  await expect(page.getByTestId('dcc-verification')).toContainText('DCC:');
  await expect(page.getByTestId('dcc-request-log')).toContainText('4.1.1');
  await expect(page.getByTestId('dcc-request-log')).toContainText('I0 — Success');
  // The read came as GBCS: the ESME's ECS17b, MAC'd by the device and decrypted with the User's key.
  const verdicts = page.getByTestId('dcc-gbcs-verdicts').first();
  await expect(verdicts).toContainText('ECS17b');
  await expect(verdicts).toContainText('MAC valid');
  await expect(verdicts).toContainText('content decrypted');

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
}

test('verifies the ESME end to end on the training premises: HAN vs DCC and display vs DCC pass, a wrong DCC value fails', async ({ page, hosts }) => {
  const host = await hosts.start();
  await page.goto(host.url);
  await page.getByRole('button', { name: 'DCC', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'DCC', level: 1 })).toBeVisible();
  await expect(page.getByTestId('dcc-test-credentials')).toContainText('Test credentials in use');
  await expect(page.getByText('90-B3-D5-1F-30-01-00-00')).toBeVisible();

  await verifyEndToEnd(page);

  // A DCC Boxed connection with a key that is not a key is refused with a reason, and nothing changes.
  await page.getByText('Connect to a DCC Boxed or test lab').click();
  await page.getByLabel('Base URL of the DUIS endpoints').fill('https://dcc-boxed.invalid:8079/api/v1');
  await page.getByLabel('DCC User ID (EUI-64)').fill('90B3D51F30010000');
  await page.getByLabel('User XML-signing private key (PEM)').fill('not a key');
  await page.getByRole('button', { name: 'Save and connect' }).click();
  // The engineer is told which field, by its label, and why.
  await expect(page.getByTestId('dcc-connect-result')).toContainText('User XML-signing private key (PEM): must be a PEM private key');
  await expect(page.getByTestId('dcc-connect-result')).not.toContainText('userPrivateKeyPem');
  // And beside the field itself.
  await expect(page.getByTestId('dcc-userPrivateKeyPem-error')).toHaveText('must be a PEM private key');
  await expect(page.getByLabel('User XML-signing private key (PEM)')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('Training premises DCC simulator')).toBeVisible();

  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag22aa']).analyze();
  expect(axe.violations).toEqual([]);
});

test('configures the training premises’ DCC simulator as a DCC Boxed with the ZAZ1 test User, then verifies the ESME over it: pass, and fail on a wrong value', async ({
  page,
  hosts,
}) => {
  const host = await hosts.start();
  await page.goto(host.url);
  await page.getByRole('button', { name: 'DCC', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'DCC', level: 1 })).toBeVisible();

  // The premises shows its simulator's endpoint and start-up CA, as a lab would hand them out.
  const baseUrl = await page.getByLabel('Simulator base URL').inputValue();
  expect(baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
  const caPem = await page.getByLabel('Simulator TLS CA certificate').inputValue();
  expect(caPem).toContain('-----BEGIN CERTIFICATE-----');

  const user = zaz1TestUser();
  await page.getByText('Connect to a DCC Boxed or test lab').click();
  await page.getByLabel('Base URL of the DUIS endpoints').fill(baseUrl);
  await page.getByLabel('DCC User ID (EUI-64)').fill('90-B3-D5-1F-30-01-00-00');
  await page.getByLabel('CA certificate of the DCC endpoint').fill(caPem);
  await page.getByLabel('User XML-signing certificate (PEM)').fill(user.certificate);
  await page.getByLabel('User XML-signing private key (PEM)').fill(user.privateKey);
  await page.getByRole('button', { name: 'Save and connect' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Connection saved; keys sealed.' })).toBeVisible();
  await expect(page.getByText('Configured DCC connection (DCC Boxed or test lab)')).toBeVisible();
  await expect(page.getByTestId('dcc-test-credentials')).toContainText('Test credentials in use');
  // The keys are never shown again.
  await expect(page.getByLabel('User XML-signing private key (PEM)')).toHaveValue('');

  await verifyEndToEnd(page);
  await expect(page.getByTestId('dcc-request-log')).toContainText('90-B3-D5-1F-30-01-00-00:');
  await expect(page.getByText('Configured DCC connection (DCC Boxed or test lab)')).toBeVisible();

  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag22aa']).analyze();
  expect(axe.violations).toEqual([]);
});

test('a device response that fails its GBCS check is refused with the reason, and the log shows the failed verdict', async ({ page, hosts }) => {
  const host = await hosts.start();
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(host.url);
  await page.getByRole('button', { name: 'DCC', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'DCC', level: 1 })).toBeVisible();

  await page.getByLabel('Device responses from the simulator').selectOption({ label: 'Bad MAC (the message was altered or MAC’d with another key)' });
  await page.getByRole('button', { name: 'Verify HAN vs DCC' }).click();
  await expect(page.getByTestId('dcc-verify-error')).toContainText('MAC does not verify');
  await expect(page.getByTestId('dcc-verification')).toHaveCount(0);
  await expect(page.getByTestId('dcc-gbcs-verdicts').first()).toContainText('MAC INVALID');

  await page.getByLabel('Device responses from the simulator').selectOption('unknown-device');
  await page.getByRole('button', { name: 'Verify HAN vs DCC' }).click();
  await expect(page.getByTestId('dcc-verify-error')).toContainText('could not be checked');
  await expect(page.getByTestId('dcc-verify-error')).not.toContainText('MAC does not verify');
  await expect(page.getByTestId('dcc-gbcs-verdicts').first()).toContainText('MAC cannot be checked (no certificate)');
  await page.getByTestId('dcc-request-log').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/dcc-gbcs-verdicts-1366.png' });

  await page.getByLabel('Device responses from the simulator').selectOption('none');
  await page.getByRole('button', { name: 'Verify HAN vs DCC' }).click();
  await expect(page.getByTestId('dcc-verification')).toContainText('PASS');

  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag22aa']).analyze();
  expect(axe.violations).toEqual([]);
});
