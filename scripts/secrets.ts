/**
 * `pnpm secrets …`: this repo's secret helpers, the `o11y-gitops secrets` command of @o11y-gitops/cli run
 * on stack.config.ts. See `pnpm secrets --help`.
 */
import { exitWhenFlushed, main, processIO } from "@o11y-gitops/cli";
import { repoCliOptions } from "./generate/_repo-tooling.js";

exitWhenFlushed(await main(["secrets", ...process.argv.slice(2)], processIO(), repoCliOptions()));
