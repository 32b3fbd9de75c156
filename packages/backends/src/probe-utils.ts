import * as tf from '@tensorflow/tfjs-core';
import type { BackendName, ProbeResult } from './backend-probes';

/** Outcome of a dynamic import of an optional package. */
export type ImportOutcome =
  | { status: 'loaded'; module: unknown }
  | { status: 'missing' }
  | { status: 'failed'; message: string };

/** Imports `specifier` with `load`, and distinguishes a missing package from a failed load. */
export async function importOptional(
  specifier: string,
  load: () => Promise<unknown>,
): Promise<ImportOutcome> {
  try {
    return { status: 'loaded', module: await load() };
  } catch (error) {
    return isModuleNotFound(error, specifier)
      ? { status: 'missing' }
      : { status: 'failed', message: messageOf(error) };
  }
}

/**
 * Distinguishes "the package itself is not installed" from other load failures, such as a
 * missing native binding inside an installed package, which the report shows verbatim.
 * Node reports ERR_MODULE_NOT_FOUND (ESM) or MODULE_NOT_FOUND (CommonJS); Vite reports
 * 'Could not resolve "<name>"' or "Failed to load url <name>".
 */
export function isModuleNotFound(error: unknown, specifier: string): boolean {
  const message = messageOf(error);
  const code = (error as { code?: unknown } | null)?.code;
  const notFound =
    code === 'ERR_MODULE_NOT_FOUND' ||
    code === 'MODULE_NOT_FOUND' ||
    /Cannot find (module|package)|Could not resolve|Failed to (load|resolve)/i.test(message);
  const namesPackage = [`'${specifier}'`, `"${specifier}"`, `url ${specifier}`].some((quoted) =>
    message.includes(quoted),
  );
  return notFound && namesPackage;
}

/** Returns the unavailable probe for a package that is missing or failed to load. */
export function unavailableImport(specifier: string, outcome: ImportOutcome): ProbeResult {
  const reason =
    outcome.status === 'failed'
      ? `${specifier} failed to load: ${outcome.message}`
      : `not installed (${specifier})`;
  return { available: false, reason };
}

/**
 * Returns a failed probe when the backend registered on another tfjs-core instance, as
 * happens in Node when a backend's CommonJS `main` loads a second copy of tfjs-core.
 */
export function checkRegistered(name: BackendName, specifier: string): ProbeResult | undefined {
  if (tf.findBackendFactory(name) != null) {
    return undefined;
  }
  return {
    available: false,
    reason:
      `${specifier} loaded but registered no '${name}' backend on this tfjs-core ` +
      'instance; it probably loaded a second copy of @tensorflow/tfjs-core',
  };
}

/** Returns the message of an Error, or of a rejected `{ message }` object, or its text. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) {
    return error.message;
  }
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}
