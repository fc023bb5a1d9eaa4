import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{sdk,signals,engine,rulesets,cli,server,scenarios}/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
