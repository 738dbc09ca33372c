// pnpm template [--check] [--charts-dir DIR] [--out DIR] [--no-cache]
// This repo's real Helm render: the `o11y-gitops template` command of @o11y-gitops/cli (engine:
// @o11y-gitops/template) run on stack.config.ts and the committed tree at the repo root. See the README's
// "Real render" section. Exit codes as generate's: 0 ok, 1 a check failed (--check), 2 bad input (flags, a
// chart missing or not the pinned one, a malformed Application), 3 Helm missing or --out not writable.
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { main as cli, processIO } from "@o11y-gitops/cli";
import { repoCliOptions } from "./generate/_repo-tooling.js";

export const repoRoot = resolve(fileURLToPath(import.meta.url), "../..");

/** What this repo's messages name: its lock file and its Helm installer. */
export const REPO_TEMPLATE_NAMING = { pins: "schemas/charts.lock.json", installHelm: "install it with node scripts/install-helm.mjs" };

/** Text to lines, for callers that take one line at a time. */
const byLine = (sink: (line: string) => void) => (text: string) => {
  for (const l of text.replace(/\n$/, "").split("\n")) sink(l);
};

/** `pnpm template …` with `root` as the repo (the tree, `.tools/bin/helm`, `.charts/`, the cache under node_modules). */
export async function main(argv: readonly string[], root = repoRoot, out = console.log, err = console.error): Promise<number> {
  return cli(
    ["template", ...argv],
    processIO(root, { stdout: byLine(out), stderr: byLine(err) }),
    { ...repoCliOptions(root), templateNaming: REPO_TEMPLATE_NAMING },
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
