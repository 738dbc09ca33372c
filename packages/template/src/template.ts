// The engine's entry for a whole stack: what the stack says beside the Applications (its fragments, Secret
// skeletons, manifests and Namespace), handed to runTemplate; and the summary the CLI prints.
import { stackNamespace, type Stack, type Tooling } from "@o11y-gitops/core";
import { stackInput } from "@o11y-gitops/stack";
import type { TemplateNaming } from "./naming.js";
import { CHECKS, type CheckName } from "./objects.js";
import { runTemplate, type TemplateResult } from "./run.js";

/** What `templateStack` needs: the stack, where its tree is, the charts, Helm and the cache. */
export interface StackTemplateOptions {
  /** The stack config the tree was rendered from. */
  stack: Stack;
  /** The commands and config the tree's files name (as `generate` was given them); default: the stack's own. */
  tooling?: Tooling;
  /** The output root: the folder `generate` wrote the tree into. */
  root: string;
  /** The charts dir: `<chart>-<version>/` folders (or `helm pull` .tgz files) of the pinned charts. */
  chartsDir: string;
  /** The Helm binary, from `findHelm`. */
  helm: string;
  /** Where the dead-values probes are cached between runs; undefined: no cache. */
  cacheDir?: string;
  /** What the messages name; default: the published CLI's names. */
  naming?: TemplateNaming;
}

/** Render every Application and fragment of a stack's tree with Helm and run every check. */
export function templateStack(o: StackTemplateOptions): Promise<TemplateResult> {
  const input = stackInput(o.stack, o.tooling);
  return runTemplate({
    root: o.root,
    chartsDir: o.chartsDir,
    stack: o.stack,
    extraFiles: input.extraFiles ?? [],
    treeSecrets: input.seedSecrets ?? [],
    treeObjects: input.components.flatMap((c) => c.manifests),
    treeNamespaces: [stackNamespace(o.stack)],
    helm: o.helm,
    ...(o.naming ? { naming: o.naming } : {}),
    ...(o.cacheDir !== undefined ? { cacheDir: o.cacheDir } : {}),
  });
}

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

/** The line after the summary that says how check 6 went, or undefined when it did not run. */
export function deadValuesLine(result: TemplateResult): string | undefined {
  const d = result.deadValues;
  return d ? `dead values: ${d.traced} traced by sentinel, ${d.removalTested} tested by removal; ${d.renders} probe renders, ${d.cached} probe results from the cache` : undefined;
}
