/**
 * `pnpm generate [--check] [--out <dir>] [--adopt PATH…]`: render the stack in stack.config.ts into
 * kubernetes/ (and docker/). Exit 0 ok, 1 `--check` found drift, a seeded file has another shape or holds a
 * plaintext value, 2 invalid input or a refusal (nothing written), 3 the tree could not be read or written.
 * `--out <dir>` renders into another folder instead of the repository root (previews, benchmarks).
 * `--adopt PATH…` lets generate take over (and overwrite) existing files it did not write, given relative to
 * the output root; every argument after it up to the next `--` option is a path.
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

const usage = "usage: pnpm generate [--check] [--out <dir>] [--adopt PATH…]";
const args = process.argv.slice(2);
let check = false;
let out: string | undefined;
const adopt: string[] = [];
let adoptGiven = false;
const unknown: string[] = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i] as string;
  if (a === "--check") check = true;
  else if (a === "--out" && i + 1 < args.length) out = args[++i];
  else if (a.startsWith("--out=")) out = a.slice("--out=".length);
  else if (a === "--adopt") {
    adoptGiven = true;
    while (i + 1 < args.length && !(args[i + 1] as string).startsWith("--")) adopt.push(args[++i] as string);
  } else if (a.startsWith("--adopt=")) {
    adoptGiven = true;
    adopt.push(a.slice("--adopt=".length));
  } else unknown.push(a);
}
const argError = unknown.length > 0 ? `unknown argument(s): ${unknown.join(" ")}` : out === "" ? "--out needs a folder" : adoptGiven && (adopt.length === 0 || adopt.includes("")) ? "--adopt needs one or more paths" : undefined;
if (argError !== undefined) {
  process.stderr.write(`${usage}\n${argError}\n`);
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
process.exitCode = await runGenerate(() => stackInput(stack), { root, rootLabel: out ?? root, check, adopt });
