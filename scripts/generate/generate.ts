/**
 * `pnpm generate [--check] [--out <dir>]`: this repo's `o11y-gitops generate` (@o11y-gitops/cli) on
 * stack.config.ts, rendering into the repository root. Same options, output and exit codes (0 ok, 1
 * `--check` drift or a seeded file with another shape, 2 invalid input, nothing written, 3 I/O error).
 *
 * `pnpm generate` runs this file compiled (scripts/generate/generate.mjs builds it to .tsbuild/scripts/ when a
 * source changed), with the config imported here rather than loaded by path, so a run pays no TypeScript
 * transpiler; `tsx scripts/generate/generate.ts` runs the same code from source.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { main } from "@o11y-gitops/cli";
import { REPO_COMMAND, REPO_CONFIG } from "./_repo-tooling.js";
import { stack } from "../../stack.config.js";

/** The repository root: the nearest folder above this file holding pnpm-workspace.yaml (from source or from .tsbuild/). */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "pnpm-workspace.yaml"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("generate: no pnpm-workspace.yaml above scripts/generate");
    dir = parent;
  }
  return dir;
}

process.exitCode = await main(
  ["generate", ...process.argv.slice(2)],
  {
    cwd: process.cwd(),
    stdin: process.stdin,
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
  },
  { command: REPO_COMMAND, config: { stack, path: join(repoRoot(), REPO_CONFIG), display: REPO_CONFIG } },
);
