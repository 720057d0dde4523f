import { defineConfig } from 'vitest/config';

/** End-to-end tests: the built extension in Debian's Chromium against a local MediaWiki and fixture pages. */
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    globalSetup: ['tests/e2e/support/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // One browser at a time: the machine has two cores and each Chromium wants both.
    fileParallelism: false,
    pool: 'forks',
  },
});
