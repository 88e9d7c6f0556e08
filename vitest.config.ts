import { defineConfig } from 'vitest/config';

// One runner for the whole repository. Each app and package keeps its tests in test/ beside src/.
// PostgreSQL suites run when MYCARD_TEST_DATABASE_URL is set (CI always sets it: see .ci/run).
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'e2e/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
