import { defineConfig } from 'vitest/config';

// Two suites: `unit` is pure and fast; `integration` starts real parts (DynamoDB Local, HTTP servers,
// child processes) and so runs its files one at a time to keep the 2-core CI machine predictable.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          // Handlers log through Powertools; keep test output to warnings and errors.
          env: { LOG_LEVEL: 'WARN' },
          globalSetup: ['test/support/global-setup.ts'],
          // Spawned CLIs and JVMs are slow on a loaded 2-core machine; nothing here waits on a timer.
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
