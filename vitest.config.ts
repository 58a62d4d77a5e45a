import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // Three files at a time even on two cores: much of a test's time is one gcc process, a child
    // process or a single-threaded JS loop, so more files keep both cores busy (npm test: 293 s with
    // one file at a time -> 177 s with two, 2026-12-01; 269 -> 237 s with three, 2026-12-02, with the
    // property runs cut at the same time, so part of that is theirs).
    maxWorkers: Math.max(3, availableParallelism()),
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
