import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

/**
 * e2e runs the renderer in Debian's Chromium through the web host, with the real main-process services on the
 * training premises behind it. Playwright's own browser download is never used.
 */
const chromium = process.env.HAN_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  throw new Error(
    `No Chromium at ${chromium}. Install one (Debian/Ubuntu: sudo apt-get install chromium) or point HAN_CHROMIUM at a Chromium/Chrome binary. Playwright's browser download is not used.`,
  );
}

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.e2e.ts',
  // Playwright empties its outputDir; keep it apart from the JSON reports .ci/run sums.
  outputDir: 'test-results/playwright-artifacts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    launchOptions: { executablePath: chromium },
    trace: 'off',
  },
});
