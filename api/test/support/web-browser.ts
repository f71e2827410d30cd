import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

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
export async function launchBrowser(viewport = { width: 1280, height: 900 }): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = await mkdtemp(join(tmpdir(), 'verdict-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS, headless: true, timeout: 60_000, viewport });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** A browser context signed in with a session cookie (as the login form would leave it). */
export async function signedInContext(context: BrowserContext, base: string, cookie: string): Promise<void> {
  const [name, ...value] = cookie.split('=');
  await context.addCookies([{ name: name!, value: value.join('='), url: `${base}/ui` }]);
}

/**
 * Elements that reach past the viewport's sides (page functions are strings: the tests are typed
 * without the DOM library). Hidden elements (no box) do not count.
 */
export async function elementsWiderThanViewport(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    const w = document.documentElement.clientWidth;
    const out = [];
    for (const e of document.querySelectorAll('body *')) {
      const r = e.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.right > w + 0.5 || r.left < -0.5) out.push(e.tagName.toLowerCase() + '.' + (e.getAttribute('class') || '') + ' [' + Math.round(r.left) + ', ' + Math.round(r.right) + ']');
    }
    if (document.documentElement.scrollWidth > w) out.push('document scrolls sideways: ' + document.documentElement.scrollWidth + ' > ' + w);
    return out;
  })()`);
}
