/**
 * `pnpm generate [--check]`: render the stack in stack.config.ts into kubernetes/ (and docker/).
 * Exit 0 ok, 1 `--check` found drift (nothing written), 2 invalid input (nothing written).
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { runGenerate } from "@o11y-gitops/core";
import { stack } from "../stack.config.js";
import { stackInput } from "@o11y-gitops/stack";

const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== "--check");
if (unknown.length > 0) {
  process.stderr.write(`usage: pnpm generate [--check]\nunknown argument(s): ${unknown.join(" ")}\n`);
  process.exit(2);
}
const root = resolve(fileURLToPath(new URL("..", import.meta.url)));
process.exitCode = await runGenerate(() => stackInput(stack), { root, check: args.includes("--check") });
