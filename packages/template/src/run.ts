// Orchestration: plan the jobs, resolve charts, render them all (in parallel), run the checks, and say how long
// each part took. The CLI (`o11y-gitops template`, packages/cli) only parses flags and prints.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ExtraFile, K8sObject, Stack } from "@o11y-gitops/core";
import { readLock, resolveChart } from "./charts.js";
import { DEFAULT_NAMING, type TemplateNaming } from "./naming.js";
import { helmTemplate } from "./helm.js";
import { pool } from "./pool.js";
import { deadValueFindings, type DeadValuesStats } from "./dead-values-run.js";
import { applicationJobs, fragmentJobs, type RenderJob } from "./plan.js";
import { CHECKS, type CheckName, type Finding, type Rendered } from "./objects.js";
import { renderFindings } from "./checks/render.js";
import { schemaFindings, schemaLookup } from "./checks/schema.js";
import { retentionFindings, secretFindings, volumeFindings } from "./checks/seed.js";
import { DEAD_VALUES, RUNTIME_SECRETS } from "./allowlist.js";
import { renderedAddresses, stackAddresses, wiringFindings } from "./checks/wiring.js";
import { selectionFindings } from "./checks/selection.js";

/** What `runTemplate` renders and checks, and with what. */
export interface TemplateOptions {
  /** The output root: the folder `generate` wrote the tree into (value files resolve against it). */
  root: string;
  /** Where the pinned charts' complete sources are: `<chart>-<version>/` folders or `helm pull` .tgz files. */
  chartsDir: string;
  /** The stack the tree was rendered from. */
  stack: Stack;
  /** The stack's files outside the Helm flow (the values fragments among them). */
  extraFiles: readonly ExtraFile[];
  /** The Secrets the tree provides (the stack's skeletons). */
  treeSecrets: readonly K8sObject[];
  /** The tree's own objects beside the Applications (component manifests such as the write-endpoint Ingresses). */
  treeObjects: readonly K8sObject[];
  /** The Namespaces the tree defines (their labels matter to namespace selectors). */
  treeNamespaces: readonly K8sObject[];
  /** The Helm binary (`findHelm`). */
  helm: string;
  /** What the messages name (the pin list, the commands); default: the published CLI's. */
  naming?: TemplateNaming;
  /** Where check 6 keeps probe results between runs (undefined: no cache). */
  cacheDir?: string;
}

/** Every render and every finding of one `runTemplate`. */
export interface TemplateResult {
  /** One per job, in plan order (Applications by file name, then fragments). */
  renders: Rendered[];
  /** What the checks found; empty when every check held. */
  findings: Finding[];
  /** Wall time per check and for rendering, ms. */
  timings: Record<"render" | CheckName, number>;
  /** Chart folder per job name. */
  chartDirs: Map<string, string>;
  deadValues?: DeadValuesStats;
}

/** The render jobs of a tree: its Applications, then the infrastructure fragments at their pinned versions. */
export function planJobs(o: Pick<TemplateOptions, "root" | "stack" | "extraFiles" | "naming">): RenderJob[] {
  const naming = o.naming ?? DEFAULT_NAMING;
  return [...applicationJobs(o.root, o.stack, naming), ...fragmentJobs(o.extraFiles, Object.fromEntries(readLock()), naming)];
}

/** Plan, resolve the charts, render every job with Helm (in parallel) and run every check on the result. */
export async function runTemplate(o: TemplateOptions): Promise<TemplateResult> {
  const lock = readLock();
  const jobs = planJobs(o);
  const chartDirs = new Map(jobs.map((j) => [j.name, resolveChart(o.chartsDir, j.chart, j.version, lock, o.naming ?? DEFAULT_NAMING)]));
  const timings = Object.fromEntries(["render", ...CHECKS].map((k) => [k, 0])) as TemplateResult["timings"];
  // Helm processes are limited in helm.ts; this only bounds how many jobs are in flight.
  const parallel = jobs.length;
  let t = performance.now();
  const renders = await pool(jobs, parallel, (j) => helmTemplate(o.helm, j, chartDirs.get(j.name) as string, j.valueFiles.map((f) => join(o.root, f))));
  timings.render = performance.now() - t;
  const findings: Finding[] = [];
  const timed = (name: CheckName, fn: () => Finding[]) => {
    t = performance.now();
    findings.push(...fn());
    timings[name] += performance.now() - t;
  };
  timed("render", () => renderFindings(renders));
  const ok = renders.filter((r) => r.error === undefined);
  timed("schema", () => schemaFindings(ok, schemaLookup(ok)));
  const namespaces = new Set([o.stack.namespace, ...ok.map((r) => r.job.namespace)]);
  timed("wiring", () => wiringFindings(ok, [...stackAddresses(o.stack), ...renderedAddresses(ok, namespaces, o.treeObjects)]));
  timed("selection", () => selectionFindings(ok, o.stack, o.treeObjects, o.treeNamespaces));
  timed("seed", () => [...volumeFindings(ok, o.stack), ...retentionFindings(ok, o.stack), ...secretFindings(ok, o.stack, o.treeSecrets, RUNTIME_SECRETS)]);
  t = performance.now();
  const dead = await deadValueFindings(o.root, o.helm, ok, chartDirs, DEAD_VALUES, parallel, o.cacheDir);
  findings.push(...dead.findings);
  timings["dead-values"] = performance.now() - t;
  return { renders, findings, timings, chartDirs, deadValues: dead.stats };
}

/** `--out DIR`: each render's stream as Helm printed it, `<DIR>/<job>.yaml` (the rendered-manifests pattern). */
export function writeRendered(dir: string, renders: readonly Rendered[]): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const r of renders) {
    if (r.error !== undefined) continue;
    const file = join(dir, `${r.job.kind === "fragment" ? `${r.job.chart}.fragment` : r.job.name}.yaml`);
    writeFileSync(file, r.text);
    written.push(file);
  }
  return written;
}
