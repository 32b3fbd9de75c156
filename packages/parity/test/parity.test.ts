// Runs every parity case on cpu, wasm and WebGPU in headless Chromium and compares wasm and
// WebGPU with cpu. The page is built with Vite in beforeAll and opened once per backend.
// Set SIMCLR_PARITY_REPORT to a file path to write the measured errors as a Markdown table.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { format } from 'prettier';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';

import { chromiumMissingReason, launchChromium } from '../../../test-support/chromium';
import { serveFolder, type StaticServer } from '../../../test-support/static-server';
import { compareOutputs, withinBounds, type OutputComparison } from '../src/compare';
import { TOLERANCES, type Tolerance } from '../src/tolerances';
import {
  COMPARED_BACKENDS,
  PARITY_BACKENDS,
  type CaseResult,
  type ParityBackend,
  type ParityRun,
} from '../src/types';
import { buildParityPage } from './build-page';
import { formatNumber, formatReport } from './report';

// Throws under CI when Chromium is missing, so CI fails instead of skipping.
const missingChromium = chromiumMissingReason();

const CASE_NAMES = Object.keys(TOLERANCES);

const runs = new Map<ParityBackend, ParityRun | Error>();
let browser: Browser | undefined;
let server: StaticServer | undefined;
let pageFolder: string | undefined;

beforeAll(async () => {
  if (missingChromium !== undefined) {
    return;
  }
  pageFolder = await mkdtemp(join(tmpdir(), 'simclr-parity-'));
  await buildParityPage(pageFolder);
  server = await serveFolder(pageFolder);
  browser = await launchChromium();
  for (const backend of PARITY_BACKENDS) {
    runs.set(backend, await runBackend(browser, server.url, backend).catch(toError));
  }
});

afterAll(async () => {
  const reportPath = process.env.SIMCLR_PARITY_REPORT;
  if (reportPath !== undefined && browser !== undefined) {
    const context = {
      chromiumVersion: browser.version(),
      date: new Date().toISOString().slice(0, 10),
    };
    // Prettier pads the table's columns as in the README, so the file can be pasted there.
    await writeFile(reportPath, await format(formatReport(runs, context), { parser: 'markdown' }));
  }
  await browser?.close();
  await server?.close();
  if (pageFolder !== undefined) {
    await rm(pageFolder, { recursive: true, force: true });
  }
});

/** Opens the page, runs every case on `backend` and returns the results. */
async function runBackend(
  browser: Browser,
  url: string,
  backend: ParityBackend,
): Promise<ParityRun> {
  const page = await browser.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  try {
    await page.goto(url);
    await page.waitForFunction(() => typeof window.runParityCases === 'function');
    return await page.evaluate((name) => window.runParityCases(name), backend);
  } catch (error) {
    const detail = pageErrors.length > 0 ? `; errors in the page: ${pageErrors.join('; ')}` : '';
    throw new Error(`The ${backend} run failed: ${toError(error).message}${detail}`);
  } finally {
    await page.close();
  }
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** Returns the run of `backend`, skips the test without Chromium, and throws if the run failed. */
function runOf(backend: ParityBackend, context: TestContext): ParityRun {
  context.skip(missingChromium !== undefined, missingChromium);
  const run = runs.get(backend);
  if (run === undefined) {
    throw new Error(`No ${backend} run: beforeAll did not finish.`);
  }
  if (run instanceof Error) {
    throw run;
  }
  return run;
}

function caseOf(run: ParityRun, name: string): CaseResult {
  const result = run.cases.find((candidate) => candidate.name === name);
  if (result === undefined) {
    throw new Error(`The ${run.requested} run has no case '${name}'.`);
  }
  return result;
}

function describeFailure(
  backend: ParityBackend,
  name: string,
  comparison: OutputComparison,
  tolerance: Tolerance,
): string {
  const bounds = `atol ${formatNumber(tolerance.atol)}, rtol ${formatNumber(tolerance.rtol)}: ${tolerance.reason}`;
  const where = `${backend} vs cpu, ${name}, output '${comparison.name}'`;
  if (comparison.mismatch !== undefined) {
    return `${where}: ${comparison.mismatch}`;
  }
  return (
    `${where}: max abs error ${formatNumber(comparison.maxAbs)}, max rel error ` +
    `${formatNumber(comparison.maxRel)}; element ${comparison.worstIndex} is ` +
    `${comparison.worstRatio.toFixed(1)}× its bound (tolerance ${bounds})`
  );
}

describe('cpu reference', () => {
  it('runs on the cpu backend', (context) => {
    const run = runOf('cpu', context);
    expect(run.backend).toBe('cpu');
    expect(run.setupLog).toContain('cpu: chosen (plain JavaScript)');
  });

  it('has a case for every registered op', (context) => {
    const run = runOf('cpu', context);
    const opCases = run.registeredAugmentations.map((op) => `augment/${op}`);
    expect(CASE_NAMES).toEqual(expect.arrayContaining(opCases));
  });

  it('runs exactly the cases of the tolerance table', (context) => {
    const run = runOf('cpu', context);
    expect(run.cases.map((result) => result.name).sort()).toEqual([...CASE_NAMES].sort());
  });

  it.for(CASE_NAMES)('%s runs without leaks', (name, context) => {
    const result = caseOf(runOf('cpu', context), name);
    expect(result.error, `${name} threw on cpu`).toBeUndefined();
    expect(result.outputs.length, `${name} returned no outputs on cpu`).toBeGreaterThan(0);
    expect(result.tensorsAfter, `${name} leaked tensors on cpu`).toBe(result.tensorsBefore);
  });
});

describe.each(COMPARED_BACKENDS)('%s vs cpu', (backend) => {
  it(`runs on the ${backend} backend`, (context) => {
    const run = runOf(backend, context);
    expect(run.backend).toBe(backend);
    expect(run.setupLog.some((line) => line.startsWith(`${backend}: chosen`))).toBe(true);
    for (const result of run.cases) {
      expect(result.backend, `backend after ${result.name}`).toBe(backend);
    }
  });

  if (backend === 'webgpu') {
    it('uses a WebGPU adapter', (context) => {
      const run = runOf(backend, context);
      expect(run.adapter, 'navigator.gpu.requestAdapter() returned no adapter').toBeDefined();
      const { vendor, architecture } = run.adapter!;
      expect(`${vendor}${architecture}`, 'adapter without vendor and architecture').not.toBe('');
      expect(run.backendAdapter, "tfjs's WebGPU backend holds another adapter").toEqual({
        vendor,
        architecture,
      });
      const chosen = `webgpu: chosen (adapter ${vendor} ${architecture}`;
      expect(run.setupLog.some((line) => line.startsWith(chosen))).toBe(true);
    });
  }

  it.for(CASE_NAMES)('%s', (name, context) => {
    const run = runOf(backend, context);
    const reference = caseOf(runOf('cpu', context), name);
    const result = caseOf(run, name);
    const tolerance = TOLERANCES[name]![backend];

    expect(reference.error, `${name} threw on cpu, the reference`).toBeUndefined();
    expect(result.error, `${name} threw on ${backend}`).toBeUndefined();
    expect(result.inputDigest, `${name}: inputs differ from the cpu run's`).toBe(
      reference.inputDigest,
    );
    expect(result.tensorsAfter, `${name} leaked tensors on ${backend}`).toBe(result.tensorsBefore);

    const comparisons = compareOutputs(reference.outputs, result.outputs, tolerance);
    expect(comparisons.length, `${name} has no outputs`).toBeGreaterThan(0);
    if (tolerance.expectedFailure !== undefined) {
      expect(
        comparisons.every(withinBounds),
        `${backend} vs cpu, ${name}: expected to fail, but every output is within bounds. ` +
          `Check whether tfjs fixed this, and if so drop expectedFailure: ${tolerance.expectedFailure}`,
      ).toBe(false);
      return;
    }

    expect(result.gpuErrors, `${name} raised WebGPU errors`).toEqual([]);
    // Soft assertions, so a failure lists every output that is out of bounds.
    for (const comparison of comparisons) {
      expect
        .soft(withinBounds(comparison), describeFailure(backend, name, comparison, tolerance))
        .toBe(true);
    }
  });
});
