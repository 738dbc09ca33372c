/**
 * `pnpm generate [--check] [--out <dir>]`: this repo's `o11y-gitops generate` (@o11y-gitops/cli) on
 * stack.config.ts, rendering into the repository root. Same options, output and exit codes (0 ok, 1
 * `--check` drift or a seeded file with another shape, 2 invalid input, nothing written, 3 I/O error).
 *
 * `pnpm generate` runs this file compiled and bundled (scripts/generate/launcher.cjs builds it to .tsbuild/
 * when a source changed), with the config imported (_repo-tooling.ts) rather than loaded by path, so a run
 * pays no TypeScript transpiler; `tsx scripts/generate/generate.ts` runs the same code from source. No
 * top-level await: the bundle is one CommonJS script.
 */
import { exitWhenFlushed, main, processIO } from "@o11y-gitops/cli";
import { repoCliOptions } from "./_repo-tooling.js";

void main(["generate", ...process.argv.slice(2)], processIO(), repoCliOptions()).then(exitWhenFlushed);
