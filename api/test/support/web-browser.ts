import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's `chromium` package; CI installs it (.ci/run). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];

/**
 * Is Chromium here for the browser tests? In CI (VERDICT_CI=1) its absence is a failure; on a
 * developer machine the browser tests are skipped, loudly.
 */
export function requireChromium(path = CHROMIUM_PATH): boolean {
  if (existsSync(path)) return true;
  const what = `Chromium at ${path} (Debian's chromium package: apt-get install -y chromium)`;
  if (process.env.VERDICT_CI === '1') throw new Error(`${what} is not installed, and VERDICT_CI=1: the browser tests must run in CI`);
  console.warn(`\n*** SKIPPING the browser tests: ${what} is not installed on this machine ***\n`);
  return false;
}

/** A browser with a fresh profile of its own; `close()` ends it and removes the profile. */
export async function launchBrowser(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = await mkdtemp(join(tmpdir(), 'verdict-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS, headless: true, timeout: 60_000 });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
