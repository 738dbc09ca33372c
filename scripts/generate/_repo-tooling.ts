// How this repository runs the CLI (`pnpm generate`, `pnpm secrets`, `pnpm template` on stack.config.ts): what
// the committed tree's headers and placeholders name (the real process is wired in by the CLI's processIO).
// scripts/generate/generate.ts, scripts/secrets.ts and scripts/template.ts call the CLI through
// `repoCliOptions`, which builds the same Tooling; tests that render the committed tree use REPO_TOOLING.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { toolingFor, type CliOptions } from "@o11y-gitops/cli";
import { stack } from "../../stack.config.js";

/** The command prefix this repo's package.json scripts give the CLI. */
export const REPO_COMMAND = "pnpm";
/** This repo's config, as its headers name it. */
export const REPO_CONFIG = "stack.config.ts";
/** What the committed tree names. */
export const REPO_TOOLING = toolingFor(REPO_COMMAND, REPO_CONFIG);

/** The repository root: the nearest folder above this file holding pnpm-workspace.yaml (from source or from .tsbuild/). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "pnpm-workspace.yaml"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("no pnpm-workspace.yaml above scripts/generate");
    dir = parent;
  }
  return dir;
}

/** The CLI's options for this repo: its command prefix and stack.config.ts (already loaded) at `root`. */
export function repoCliOptions(root: string = repoRoot()): CliOptions {
  return { command: REPO_COMMAND, config: { stack, path: join(root, REPO_CONFIG), display: REPO_CONFIG } };
}

