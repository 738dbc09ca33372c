// The consumer's generate: `node render.mjs [--check]` renders its stack into this folder.
import { runGenerate } from "@o11y-gitops/core";
import { stackInput } from "@o11y-gitops/stack";
import { stack } from "./stack.config.js";

process.exitCode = await runGenerate(() => stackInput(stack), { root: process.cwd(), check: process.argv.includes("--check") });
