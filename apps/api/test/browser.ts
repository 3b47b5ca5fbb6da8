import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (`.ci/run` installs it); override with CHROMIUM_PATH. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Whether headless-browser tests can run here. CI installs Chromium and must run them, so a
 * missing browser fails there; a laptop without it is told so and skips them.
 */
export function chromiumAvailable(): boolean {
  const available = existsSync(CHROMIUM);
  if (!available && process.env.CI) throw new Error(`Chromium not found at ${CHROMIUM}`);
  if (!available)
    console.warn(`Browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium).`);
  return available;
}

/**
 * Headless Chromium as this machine needs it: as root without a sandbox, and without the
 * background networking whose connections the closed network refuses.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
