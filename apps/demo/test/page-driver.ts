// Helpers that build the demo and drive it in Chromium, shared by the end-to-end
// test and the screenshot script.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import type { DemoState } from '../src/main';
import {
  DEFAULT_ARCHIVE,
  missingArchiveMessage,
  sampleOptionsFromEnv,
} from '../scripts/cifar-sample-plugin';

/** The apps/demo folder. */
export const DEMO_DIR = fileURLToPath(new URL('..', import.meta.url));

/** Archive that a build reads: SIMCLR_CIFAR_ARCHIVE, else the default beside the clone. */
export function archivePath(): string {
  return process.env['SIMCLR_CIFAR_ARCHIVE'] || DEFAULT_ARCHIVE;
}

/** Warning that a build without the sample logs, for this process's environment. */
export function missingArchiveWarning(): string {
  return missingArchiveMessage(sampleOptionsFromEnv());
}

/** Returns whether the archive exists, which decides whether a build includes the sample. */
export function archivePresent(): boolean {
  return existsSync(archivePath());
}

/**
 * Runs `vite build` into `outDir` in a child process, with `env` added to the
 * environment (e.g. SIMCLR_DEMO_TRAIN_IMAGES), and returns its output.
 */
export async function buildDemo(outDir: string, env: Record<string, string> = {}): Promise<string> {
  const require = createRequire(import.meta.url);
  const vite = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  const { stdout, stderr } = await promisify(execFile)(
    process.execPath,
    [vite, 'build', '--outDir', outDir, '--emptyOutDir'],
    {
      cwd: DEMO_DIR,
      env: { ...process.env, ...env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  return stdout + stderr;
}

/** Reads `window.__demoState`. */
export async function demoState(page: Page): Promise<DemoState> {
  return page.evaluate(() => window.__demoState);
}

/**
 * Waits until `condition` returns true in the page, polling every 250 ms. It is
 * serialised into the page, so it can read `window.__demoState` but no variables
 * of the test.
 */
export async function waitFor(
  page: Page,
  condition: () => boolean,
  timeoutMs: number,
): Promise<void> {
  await page.waitForFunction(condition, undefined, { timeout: timeoutMs, polling: 250 });
}

/** Pixel statistics of a canvas: pixels that are neither transparent nor white, and a checksum. */
export async function canvasPixels(
  page: Page,
  testId: string,
): Promise<{ inked: number; total: number; checksum: number }> {
  return page.getByTestId(testId).evaluate((canvas: HTMLCanvasElement) => {
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let inked = 0;
    let checksum = 0;
    for (let i = 0; i < data.length; i += 4) {
      const white = data[i]! > 250 && data[i + 1]! > 250 && data[i + 2]! > 250;
      if (data[i + 3]! > 0 && !white) {
        inked += 1;
      }
      checksum = (checksum * 31 + data[i]! + 7 * data[i + 1]! + 13 * data[i + 2]!) % 1_000_000_007;
    }
    return { inked, total: data.length / 4, checksum };
  });
}

/**
 * Returns a CIFAR-10 binary batch of `count` records with labels 0–9 in turn and
 * smooth synthetic pixels, for tests that pick a file.
 */
export function syntheticBatch(count: number): Buffer {
  const recordBytes = 3073;
  const bytes = Buffer.alloc(count * recordBytes);
  for (let record = 0; record < count; record++) {
    const label = record % 10;
    bytes[record * recordBytes] = label;
    for (let channel = 0; channel < 3; channel++) {
      for (let pixel = 0; pixel < 1024; pixel++) {
        const row = Math.floor(pixel / 32);
        const column = pixel % 32;
        const value =
          128 + 100 * Math.sin((row * (label + 1)) / 9 + column / 7 + channel * 2 + record);
        bytes[record * recordBytes + 1 + channel * 1024 + pixel] = Math.round(value);
      }
    }
  }
  return bytes;
}
