/**
 * `pnpm secrets …`: this repo's secret helpers, the `o11y-gitops secrets` command of @o11y-gitops/cli run
 * on stack.config.ts. See `pnpm secrets --help`.
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { main } from "@o11y-gitops/cli";
import { REPO_COMMAND, REPO_CONFIG } from "./generate/_repo-tooling.js";
import { stack } from "../stack.config.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
process.exitCode = await main(
  ["secrets", ...process.argv.slice(2)],
  {
    cwd: process.cwd(),
    stdin: process.stdin,
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
  },
  { command: REPO_COMMAND, config: { stack, path: join(root, REPO_CONFIG), display: REPO_CONFIG } },
);
