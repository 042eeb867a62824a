import { createServer, type IncomingHttpHeaders } from 'node:http';
import { createJob, expect, test, VALID_MPAN } from './host-fixture';

test('a 1.1 MB paste into Import is refused beside the field and the host keeps running', async ({ page, hosts }) => {
  const host = await hosts.start();
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Import work order' }).click();
  await page.getByText('Paste JSON instead (support)').click();
  const field = page.getByLabel('Paste the work order JSON (see docs/work-order.md).');
  await field.fill(JSON.stringify({ format: 'han-commissioner.work-order', notes: 'x'.repeat(1_100_000) }));
  await page.getByRole('button', { name: 'Import work order' }).last().click();
  await expect(page.getByTestId('work-order-error')).toContainText('a work order is at most 256 KB');
  await page.screenshot({ path: 'test-results/hardening-import-too-large.png' });
  await page.getByRole('button', { name: 'Cancel' }).click();
  await createJob(page);
  await expect(page.getByTestId('jobs-table')).toContainText(VALID_MPAN);
});

test('another server on 127.0.0.1 never receives the token', async ({ page, hosts }) => {
  const host = await hosts.start();
  const token = new URL(host.url).searchParams.get('token')!;
  const seen: IncomingHttpHeaders[] = [];
  const other = createServer((request, response) => {
    seen.push(request.headers);
    response.end('other server');
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  try {
    await page.goto(host.url);
    await expect(page.getByRole('heading', { name: 'Jobs', level: 1 })).toBeVisible();
    const address = other.address();
    await page.goto(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`);
    expect(seen.length).toBeGreaterThan(0);
    expect(JSON.stringify(seen)).not.toContain(token);
  } finally {
    other.close();
  }
});

test('a saved DCC connection that cannot start is reported on the DCC screen and forgotten from there', async ({ page, hosts }) => {
  const { createServer } = await import('node:net');
  const { join } = await import('node:path');
  const { FileSecretStore } = await import('../src-main/secrets/file-secret-store');
  const { prepareDccConnection, writeDccConnection } = await import('../src-main/dcc/dcc-config');
  const { testDccCredentials, testUserCredentials } = await import('../src-main/dcc/credentials');
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  try {
    const user = testUserCredentials();
    const stored = await prepareDccConnection(await FileSecretStore.open(hosts.dataDir), {
      baseUrl: 'https://127.0.0.1:9/api/v1',
      userId: '90-B3-D5-1F-30-01-00-00',
      userCertificatePem: user.certificate.toString(),
      userPrivateKeyPem: user.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
      dccCertificatePem: testDccCredentials().certificate.toString(),
      listenerPort: (blocker.address() as { port: number }).port,
    });
    writeDccConnection(join(hosts.dataDir, 'dcc'), stored);
    const host = await hosts.start();
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(host.url);
    await page.getByRole('navigation').getByRole('button', { name: 'DCC', exact: true }).click();
    await expect(page.getByTestId('dcc-problem')).toContainText('that port is already in use');
    await page.screenshot({ path: 'test-results/hardening-dcc-problem.png' });
    await page.getByText('Connect to a DCC Boxed or test lab', { exact: true }).click();
    await page.getByRole('button', { name: 'Forget this connection' }).click();
    await expect(page.getByTestId('dcc-problem')).toHaveCount(0);
  } finally {
    blocker.close();
  }
});
