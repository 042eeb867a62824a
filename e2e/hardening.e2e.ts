import { createServer, type IncomingHttpHeaders } from 'node:http';
import { createJob, expect, test, VALID_MPAN } from './host-fixture';

test('a 1.1 MB paste into Import is refused beside the field and the host keeps running', async ({ page, hosts }) => {
  const host = await hosts.start();
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Import work order' }).click();
  const field = page.getByLabel('Paste the work order JSON (see docs/work-order.md).');
  await field.fill(JSON.stringify({ format: 'han-commissioner.work-order', notes: 'x'.repeat(1_100_000) }));
  await page.getByRole('button', { name: 'Import work order' }).last().click();
  await expect(page.locator('#work-order-error')).toContainText('a work order is at most 256 KB');
  await expect(field).toHaveAttribute('aria-describedby', 'work-order-error');
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
