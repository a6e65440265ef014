import { defineConfig } from 'vitest/config';

// The real-agent runs (npm run test:agents), kept out of `npm test`: they need the agents
// installed and a loopback-only network namespace, which scripts/test-agents.mjs provides.
export default defineConfig({
  test: {
    include: ['test/agents/**/*.test.ts'],
    // One file, runs in order: each agent already uses several processes on a 2-core machine.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 30_000,
  },
});
