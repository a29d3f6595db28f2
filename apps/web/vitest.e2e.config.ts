import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** Browser tests of the built page against a real embedded memelab; run with `npm run test:e2e`. */
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    name: 'e2e',
    environment: 'node',
    include: ['apps/web/e2e/**/*.e2e.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
