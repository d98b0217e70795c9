import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{shared,action,bot,bench}/**/*.test.ts'],
    environment: 'node',
    // The sequence runs on a virtual clock, so no test should ever need the default 5 s; a hang is a bug.
    testTimeout: 20_000,
    reporters: ['default'],
  },
});
