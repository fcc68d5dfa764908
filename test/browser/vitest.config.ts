import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Anchored to the repository so the suite runs the same from any working directory.
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/browser/**/*.test.ts'],
    // Each file starts a real server and a real Chromium; minutes, not milliseconds, are normal.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // One server and one browser at a time keeps the machine's load, and so the flakiness, down.
    fileParallelism: false,
    pool: 'forks',
  },
});
