// What to render: every ArgoCD Application of the committed tree (chart, version, release, namespace, value
// files in order, exactly as the Application states them), and every infrastructure values fragment the stack
// writes, layered onto its chart as the fragment's header describes.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { treePaths, type ExtraFile, type Stack } from "@o11y-gitops/core";
import { INFRA_CHARTS, type InfraChart } from "@o11y-gitops/metrics";
import { INFRA_RELEASES } from "./cluster.js";
import { DEFAULT_NAMING, type TemplateNaming } from "./naming.js";

/** One `helm template` run. */
export interface RenderJob {
  /** Summary name: the Application name, or `<chart> (fragment)` for the infrastructure charts. */
  name: string;
  chart: string;
  version: string;
  release: string;
  namespace: string;
  /** Repo-relative values files, in the order Helm layers them. */
  valueFiles: string[];
  kind: "application" | "fragment";
}

/** A problem found while planning (a malformed Application): bad input, exit 2. */
export class PlanError extends Error {}

interface AppSource {
  repoURL?: string;
  chart?: string;
  path?: string;
  targetRevision?: string;
  ref?: string;
  helm?: { releaseName?: string; valueFiles?: string[] };
}

/** The chart name of a Helm source: `chart`, or the last segment of an `oci://…/<chart>` repoURL. */
function chartOf(src: AppSource): string | undefined {
  if (src.chart) return src.chart;
  if (src.repoURL?.startsWith("oci://")) return src.repoURL.split("/").pop();
  return undefined;
}

/**
 * The render job of one Application document (`file` for messages). `$values/<path>` value files resolve
 * against the repo root (the `ref: values` source is this repository).
 */
export function jobFromApplication(app: unknown, file: string): RenderJob | undefined {
  const a = app as { kind?: string; metadata?: { name?: string }; spec?: { sources?: AppSource[]; source?: AppSource; destination?: { namespace?: string } } };
  if (a?.kind !== "Application") return undefined;
  const sources = a.spec?.sources ?? (a.spec?.source ? [a.spec.source] : []);
  const helmSource = sources.find((s) => chartOf(s) !== undefined && s.ref === undefined);
  if (!helmSource) return undefined; // a Git-path Application (the app-of-apps): nothing to render with Helm
  const name = a.metadata?.name;
  const chart = chartOf(helmSource);
  const namespace = a.spec?.destination?.namespace;
  if (!name || !chart || !helmSource.targetRevision || !namespace) {
    throw new PlanError(`${file}: Application needs metadata.name, a chart source with targetRevision, and spec.destination.namespace`);
  }
  const refs = new Set(sources.filter((s) => s.ref !== undefined).map((s) => `$${s.ref}/`));
  const valueFiles = (helmSource.helm?.valueFiles ?? []).map((v) => {
    const ref = [...refs].find((r) => v.startsWith(r));
    if (!ref) throw new PlanError(`${file}: value file ${v} is not under a ref source of this repository`);
    return v.slice(ref.length);
  });
  return { name, chart, version: helmSource.targetRevision, release: helmSource.helm?.releaseName ?? name, namespace, valueFiles, kind: "application" };
}

/** Jobs of every Application file under the tree's applications folder, in file-name order. */
export function applicationJobs(root: string, stack: Stack, naming: Pick<TemplateNaming, "generate"> = DEFAULT_NAMING): RenderJob[] {
  const dir = join(root, treePaths(stack).applications);
  if (!existsSync(dir)) throw new PlanError(`${treePaths(stack).applications}: no such folder (run ${naming.generate} first)`);
  const jobs: RenderJob[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".yaml")).sort()) {
    const rel = `${treePaths(stack).applications}/${f}`;
    for (const doc of parseAllDocuments(readFileSync(join(dir, f), "utf8"))) {
      const job = jobFromApplication(doc.toJS(), rel);
      if (job) jobs.push(job);
    }
  }
  return jobs;
}

/**
 * One job per infrastructure chart the stack writes values files for (`ExtraFile.valuesOf`), its files in the
 * stack's order (the monitoring fragment, then opt-in ones such as the Loki tenant pinning), at the pinned version.
 */
export function fragmentJobs(extraFiles: readonly ExtraFile[], versions: Readonly<Record<string, { version: string }>>, naming: Pick<TemplateNaming, "pins"> = DEFAULT_NAMING): RenderJob[] {
  const byChart = new Map<InfraChart, string[]>();
  for (const f of extraFiles) {
    if (!("valuesOf" in f) || f.valuesOf === undefined) continue;
    const chart = f.valuesOf as InfraChart;
    if (!INFRA_CHARTS.includes(chart)) continue;
    byChart.set(chart, [...(byChart.get(chart) ?? []), f.path]);
  }
  return INFRA_CHARTS.filter((c) => byChart.has(c)).map((chart) => {
    const pin = versions[chart];
    if (!pin) throw new PlanError(`${chart}: not pinned in ${naming.pins}`);
    const { release, namespace } = INFRA_RELEASES[chart];
    return { name: `${chart} (fragment)`, chart, version: pin.version, release, namespace, valueFiles: byChart.get(chart) ?? [], kind: "fragment" as const };
  });
}
