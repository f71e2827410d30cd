import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Vitest global setup: builds the compiled CLI once per test run, so the tests that run
 * `verdict` run what users run (api/bin/verdict.js over api/build/), built from these sources.
 */
export default function setup(): void {
  const script = fileURLToPath(new URL('../../scripts/build-cli.js', import.meta.url));
  execFileSync(process.execPath, [script], { stdio: ['ignore', 'ignore', 'inherit'] });
}
