import { defineConfig } from 'vitest/config';

// PGlite runs PostgreSQL in WASM on the main thread; many instances at once exhaust memory, so keep parallelism low.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['test/global-setup.ts'],
  },
});
