import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{sdk,signals,engine,rulesets,cli,server,scenarios,web,plugins,examples,extensions,bench,scripts}/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'web/dist/**'],
    globalSetup: ['server/testing/globalSetup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
