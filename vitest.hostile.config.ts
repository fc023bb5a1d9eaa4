import { defineConfig } from 'vitest/config';

/** `npm run test:hostile`: the hostile suite (hostile/README.md), with a tally per category. */
export default defineConfig({
  test: {
    include: ['hostile/**/*.hostile.test.ts'],
    globalSetup: ['server/testing/globalSetup.ts'],
    reporters: ['default', './hostile/tallyReporter.ts'],
    // One file at a time: the budgets file measures /health latency, which another file's load would blur.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
