/**
 * `pnpm generate [--check] [--out <dir>]`: render the stack in stack.config.ts into kubernetes/ (and docker/).
 * Exit 0 ok, 1 `--check` found drift or a seeded file has another shape, 2 invalid input (nothing written),
 * 3 the tree could not be read or written.
 * `--out <dir>` renders into another folder instead of the repository root (previews, benchmarks).
 *
 * `pnpm generate` runs this file compiled (scripts/generate.mjs builds it to .tsbuild/scripts/ when a
 * source changed); `tsx scripts/generate.ts` runs the same code from source.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { runGenerate } from "@o11y-gitops/core";
import { stack } from "../stack.config.js";
import { stackInput } from "@o11y-gitops/stack";

const usage = "usage: pnpm generate [--check] [--out <dir>]";
const args = process.argv.slice(2);
let check = false;
let out: string | undefined;
const unknown: string[] = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i] as string;
  if (a === "--check") check = true;
  else if (a === "--out" && i + 1 < args.length) out = args[++i];
  else if (a.startsWith("--out=")) out = a.slice("--out=".length);
  else unknown.push(a);
}
if (unknown.length > 0 || out === "") {
  process.stderr.write(`${usage}\nunknown argument(s): ${unknown.join(" ") || "--out needs a folder"}\n`);
  process.exit(2);
}

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

const root = out === undefined ? repoRoot() : resolve(out);
process.exitCode = await runGenerate(() => stackInput(stack), { root, check });
