import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // fails the run if any tmlc invocation in it was an internal compiler error (exit 70)
    globalSetup: ['tests/setup/internal_error_guard.ts'],
    // compiling and running native programs is slow on a 2-core machine
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // every compile in the suite validates the MIR between passes (mir/pass_manager.ts)
    env: { TMLC_VALIDATE_MIR: '1' },
  },
});
