import { defineConfig } from "vitest/config";

// CI (.ci/run) asks for a JSON report beside the console output to print its `N passed, N failed` line.
const jsonReport = process.env.VITEST_JSON_REPORT;

export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts", "scripts/test/**/*.test.ts", "generated/test/**/*.test.ts"],
    testTimeout: 60_000,
    // FC_SEED / FC_NUM_RUNS: run every fast-check property with a given seed (see the file).
    setupFiles: ["test-support/fc-seed.ts"],
    pool: "forks",
    reporters: jsonReport ? ["default", "json"] : ["default"],
    ...(jsonReport ? { outputFile: { json: jsonReport } } : {}),
  },
});
