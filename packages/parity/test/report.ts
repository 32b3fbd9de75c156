import { compareOutputs, type OutputComparison } from '../src/compare';
import { TOLERANCES } from '../src/tolerances';
import { COMPARED_BACKENDS, type ParityBackend, type ParityRun } from '../src/types';

/** Largest errors of one case on one backend over all its outputs. */
export interface CaseErrors {
  maxAbs: number;
  maxRel: number;
  /** Max |x − ref| / (atol + rtol·|ref|) over all outputs: at most 1 passes. */
  worstRatio: number;
}

/** Reduces the comparisons of a case's outputs to its largest errors. */
export function caseErrors(comparisons: readonly OutputComparison[]): CaseErrors {
  return comparisons.reduce(
    (errors, comparison) => ({
      maxAbs: Math.max(errors.maxAbs, comparison.maxAbs),
      maxRel: Math.max(errors.maxRel, comparison.maxRel),
      worstRatio: Math.max(errors.worstRatio, comparison.worstRatio),
    }),
    { maxAbs: 0, maxRel: 0, worstRatio: 0 },
  );
}

/** Environment lines that head the report. */
export interface ReportContext {
  chromiumVersion: string;
  date: string;
}

/**
 * Formats the measured errors of every case as a Markdown table for the package README: max
 * abs and max rel error per compared backend, and the bounds. A failed run shows 'failed' in
 * its cells and its error in the line above the table.
 */
export function formatReport(
  runs: ReadonlyMap<ParityBackend, ParityRun | Error>,
  context: ReportContext,
): string {
  const reference = runs.get('cpu');
  if (reference === undefined) {
    return 'The cpu reference run is missing.\n';
  }
  if (reference instanceof Error) {
    return `The cpu reference run failed: ${reference.message}\n`;
  }

  const lines = [
    `Chromium ${context.chromiumVersion}, ${context.date}. ${describeRuns(runs)}`,
    '',
    '| case | bounds (atol, rtol) | wasm max abs | wasm max rel | wasm of bound | webgpu max abs | webgpu max rel | webgpu of bound |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const [name, tolerance] of Object.entries(TOLERANCES)) {
    const cells = COMPARED_BACKENDS.flatMap((backend) => {
      const run = runs.get(backend);
      const expected = reference.cases.find((result) => result.name === name);
      const actual = run instanceof Error ? undefined : run?.cases.find((c) => c.name === name);
      if (expected === undefined || actual === undefined || expected.error || actual.error) {
        return ['failed', 'failed', 'failed'];
      }
      const errors = caseErrors(
        compareOutputs(expected.outputs, actual.outputs, tolerance[backend]),
      );
      return [
        formatNumber(errors.maxAbs),
        formatNumber(errors.maxRel),
        formatShare(errors, tolerance[backend].expectedFailure),
      ];
    });
    lines.push(`| ${name} | ${formatBounds(name)} | ${cells.join(' | ')} |`);
  }
  return `${lines.join('\n')}\n`;
}

function describeRuns(runs: ReadonlyMap<ParityBackend, ParityRun | Error>): string {
  return [...runs]
    .map(([backend, run]) => {
      if (run instanceof Error) {
        return `${backend}: failed (${run.message}).`;
      }
      const seconds = run.cases.reduce((total, result) => total + result.millis, 0) / 1000;
      const chosen = run.setupLog.find((line) => line.startsWith(`${backend}: chosen`)) ?? backend;
      return `${chosen}, cases ${seconds.toFixed(1)} s.`;
    })
    .join(' ');
}

function formatBounds(name: string): string {
  const tolerance = TOLERANCES[name]!;
  const [first, ...others] = COMPARED_BACKENDS.map(
    (backend) =>
      `${formatNumber(tolerance[backend].atol)}, ${formatNumber(tolerance[backend].rtol)}`,
  );
  if (others.every((bounds) => bounds === first)) {
    return first!;
  }
  return COMPARED_BACKENDS.map(
    (backend, index) => `${backend}: ${index === 0 ? first : others[index - 1]}`,
  ).join('; ');
}

/**
 * Formats the worst element's error as a percentage of its bound, or 'fails' above the bound,
 * marked '(expected)' for a known failure.
 */
function formatShare(errors: CaseErrors, expectedFailure: string | undefined): string {
  if (errors.worstRatio > 1) {
    return expectedFailure === undefined ? 'fails' : 'fails (expected)';
  }
  return `${Math.round(errors.worstRatio * 100)}%`;
}

/** Formats an error for the table: 0 as '0', others with two significant digits. */
export function formatNumber(value: number): string {
  return value === 0 ? '0' : value.toExponential(1);
}
