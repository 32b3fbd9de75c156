// Starts Debian's Chromium through playwright-core for the browser tests:
// headless, with WebGPU on SwiftShader. Without the background-networking flags
// Chromium keeps contacting hosts that an offline machine can't reach.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Default Chromium path of the browser tests; SIMCLR_CHROMIUM overrides it. */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** Flags that give WebGPU in headless Chromium and keep it off the network. */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

/** Path of the Chromium binary to use: SIMCLR_CHROMIUM, else /usr/bin/chromium. */
export function chromiumPath(): string {
  return process.env.SIMCLR_CHROMIUM ?? DEFAULT_CHROMIUM;
}

/**
 * Returns why the browser tests can't run here, or undefined when they can.
 * Under CI it throws instead, because `.ci/run` installs Chromium.
 */
export function chromiumMissingReason(): string | undefined {
  const path = chromiumPath();
  if (existsSync(path)) {
    return undefined;
  }
  const reason =
    `Chromium not found at ${path}. Install Debian's package (apt-get install chromium) ` +
    `or set SIMCLR_CHROMIUM to a Chromium binary.`;
  if (process.env.CI) {
    throw new Error(reason);
  }
  return reason;
}

/**
 * Launches headless Chromium with {@link CHROMIUM_FLAGS}. WebGPU is exposed
 * only to secure contexts, so serve pages from http://127.0.0.1 (see
 * static-server.ts), not from file: or about:blank.
 */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_FLAGS,
  });
}
