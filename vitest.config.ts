import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Component tests render React without `import React`.
  esbuild: { jsx: 'automatic' },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'],
    // Flink, PostgreSQL and the JVMs share a 2-core machine: test files run one at a time.
    fileParallelism: false,
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
