import { defineConfig } from 'vitest/config';

const shared = ['packages/*/src/**/', 'apps/*/src/**/', 'bench/**/', 'templates/**/', 'scripts/**/', 'deploy/**/'];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: shared.map((dir) => `${dir}*.test.ts`),
          exclude: ['**/node_modules/**', '**/*.integration.test.ts', '**/*.e2e.test.ts', '**/*.containers.test.ts'],
          testTimeout: 30_000,
          // Suites that boot a whole stack (PGlite, fonts) need longer on a loaded 2-core machine.
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: shared.map((dir) => `${dir}*.integration.test.ts`),
          exclude: ['**/node_modules/**'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          // Builds the images with podman and runs the stack from them (npm run test:containers).
          name: 'containers',
          include: ['deploy/**/*.containers.test.ts'],
          exclude: ['**/node_modules/**'],
          testTimeout: 300_000,
          // Image builds on a cold cache take minutes on a 2-core machine.
          hookTimeout: 1_200_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
