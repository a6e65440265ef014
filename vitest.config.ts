import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['host/**/*.test.ts', 'shared/**/*.test.ts', 'extension/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['dist/**', 'node_modules/**', '.output/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
