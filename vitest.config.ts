import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

// Two projects: the host, shared code and end-to-end tests run in Node; the extension's unit tests
// run in happy-dom with WXT's plugin (fake `browser`, `#imports`, the wxt.config aliases).
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          globalSetup: ['test/helpers/build-host.ts'],
          include: ['host/**/*.test.ts', 'shared/**/*.test.ts', 'test/**/*.test.ts'],
          // test/agents runs the real coding agents: `npm run test:agents`, not `npm test`.
          exclude: ['dist/**', 'node_modules/**', '.output/**', 'test/agents/**'],
        },
      },
      {
        extends: true,
        plugins: [WxtVitest()],
        // JSX for the Preact components (what @preact/preset-vite sets for the build).
        oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
        test: {
          name: 'extension',
          environment: 'happy-dom',
          setupFiles: ['extension/tests/setup-i18n.ts'],
          include: ['extension/**/*.test.{ts,tsx}'],
          exclude: ['dist/**', 'node_modules/**', '.output/**'],
        },
      },
    ],
  },
});
