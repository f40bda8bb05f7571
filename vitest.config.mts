import { defineConfig } from 'vitest/config';

// Three projects so that a plain `npm test` runs everything, while the fast unit tests never wait for
// Java: only the integration project starts DynamoDB Local (once, in its globalSetup).
export default defineConfig({
  test: {
    // Focused tests would silently shrink CI's run; ESLint rejects them too.
    allowOnly: false,
    // The SDK warns once per process that it will need Node 22 in 2027; Lambda runs Node 24.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    passWithNoTests: false,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          // fast-check on one seed (overridable for exploring): no run depends on unseeded randomness.
          setupFiles: ['test/setup/fast-check-seed.ts'],
          // A timeout guards against a hang, never against slowness (speed is `npm run bench`'s job): on a
          // machine busy with something else, a property run or a spawned `cdk synth` can take many
          // times vitest's 5 s default.
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          environment: 'node',
          // Synthesizing the app bundles every function with esbuild: seconds, not milliseconds.
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/setup/dynamodb-local.ts'],
          setupFiles: ['test/setup/fast-check-seed.ts'],
          // Hang guards, not speed checks (see unit): DynamoDB Local shares the two cores with everything else.
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          // Each file runs a whole local stack with its own DynamoDB Local; one at a time on two cores.
          fileParallelism: false,
          // Hang guards: each test polls the stack's state (test/support/local-stack.ts `eventually`) and
          // returns as soon as it holds; the limit only ends a test that would never pass.
          testTimeout: 180_000,
          hookTimeout: 90_000,
        },
      },
    ],
  },
});
