import { generateKeyPairSync } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import { labOrganisation } from '../src-main/dcc/emulator/organisation-certificates.test-support';
import { expect, test } from './host-fixture';

const keyPem = (curve: string): string => generateKeyPairSync('ec', { namedCurve: curve }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

test('a lab User’s GBCS digital-signing key: the screen says none is held, a key on the wrong curve is refused beside its field, a P-256 key is held sealed', async ({
  page,
  hosts,
}) => {
  const host = await hosts.start();
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(host.url);
  await page.getByRole('button', { name: 'DCC', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'DCC', level: 1 })).toBeVisible();
  // The training premises sign with the public ZAZ1 test key.
  await expect(page.getByTestId('dcc-signing-key')).toHaveText('Held: the public ZAZ1 test key');

  const baseUrl = await page.getByLabel('Simulator base URL').inputValue();
  const caPem = await page.getByLabel('Simulator TLS CA certificate').inputValue();
  // The training controls hand out the simulator's SMKI endpoint and Device CA, as a lab would.
  const smkiUrl = await page.getByLabel('Simulator SMKI URL').inputValue();
  const smkiDeviceCa = await page.getByLabel('Simulator SMKI Device CA certificate').inputValue();
  expect(smkiDeviceCa).toContain('-----BEGIN CERTIFICATE-----');
  await page.getByLabel('Simulator SMKI Device CA certificate').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/dcc-training-smki-1366.png' });
  // A test lab's own User (not ZAZ1): its XML-signing certificate and key.
  const user = labOrganisation('00DB1234567800AA');
  const fillUser = async (): Promise<void> => {
    await page.getByLabel('User XML-signing certificate (PEM)').fill(user.certificatePem);
    await page.getByLabel('User XML-signing private key (PEM)').fill(user.privateKeyPem);
  };
  await page.getByText('Connect to a DCC Boxed or test lab').click();
  await page.getByLabel('Base URL of the DUIS endpoints').fill(baseUrl);
  await page.getByLabel('DCC User ID (EUI-64)').fill('00-DB-12-34-56-78-00-AA');
  await page.getByLabel('CA certificate of the DCC endpoint').fill(caPem);
  await fillUser();
  await page.getByRole('button', { name: 'Save and connect' }).click();
  await expect(page.getByTestId('dcc-connect-result')).toHaveText('Connection saved; keys sealed.');
  await expect(page.getByText('Configured DCC connection (DCC Boxed or test lab)')).toBeVisible();
  // Before any visit the engineer sees that critical requests cannot be signed on this connection, and what to do.
  await expect(page.getByTestId('dcc-signing-key')).toContainText('None: critical requests (8.1.1 commission, 8.7.1 join) cannot be signed');
  await expect(page.getByTestId('dcc-signing-key')).toContainText('Connect to a DCC Boxed or test lab');
  await page.getByTestId('dcc-signing-key').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/dcc-signing-key-none-1366.png' });

  // The SMKI fields and a signing key on P-384: refused beside the signing key's field; nothing changes.
  await fillUser();
  await page.getByLabel('SMKI URL (device certificates, optional)').fill(smkiUrl);
  await page.getByLabel('SMKI Device CA certificate(s) (PEM)').fill(smkiDeviceCa);
  const signingKey = page.getByLabel('User GBCS digital-signing private key (PEM)');
  await signingKey.fill(keyPem('P-384'));
  await page.getByRole('button', { name: 'Save and connect' }).click();
  await expect(page.getByTestId('dcc-userDigitalSigningKeyPem-error')).toHaveText(
    /^The User's GBCS digital-signing key is an EC key on secp384r1, not a P-256 EC key/,
  );
  await expect(signingKey).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('dcc-signing-key')).toContainText('None');
  await signingKey.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/dcc-signing-key-form-1366.png' });
  // The "none" warning, the hints and the error beside the field stay readable in every theme.
  for (const theme of ['light', 'dark', 'contrast']) {
    await page.getByLabel('Theme').selectOption(theme);
    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag22aa']).analyze();
    expect(axe.violations, theme).toEqual([]);
  }
  await page.getByLabel('Theme').selectOption('light');

  // A P-256 key: saved, sealed, never shown again; the screen says a signing key is held.
  await signingKey.fill(keyPem('P-256'));
  await page.getByRole('button', { name: 'Save and connect' }).click();
  await expect(page.getByTestId('dcc-connect-result')).toHaveText('Connection saved; keys sealed.');
  await expect(page.getByTestId('dcc-signing-key')).toHaveText('Held, sealed in the secret store');
  await expect(signingKey).toHaveValue('');
  await expect(page.getByTestId('dcc-userDigitalSigningKeyPem-error')).toHaveCount(0);
  await page.getByTestId('dcc-signing-key').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/dcc-signing-key-held-1366.png' });
});
