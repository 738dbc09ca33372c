/**
 * `pnpm secrets …`: this repo's secret helpers, the `o11y-gitops secrets` command of @o11y-gitops/cli run
 * on stack.config.ts. See `pnpm secrets --help`.
 */
import { main } from "@o11y-gitops/cli";
import { processIO, repoCliOptions } from "./generate/_repo-tooling.js";

process.exitCode = await main(["secrets", ...process.argv.slice(2)], processIO(), repoCliOptions());
