/**
 * `o11y-gitops template`: render the tree `generate` wrote for a config with the real Helm (offline, as ArgoCD
 * would) and check the rendered objects (@o11y-gitops/template). Flags are parsed here; the engine is the
 * package's.
 */
import { join, resolve } from "node:path";
import { EXIT, formatProblem, StackError, type Stack, type Tooling } from "@o11y-gitops/core";
import { ChartSourceError, DEFAULT_NAMING, HELM_VERSION, deadValuesLine, findHelm, HelmMissingError, PlanError, summary, templateStack, writeRendered, type TemplateNaming } from "@o11y-gitops/template";

/** Where `template` finds its inputs beside the flags. */
export interface TemplateContext {
  /** The command as typed, e.g. `o11y-gitops template`. */
  command: string;
  /** Whether `--config FILE` and `--tree DIR` are taken (not when a repo script hands over its stack). */
  takesConfig: boolean;
  /** Where relative flags resolve; `.tools/bin/helm`, `.charts/` and `node_modules/.cache/` are looked up here. */
  cwd: string;
  /** Environment: `HELM` (the Helm binary to use) and `PATH`. */
  env: Record<string, string | undefined>;
  /** What messages name beside the commands (the pin list, how to get Helm). */
  naming?: Partial<TemplateNaming>;
}

/** The flags of `template`, parsed. */
export interface TemplateFlags {
  /** `--config FILE` as given. */
  config?: string;
  /** `--tree DIR` as given: the folder `generate` wrote the tree into (its `--out`). */
  tree?: string;
  /** `--check`: exit 1 when a check fails. */
  check: boolean;
  /** `--no-cache` clears this. */
  cache: boolean;
  /** `--charts-dir DIR`, resolved; default `<cwd>/.charts`. */
  chartsDir: string;
  /** `--out DIR`, resolved: where the rendered manifests are written. */
  out?: string;
}

/** A usage problem of `template`: one line, exit 2. */
export class TemplateUsageError extends Error {}

/** The one-line usage of `template`. */
export function templateSynopsis(command: string, takesConfig = true): string {
  return `${command} ${takesConfig ? "[--config FILE] [--tree DIR] " : ""}[--check] [--charts-dir DIR] [--out DIR] [--no-cache]`;
}

/** The `--help` text of `template`. */
export function templateUsage(command: string, takesConfig = true): string {
  return `usage: ${templateSynopsis(command, takesConfig)}

Render every ArgoCD Application of the generated tree and every infrastructure values fragment with Helm
(offline; the cluster's kube version, API versions and CRDs as ArgoCD passes them), then check the rendered
objects: render, schema, wiring, selection, seed, dead-values. Needs Helm ${HELM_VERSION} ($HELM, .tools/bin/helm
or PATH) and the pinned charts' sources in the charts dir (one <chart>-<version>/ folder or helm pull .tgz each).
${takesConfig ? "\n  --config FILE     the stack config (default: ./stack.config.ts, .mts, .mjs or .js)\n  --tree DIR        the folder generate wrote the tree into (its --out; default: the folder holding the config)" : ""}
  --check           exit 1 when a check fails (without it, findings are printed and the exit is 0)
  --charts-dir DIR  the pinned charts' sources (default: ./.charts)
  --out DIR         also write each render's manifests to DIR/<release>.yaml
  --no-cache        re-run every dead-values probe (the cache is ./node_modules/.cache/o11y-template/)

exit codes: 0 ok, 1 a check failed (--check), 2 invalid input (flags, config, a chart missing or not the
pinned one, a malformed Application), 3 Helm missing or --out not writable
`;
}

/** Parse `template`'s arguments. */
export function parseTemplateArgs(argv: readonly string[], ctx: Pick<TemplateContext, "command" | "takesConfig" | "cwd">): TemplateFlags {
  const o: TemplateFlags = { check: false, cache: true, chartsDir: resolve(ctx.cwd, ".charts") };
  const valued = ctx.takesConfig ? ["--charts-dir", "--out", "--config", "--tree"] : ["--charts-dir", "--out"];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "--check") o.check = true;
    else if (a === "--no-cache") o.cache = false;
    else if (valued.includes(a)) {
      const v = argv[++i];
      if (!v || v.startsWith("--")) throw new TemplateUsageError(`${a} needs a ${a === "--config" ? "file" : "folder"}`);
      if (a === "--charts-dir") o.chartsDir = resolve(ctx.cwd, v);
      else if (a === "--out") o.out = resolve(ctx.cwd, v);
      else if (a === "--config") o.config = v;
      else o.tree = v;
    } else throw new TemplateUsageError(`unknown argument ${a} (usage: ${templateSynopsis(ctx.command, ctx.takesConfig)})`);
  }
  return o;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)}s`;

/**
 * Run `template` on a loaded stack whose tree is under `root`; returns the exit code. `say`/`fail` get one
 * line each.
 */
export async function templateMain(
  flags: TemplateFlags,
  target: { stack: Stack; tooling: Tooling; root: string },
  ctx: TemplateContext,
  say: (line: string) => void,
  fail: (line: string) => void,
): Promise<number> {
  const started = performance.now();
  const naming: TemplateNaming = { ...DEFAULT_NAMING, generate: target.tooling.rerun ?? target.tooling.generate, template: ctx.command };
  for (const [k, v] of Object.entries(ctx.naming ?? {})) if (typeof v === "string") naming[k as keyof TemplateNaming] = v;
  let result: Awaited<ReturnType<typeof templateStack>>;
  try {
    const helm = findHelm(ctx.cwd, ctx.env, naming);
    result = await templateStack({
      stack: target.stack,
      tooling: target.tooling,
      root: target.root,
      chartsDir: flags.chartsDir,
      helm,
      naming,
      ...(flags.cache ? { cacheDir: join(ctx.cwd, "node_modules", ".cache", "o11y-template") } : {}),
    });
  } catch (e) {
    if (e instanceof StackError) {
      for (const p of e.problems) fail(`error: ${formatProblem(p)}`);
      return EXIT.invalid;
    }
    if (e instanceof ChartSourceError || e instanceof PlanError) {
      fail(`error: ${e.message}`);
      return EXIT.invalid;
    }
    if (e instanceof HelmMissingError) {
      fail(`error: ${e.message}`);
      return EXIT.io;
    }
    throw e;
  }
  if (flags.out) {
    try {
      const files = writeRendered(flags.out, result.renders);
      say(`wrote ${files.length} rendered manifests to ${flags.out}`);
    } catch (e) {
      fail(`error: --out ${flags.out}: ${(e as Error).message}`);
      return EXIT.io;
    }
  }
  for (const l of summary(result)) (l.startsWith("error: ") ? fail : say)(l);
  const dead = deadValuesLine(result);
  if (dead !== undefined) say(dead);
  say(`total ${seconds(performance.now() - started)}`);
  if (result.findings.length > 0 && flags.check) return EXIT.drift;
  return EXIT.ok;
}
