import { defineConfig } from 'vitest/config';

// Unit and integration tests live beside the code as *.test.ts. Workers are capped because CI has two cores
// and several suites open real sockets to the emulators.
export default defineConfig({
  test: {
    include: ['src-main/**/*.test.ts', 'src-shared/**/*.test.ts', 'src-renderer/**/*.test.ts', 'bench/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
