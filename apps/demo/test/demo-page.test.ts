// Builds the demo with a small sample, serves it on 127.0.0.1 and trains in
// headless Chromium: on WebGPU (SwiftShader, a CPU emulating a GPU, so only a
// few small steps) and on the wasm fallback when WebGPU is absent.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissingReason, launchChromium } from '../../../test-support/chromium';
import { serveFolder, type StaticServer } from '../../../test-support/static-server';
import {
  archivePath,
  archivePresent,
  buildDemo,
  canvasPixels,
  demoState,
  syntheticBatch,
  waitFor,
} from './page-driver';

const missingChromium = chromiumMissingReason();
if (missingChromium !== undefined) {
  console.warn(`Skipping the demo page tests: ${missingChromium}`);
}

/** Settings that keep a SwiftShader run to a few minutes: steps are stopped by the test. */
const WEBGPU_QUERY = 'backend=webgpu&batch=8&steps=50&knn=0&train=40&test=20&autostart=1';

describe.skipIf(missingChromium !== undefined)('demo page', () => {
  let outDir: string;
  let server: StaticServer;
  let browser: Browser;
  const withSample = archivePresent();

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'simclr-demo-'));
    const log = await buildDemo(outDir, {
      SIMCLR_DEMO_TRAIN_IMAGES: '100',
      SIMCLR_DEMO_TEST_IMAGES: '50',
    });
    if (!withSample) {
      expect(log).toContain(`CIFAR-10 archive not found at ${archivePath()}`);
    }
    server = await serveFolder(outDir);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (outDir !== undefined) {
      await rm(outDir, { recursive: true, force: true });
    }
  });

  /** Opens the page and collects uncaught page errors into `errors`. */
  async function openPage(query: string, errors: string[], hideWebgpu = false): Promise<Page> {
    const context = await browser.newContext();
    if (hideWebgpu) {
      // Makes the page see a browser without WebGPU, as most browsers on Linux are today.
      await context.addInitScript(() => {
        Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined });
      });
    }
    const page = await context.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${server.url}?${query}`);
    return page;
  }

  async function textOf(page: Page, testId: string): Promise<string> {
    return (await page.getByTestId(testId).textContent()) ?? '';
  }

  /** Without the sample the page requests a file, so the test picks a synthetic batch. */
  async function provideDataIfMissing(page: Page): Promise<void> {
    await waitFor(
      page,
      () => ['ready', 'training', 'needs-data'].includes(window.__demoState?.status),
      60_000,
    );
    if (withSample) {
      expect(await textOf(page, 'data-status')).toContain('built-in CIFAR-10 sample');
      return;
    }
    expect(await textOf(page, 'data-status')).toContain('built without the CIFAR-10 sample');
    await page.getByTestId('file-input').setInputFiles({
      name: 'data_batch_1.bin',
      mimeType: 'application/octet-stream',
      buffer: syntheticBatch(60),
    });
    await waitFor(page, () => window.__demoState?.status === 'ready', 60_000);
    await page.getByTestId('start').click();
  }

  it('trains on webgpu and draws the map after stop', async () => {
    const errors: string[] = [];
    const page = await openPage(WEBGPU_QUERY, errors);
    await provideDataIfMissing(page);

    const label = await textOf(page, 'backend-label');
    expect(label).toMatch(/^webgpu \(adapter google swiftshader\b/);
    await waitFor(page, () => window.__demoState?.viewRefreshes >= 1, 120_000);
    const viewsBefore = await canvasPixels(page, 'views-canvas');
    expect(viewsBefore.inked).toBeGreaterThan(viewsBefore.total / 4);

    await waitFor(page, () => window.__demoState?.losses.length >= 2, 300_000);
    await page.getByTestId('stop').click();
    await waitFor(page, () => window.__demoState?.status === 'done', 300_000);

    const state = await demoState(page);
    expect(state.backend).toBe('webgpu');
    expect(state.losses.length).toBeGreaterThanOrEqual(2);
    expect(state.losses.length).toBeLessThan(50);
    for (const loss of state.losses) {
      expect(Number.isFinite(loss)).toBe(true);
    }
    expect(state.stepsPerSecond).toBeGreaterThan(0);
    expect(Number(await page.getByTestId('loss-chart').getAttribute('data-points'))).toBe(
      state.losses.length,
    );
    expect(await page.getByTestId('progress').textContent()).toMatch(/Stopped after \d+ steps/);

    // kNN runs before the first step and after the stop; accuracy is a fraction.
    expect(state.knn.map((entry) => entry.step)).toEqual([0, state.losses.length]);
    for (const { accuracy } of state.knn) {
      expect(accuracy).toBeGreaterThanOrEqual(0);
      expect(accuracy).toBeLessThanOrEqual(1);
    }
    expect(Number(await page.getByTestId('knn-chart').getAttribute('data-points'))).toBe(2);

    const viewsAfter = await canvasPixels(page, 'views-canvas');
    expect(state.viewRefreshes).toBeGreaterThan(1);
    expect(viewsAfter.checksum).not.toBe(viewsBefore.checksum);

    expect(state.mapPoints).toBe(40);
    const map = await canvasPixels(page, 'map-canvas');
    expect(map.inked).toBeGreaterThan(100);
    expect(await page.getByTestId('legend').locator('li').count()).toBe(10);
    expect(errors).toEqual([]);
  });

  it('falls back to wasm and says why without webgpu', async () => {
    const errors: string[] = [];
    const page = await openPage('batch=8&steps=2&knn=0&train=40&test=20', errors, true);
    await waitFor(page, () => ['ready', 'needs-data'].includes(window.__demoState?.status), 60_000);

    const label = await textOf(page, 'backend-label');
    expect(label).toMatch(/^wasm \(SIMD, 1 thread\)/);
    expect(label).toContain(
      'WebGPU not used: no WebGPU in this runtime (navigator.gpu is undefined)',
    );
    expect(await textOf(page, 'backend-reasons')).toContain('wasm: chosen (SIMD');

    // A file of the wrong size is rejected with the reason.
    await page.getByTestId('file-input').setInputFiles({
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('not a batch file'),
    });
    await waitFor(page, () => window.__demoState?.error !== undefined, 10_000);
    expect(await textOf(page, 'error')).toContain(
      'notes.txt is 16 bytes, which is not a multiple of 3,073',
    );

    // A valid batch replaces the data and trains on wasm with the composed kernels.
    await page.getByTestId('file-input').setInputFiles({
      name: 'data_batch_1.bin',
      mimeType: 'application/octet-stream',
      buffer: syntheticBatch(50),
    });
    await waitFor(
      page,
      () => window.__demoState?.dataSource?.startsWith('data_batch_1.bin') === true,
      30_000,
    );
    expect(await textOf(page, 'data-status')).toBe(
      'data_batch_1.bin, 40 training images (the kNN bank) and 10 kNN queries',
    );
    expect(await page.getByTestId('error').isHidden()).toBe(true);
    await page.getByTestId('start').click();
    await waitFor(page, () => window.__demoState?.status === 'done', 120_000);

    const state = await demoState(page);
    expect(state.backend).toBe('wasm');
    expect(state.losses).toHaveLength(2);
    for (const loss of state.losses) {
      expect(Number.isFinite(loss)).toBe(true);
    }
    expect(state.mapPoints).toBe(40);
    expect(errors).toEqual([]);
  });
});
