// pnpm template [--check] [--charts-dir DIR] [--out DIR]
// Renders every ArgoCD Application of the committed tree and every infrastructure values fragment with the real
// Helm (offline, as ArgoCD would), then checks the rendered objects (see scripts/template/ and the README's
// "Real render" section). Exit codes as generate's: 0 ok, 1 a check failed (--check), 2 bad input (flags, a
// chart missing or not the pinned one, a malformed Application), 3 Helm missing or --out not writable.
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { EXIT, formatProblem, StackError, stackNamespace } from "@o11y-gitops/core";
import { stackInput } from "@o11y-gitops/stack";
import { stack } from "../stack.config.js";
import { ChartSourceError } from "./template/charts.js";
import { findHelm, HelmMissingError } from "./template/helm.js";
import { PlanError } from "./template/plan.js";
import { CHECKS, type CheckName } from "./template/objects.js";
import { runTemplate, writeRendered, type TemplateResult } from "./template/run.js";

export const repoRoot = resolve(fileURLToPath(import.meta.url), "../..");

export interface CliOptions {
  check: boolean;
  cache: boolean;
  chartsDir: string;
  out?: string;
}

export function parseArgs(argv: readonly string[], root: string): CliOptions {
  const o: CliOptions = { check: false, cache: true, chartsDir: resolve(root, ".charts") };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--check") o.check = true;
    else if (a === "--no-cache") o.cache = false;
    else if (a === "--charts-dir" || a === "--out") {
      const v = argv[++i];
      if (!v || v.startsWith("--")) throw new UsageError(`${a} needs a folder`);
      if (a === "--charts-dir") o.chartsDir = resolve(v);
      else o.out = resolve(v);
    } else throw new UsageError(`unknown argument ${String(a)} (usage: pnpm template [--check] [--charts-dir DIR] [--out DIR] [--no-cache])`);
  }
  return o;
}

export class UsageError extends Error {}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)}s`;

/** The per-chart summary: objects rendered, checks held or failed, render time; then the findings and totals. */
export function summary(result: TemplateResult, checks: readonly CheckName[] = CHECKS): string[] {
  const rows: string[][] = [["chart", "release", "objects", "render", "checks"]];
  for (const r of result.renders) {
    const mine = result.findings.filter((f) => f.job === r.job.name);
    const failed = checks.filter((c) => mine.some((f) => f.check === c));
    const state = r.error !== undefined ? "FAILED render" : failed.length === 0 ? `${checks.length}/${checks.length} held` : `FAILED ${failed.map((c) => `${c}(${mine.filter((f) => f.check === c).length})`).join(" ")}`;
    rows.push([`${r.job.name}`, `${r.job.chart} ${r.job.version} → ${r.job.namespace}/${r.job.release}`, String(r.objects.length), seconds(r.ms), state]);
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? "").length))) ?? [];
  const lines = rows.map((row) => row.map((c, i) => (i === 2 || i === 3 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join("  ").trimEnd());
  for (const f of result.findings) lines.push(`error: ${f.job}: ${f.check}: ${f.message}`);
  const total = result.renders.reduce((n, r) => n + r.objects.length, 0);
  lines.push(
    `${result.renders.length} renders, ${total} objects; time: render ${seconds(result.timings.render)}, ` +
      checks.filter((c) => c !== "render").map((c) => `${c} ${seconds(result.timings[c])}`).join(", "),
  );
  return lines;
}

export async function main(argv: readonly string[], root = repoRoot, out = console.log, err = console.error): Promise<number> {
  const started = performance.now();
  let opts: CliOptions;
  try {
    opts = parseArgs(argv, root);
  } catch (e) {
    err(`error: ${(e as Error).message}`);
    return EXIT.invalid;
  }
  let result: TemplateResult;
  try {
    const input = stackInput(stack);
    const helm = findHelm(root);
    result = await runTemplate({ root, chartsDir: opts.chartsDir, stack, extraFiles: input.extraFiles ?? [], treeSecrets: input.seedSecrets ?? [], treeObjects: input.components.flatMap((c) => c.manifests), treeNamespaces: [stackNamespace(stack)], helm, ...(opts.cache ? { cacheDir: join(root, "node_modules", ".cache", "o11y-template") } : {}) });
  } catch (e) {
    if (e instanceof StackError) {
      for (const p of e.problems) err(`error: ${formatProblem(p)}`);
      return EXIT.invalid;
    }
    if (e instanceof ChartSourceError || e instanceof PlanError) {
      err(`error: ${e.message}`);
      return EXIT.invalid;
    }
    if (e instanceof HelmMissingError) {
      err(`error: ${e.message}`);
      return EXIT.io;
    }
    throw e;
  }
  if (opts.out) {
    try {
      const files = writeRendered(opts.out, result.renders);
      out(`wrote ${files.length} rendered manifests to ${opts.out}`);
    } catch (e) {
      err(`error: --out ${opts.out}: ${(e as Error).message}`);
      return EXIT.io;
    }
  }
  for (const l of summary(result)) (l.startsWith("error: ") ? err : out)(l);
  if (result.deadValues) {
    const d = result.deadValues;
    out(`dead values: ${d.traced} traced by sentinel, ${d.removalTested} tested by removal; ${d.renders} probe renders, ${d.cached} probe results from the cache`);
  }
  out(`total ${seconds(performance.now() - started)}`);
  if (result.findings.length > 0 && opts.check) return EXIT.drift;
  return EXIT.ok;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
