// Writes docs/demo-screenshot.png at the repository root: builds the page with
// the full sample, trains in headless Chromium, stops, and captures the page.
//
//   npm run screenshot -w @simclr-ts/demo
//
// Chromium starts without --enable-unsafe-webgpu, so the page falls back to wasm,
// as it does in most browsers on Linux; WebGPU on SwiftShader would need minutes
// per few steps. Environment: SIMCLR_CIFAR_ARCHIVE as for the build,
// SIMCLR_SCREENSHOT_STEPS (default 100) steps before the stop.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS, chromiumPath } from '../../../test-support/chromium';
import { serveFolder } from '../../../test-support/static-server';
import {
  DEMO_DIR,
  archivePath,
  archivePresent,
  buildDemo,
  demoState,
  waitFor,
} from '../test/page-driver';

const OUTPUT = fileURLToPath(new URL('../../../docs/demo-screenshot.png', import.meta.url));
const STEPS = Number(process.env['SIMCLR_SCREENSHOT_STEPS'] ?? 100);

async function main(): Promise<void> {
  if (!archivePresent()) {
    const problem = process.env['SIMCLR_CIFAR_ARCHIVE']
      ? `SIMCLR_CIFAR_ARCHIVE points to a missing file ${archivePath()}`
      : `CIFAR-10 archive not found at ${archivePath()}`;
    throw new Error(
      `${problem}: the screenshot needs the built-in sample. ` +
        'Set SIMCLR_CIFAR_ARCHIVE to cifar-10-binary.tar.gz.',
    );
  }
  const outDir = `${DEMO_DIR}dist`;
  console.log(`Building the page into ${outDir}…`);
  await buildDemo(outDir);

  const server = await serveFolder(outDir);
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_FLAGS.filter((flag) => flag !== '--enable-unsafe-webgpu'),
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1040, height: 900 } });
    page.on('pageerror', (error) => console.error(`Page error: ${error.message}`));
    const query = `batch=64&steps=${Math.round(STEPS * 1.5)}&knn=25&autostart=1`;
    await page.goto(`${server.url}?${query}`);

    const started = Date.now();
    console.log(`Training ${STEPS} steps, then stopping…`);
    let lastReport = started;
    for (;;) {
      const { losses, status, error } = await demoState(page);
      if (losses.length >= STEPS) {
        break;
      }
      if (status === 'error' || error !== undefined) {
        throw new Error(`The page reported an error: ${error ?? status}`);
      }
      if (Date.now() - lastReport > 30_000) {
        console.log(`${((Date.now() - started) / 1000).toFixed(0)} s: ${losses.length} steps`);
        lastReport = Date.now();
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    await page.getByTestId('stop').click();
    await waitFor(page, () => window.__demoState?.status === 'done', 10 * 60_000);
    console.log(`Trained and stopped in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
    console.log(await page.getByTestId('backend-label').textContent());
    console.log(await page.getByTestId('progress').textContent());

    // Opens the list of backends, so the screenshot shows each one's reason.
    await page.locator('details').evaluate((details: HTMLDetailsElement) => (details.open = true));
    await mkdir(dirname(OUTPUT), { recursive: true });
    await page.screenshot({ path: OUTPUT, fullPage: true });
    console.log(`Wrote ${OUTPUT}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
