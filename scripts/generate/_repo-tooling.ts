// How this repository runs the CLI (`pnpm generate`/`pnpm secrets` on stack.config.ts): what the committed
// tree's headers and placeholders name. scripts/generate/generate.ts and scripts/secrets.ts pass REPO_COMMAND to the
// CLI, which builds the same Tooling; tests that render the committed tree use REPO_TOOLING.
import { toolingFor } from "@o11y-gitops/cli";

/** The command prefix this repo's package.json scripts give the CLI. */
export const REPO_COMMAND = "pnpm";
/** This repo's config, as its headers name it. */
export const REPO_CONFIG = "stack.config.ts";
/** What the committed tree names. */
export const REPO_TOOLING = toolingFor(REPO_COMMAND, REPO_CONFIG);
