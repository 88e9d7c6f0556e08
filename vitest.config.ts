import { existsSync } from 'node:fs';
import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// One runner for the whole repository. Each app and package keeps its tests in test/ beside src/;
// the browser suite lives in e2e/.
// - PostgreSQL suites run when MYCARD_TEST_DATABASE_URL is set (CI always sets it: see .ci/run);
//   without it every database test runs on SQLite only — including the concurrency tests, which
//   are no race there (better-sqlite3 is synchronous) — and the run says so.
// - The browser suite needs Debian's chromium at /usr/bin/chromium. CI sets MYCARD_E2E=required,
//   so there a missing browser fails the run; on a machine without it the suite is left out with a
//   notice (never counted as passed).
const hasChromium = existsSync('/usr/bin/chromium');
const runBrowserSuite = hasChromium || process.env.MYCARD_E2E === 'required';
if (!runBrowserSuite) {
  console.warn(
    '\n[mycard] browser suite (e2e/) NOT RUN: /usr/bin/chromium is missing. ' +
      'Install it with `apt-get install -y chromium` to run it.\n',
  );
}

if (!process.env.MYCARD_TEST_DATABASE_URL) {
  console.warn(
    '\n[mycard] PostgreSQL suites NOT RUN: MYCARD_TEST_DATABASE_URL is unset, so every database test ' +
      'runs on SQLite only and the race tests (parallel applies, concurrent accruals) do not run. ' +
      'Set MYCARD_TEST_DATABASE_URL=postgres://user@host:5432/db to run them.\n',
  );
}

// Workspace packages resolve to their TypeScript sources (the `@mycard/source` export condition of
// their "exports"): tests run the sources, never a dist/ that may be stale or missing.
const SOURCE = '@mycard/source';

export default defineConfig({
  resolve: { conditions: [SOURCE, ...defaultClientConditions] },
  ssr: { resolve: { conditions: [SOURCE, ...defaultServerConditions], externalConditions: [SOURCE] } },
  test: {
    include: [
      'packages/*/test/**/*.test.ts',
      'apps/*/test/**/*.test.ts',
      ...(runBrowserSuite ? ['e2e/**/*.test.ts'] : []),
    ],
    pool: 'forks',
    // Each worker keeps its module cache from one test file to the next instead of loading the
    // whole app again per file (collecting went from ~100 s to ~13 s of the run). The suites share
    // no module state: every test builds its own app, database, clock and servers.
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
