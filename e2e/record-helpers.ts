import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect } from './host-fixture';

/** Runs axe (WCAG 2.x A/AA and 2.2 AA) on the current screen in every theme, then returns to the light theme. */
export async function expectAxeCleanInEveryTheme(page: Page, where: string): Promise<void> {
  for (const theme of ['light', 'dark', 'contrast']) {
    await page.getByLabel('Theme').selectOption(theme);
    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag22aa']).analyze();
    expect(axe.violations.map((v) => `${where}/${theme}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }
  await page.getByLabel('Theme').selectOption('light');
}

/** The training premises' printed labels (Z:<EUI>$I:<code>) by device type, as Settings lists them. */
export async function trainingLabels(page: Page): Promise<Record<'ESME' | 'GSME' | 'IHD' | 'PPMID', string>> {
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const labelOf = async (type: string): Promise<string> =>
    (
      await page
        .locator('tr', { has: page.getByRole('cell', { name: type, exact: true }) })
        .locator('td')
        .nth(2)
        .innerText()
    ).trim();
  return { ESME: await labelOf('ESME'), GSME: await labelOf('GSME'), IHD: await labelOf('IHD'), PPMID: await labelOf('PPMID') };
}

/** The EUI-64 printed in a `Z:<EUI>$I:<code>` label. */
export const euiOfLabel = (label: string): string => label.slice(2, 18);
