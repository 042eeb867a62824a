import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './host-fixture';

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
