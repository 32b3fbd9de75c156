// Builds the demo with a small sample, serves it on 127.0.0.1 and trains in
// headless Chromium. WebGPU runs on SwiftShader, a GPU emulated on the CPU, so
// it trains only a few small steps. The page uses wasm when WebGPU is absent or
// is a software adapter. A copy of the build without the sample covers picked files.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissingReason, launchChromium } from '../../../test-support/chromium';
import { serveFolder, type StaticServer } from '../../../test-support/static-server';
import {
  archivePresent,
  buildDemo,
  canvasPixels,
  demoState,
  missingArchiveWarning,
  syntheticBatch,
  waitFor,
} from './page-driver';
import { SAMPLE_FILE } from '../src/sample-format';

const missingChromium = chromiumMissingReason();
if (missingChromium !== undefined) {
  console.warn(`Skipping the demo page tests: ${missingChromium}`);
}

/** Settings that keep a SwiftShader run to a few minutes: steps are stopped by the test. */
const WEBGPU_QUERY = 'backend=webgpu&batch=8&steps=50&knn=0&train=40&test=20&autostart=1';

describe.skipIf(missingChromium !== undefined)('demo page', () => {
  let outDir: string;
  let server: StaticServer;
  /** A copy of the build without the sample, served by `bareServer`. */
  let bareDir: string;
  let bareServer: StaticServer;
  let browser: Browser;
  const withSample = archivePresent();

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'simclr-demo-'));
    const log = await buildDemo(outDir, {
      SIMCLR_DEMO_TRAIN_IMAGES: '100',
      SIMCLR_DEMO_TEST_IMAGES: '50',
    });
    if (!withSample) {
      expect(log).toContain(missingArchiveWarning().split(';')[0]);
    }
    server = await serveFolder(outDir);
    bareDir = await mkdtemp(join(tmpdir(), 'simclr-demo-bare-'));
    await cp(outDir, bareDir, {
      recursive: true,
      filter: (source) => !source.endsWith(SAMPLE_FILE),
    });
    bareServer = await serveFolder(bareDir);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await bareServer?.close();
    for (const dir of [outDir, bareDir]) {
      if (dir !== undefined) {
        await rm(dir, { recursive: true, force: true });
      }
    }
  });

  /**
   * Opens the page and collects uncaught page errors into `errors`. `bare` serves the
   * build without the sample.
   */
  async function openPage(
    query: string,
    errors: string[],
    hideWebgpu = false,
    bare = false,
  ): Promise<Page> {
    const context = await browser.newContext();
    if (hideWebgpu) {
      // Makes the page see a browser without WebGPU, as most browsers on Linux are today.
      await context.addInitScript(() => {
        Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined });
      });
    }
    const page = await context.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${(bare ? bareServer : server).url}?${query}`);
    return page;
  }

  async function textOf(page: Page, testId: string): Promise<string> {
    return (await page.getByTestId(testId).textContent()) ?? '';
  }

  /**
   * Without the sample the page requests a file, so the test picks a synthetic batch,
   * and `autostart=1` starts the run.
   */
  async function provideDataIfMissing(page: Page): Promise<void> {
    await waitFor(
      page,
      () => ['ready', 'training', 'needs-data'].includes(window.__demoState?.status),
      60_000,
    );
    if (withSample) {
      expect(await textOf(page, 'data-status')).toBe(
        'built-in CIFAR-10 sample, using 40 of 100 training images (the kNN bank) ' +
          'and 20 of 50 kNN queries',
      );
      return;
    }
    expect(await textOf(page, 'data-status')).toContain('built without the CIFAR-10 sample');
    await page.getByTestId('file-input').setInputFiles({
      name: 'data_batch_1.bin',
      mimeType: 'application/octet-stream',
      buffer: syntheticBatch(60),
    });
    await waitFor(page, () => window.__demoState?.status === 'training', 60_000);
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
    // The stop rescales the x axis from 50 steps to the steps done.
    expect(Number(await page.getByTestId('loss-chart').getAttribute('data-x-max'))).toBe(
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
    const reasons = await textOf(page, 'backend-reasons');
    expect(reasons).toContain('wasm: chosen (SIMD');
    expect(reasons).toContain('tensorflow: Node only (tfjs-node)');

    // A file of the wrong size is rejected with the reason.
    await page.getByTestId('file-input').setInputFiles({
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('not a batch file'),
    });
    await waitFor(page, () => window.__demoState?.error !== undefined, 10_000);
    const rejection = await textOf(page, 'error');
    expect(rejection).toContain('notes.txt is 16 bytes, which is not a multiple of 3,073');
    expect(rejection).toContain(
      withSample ? 'Still using built-in CIFAR-10 sample' : 'No data is loaded',
    );
    expect(await page.getByTestId('file-input').inputValue()).toBe('');

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

    // Start again: the map, its note and its legend are cleared as the run starts.
    await page.locator('input[name="steps"]').fill('200');
    await page.locator('input[name="knn"]').fill('1');
    const atStart = await page.evaluate(() => {
      const map = document.querySelector<HTMLCanvasElement>('[data-testid="map-canvas"]')!;
      document.querySelector<HTMLButtonElement>('[data-testid="start"]')!.click();
      const pixels = map.getContext('2d')!.getImageData(0, 0, map.width, map.height).data;
      return {
        status: window.__demoState.status,
        mapPoints: window.__demoState.mapPoints,
        inkedPixels: pixels.filter((value, index) => index % 4 === 3 && value > 0).length,
        legendItems: document.querySelectorAll('[data-testid="legend"] li').length,
        note: document.getElementById('map-note')!.textContent!,
      };
    });
    expect(atStart.status).toBe('training');
    expect(atStart.mapPoints).toBe(0);
    expect(atStart.inkedPixels).toBe(0);
    expect(atStart.legendItems).toBe(0);
    expect(atStart.note).toMatch(/^\s*Drawn when training stops/);

    // With kNN after every step, the stop lands on a kNN step: it is measured once.
    await waitFor(page, () => window.__demoState?.losses.length >= 2, 60_000);
    await page.getByTestId('stop').click();
    await waitFor(page, () => window.__demoState?.status === 'done', 60_000);
    const stopped = await demoState(page);
    const stepsDone = stopped.losses.length;
    expect(stepsDone).toBeLessThan(200);
    expect(stopped.knn.map((entry) => entry.step)).toEqual(
      Array.from({ length: stepsDone + 1 }, (_, step) => step),
    );
    expect(Number(await page.getByTestId('knn-chart').getAttribute('data-points'))).toBe(
      stepsDone + 1,
    );
    for (const chart of ['loss-chart', 'knn-chart']) {
      expect(Number(await page.getByTestId(chart).getAttribute('data-x-max'))).toBe(stepsDone);
    }
    expect(stopped.mapPoints).toBe(40);
    // Steps, view redraws and kNN measurements leave no tensors behind.
    expect(stopped.tensorCounts).toHaveLength(stepsDone);
    expect(new Set(stopped.tensorCounts).size).toBe(1);
    expect(errors).toEqual([]);
  });

  it('prefers wasm over a software webgpu adapter', async () => {
    const errors: string[] = [];
    const page = await openPage('batch=8&steps=2&knn=0', errors);
    await waitFor(page, () => ['ready', 'needs-data'].includes(window.__demoState?.status), 60_000);

    const label = await textOf(page, 'backend-label');
    expect(label).toMatch(/^wasm \(SIMD, 1 thread\)/);
    expect(label).toContain(
      'WebGPU not used: WebGPU adapter is a software renderer (swiftshader), slower than wasm; ' +
        'use ?backend=webgpu to use it anyway',
    );
    expect(await page.getByTestId('error').isHidden()).toBe(true);
    expect(errors).toEqual([]);
  });

  it('lists setting problems in the page wording', async () => {
    const errors: string[] = [];
    const page = await openPage('backend=webgpu&bacth=8&autostart=yes', errors, true);
    await waitFor(page, () => ['ready', 'needs-data'].includes(window.__demoState?.status), 60_000);

    const error = page.getByTestId('error');
    expect(await error.locator('li').allTextContents()).toEqual([
      'bacth is not a setting of this page; the settings are ' +
        'backend, batch, lr, steps, knn, train, test, seed, autostart.',
      'autostart=yes is not one of 1, true, 0, false.',
    ]);
    const text = (await error.textContent()) ?? '';
    expect(text).toContain(
      'backend=webgpu is not available: no WebGPU in this runtime (navigator.gpu is undefined). ' +
        'Using wasm instead',
    );
    expect(text).not.toContain('Valid names');
    expect(await textOf(page, 'backend-reasons')).toContain(
      'webgpu: no WebGPU in this runtime (navigator.gpu is undefined)',
    );
    expect((await demoState(page)).status).not.toBe('training');

    // A later error is shown below the startup errors, which stay.
    await page.getByTestId('file-input').setInputFiles({
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('not a batch file'),
    });
    await waitFor(page, () => window.__demoState?.error?.includes('notes.txt') === true, 10_000);
    expect(await error.locator('li').count()).toBe(2);
    expect(await error.textContent()).toContain('backend=webgpu is not available');
    expect(errors).toEqual([]);
  });

  it('autostarts after a picked file', async () => {
    const errors: string[] = [];
    const page = await openPage('batch=8&steps=2&knn=0&autostart=1', errors, true, true);
    await waitFor(page, () => window.__demoState?.status === 'needs-data', 60_000);

    await page.getByTestId('file-input').setInputFiles({
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('not a batch file'),
    });
    await waitFor(page, () => window.__demoState?.error !== undefined, 10_000);
    expect(await textOf(page, 'error')).toContain('No data is loaded; pick another file.');
    expect(await page.getByTestId('file-input').inputValue()).toBe('');

    await page.getByTestId('file-input').setInputFiles({
      name: 'data_batch_1.bin',
      mimeType: 'application/octet-stream',
      buffer: syntheticBatch(50),
    });
    await waitFor(page, () => window.__demoState?.status === 'done', 60_000);
    const state = await demoState(page);
    expect(state.backend).toBe('wasm');
    expect(state.losses).toHaveLength(2);
    expect(state.mapPoints).toBe(40);
    expect(errors).toEqual([]);
  });
});
