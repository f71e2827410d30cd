import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Workspace packages resolve to their TypeScript sources (the "source" export condition).
    conditions: ['source'],
  },
  test: {
    include: ['checker/test/**/*.test.ts', 'workers/test/**/*.test.ts', 'api/test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
