import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Workspace packages resolve to their TypeScript sources (the "source" export condition).
    conditions: ['source'],
  },
  // The same for modules loaded on the server side (the api's imports of @verdict/workers and
  // @verdict/checker): without it they resolved to the packages' built dist, so a test ran
  // yesterday's build whenever the sources had changed since the last `tsc -b`.
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['checker/test/**/*.test.ts', 'workers/test/**/*.test.ts', 'api/test/**/*.test.ts'],
    // The CLI tests run the compiled `verdict`, as users do: built once per run from these sources.
    globalSetup: ['api/test/support/build-cli.global.ts'],
    // vitest's summary, then one plain closing line (passed, failed, skipped) that CI's log reader knows.
    reporters: ['default', './api/test/support/closing-line-reporter.ts'],
    // In CI, what passing tests print (swarm tables, timings, paths) stays out of the log, so no
    // line of theirs can be taken for another runner's closing line; a failing test's output stays.
    silent: process.env.VERDICT_CI === '1' ? 'passed-only' : false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
