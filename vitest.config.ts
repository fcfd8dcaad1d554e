import { defineConfig } from 'vitest/config';

// Three tiers (see docs/testing.md): unit (pure, fast), integration (real databases:
// PGlite and, when TEST_DATABASE_URL is set, PostgreSQL), e2e (real Chromium).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'apps/server/src/**/*.unit.test.ts', 'scripts/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          globalSetup: ['apps/server/test/global-setup.ts'],
          include: ['apps/server/src/**/*.int.test.ts', 'apps/server/test/**/*.int.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.ts'],
          // A page under load may take seconds to settle; poll's default 1 s makes flaky tests.
          expect: { poll: { timeout: 10_000, interval: 100 } },
          testTimeout: 180_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
