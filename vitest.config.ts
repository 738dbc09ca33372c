import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts", "scripts/test/**/*.test.ts", "generated/test/**/*.test.ts"],
    testTimeout: 60_000,
    pool: "forks",
  },
});
