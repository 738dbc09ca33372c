// Check 6 (Helm-driven part): find the values we set that change nothing. Fast path first: one render per job
// with every string, number and list of strings we set replaced by a sentinel (schema validation off); a
// sentinel in the output proves its value reaches the cluster. Everything else (booleans, strings a template
// transforms or compares, values whose sentinel the chart refuses) is proven by removal: rendered without the
// value (the chart's default applies again) and compared with the render of all our values; a value is dead
// when the two are identical.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { HELM_VERSION } from "./naming.js";
import { clusterArgs } from "./cluster.js";
import { parse, stringify } from "yaml";
import { helmTemplate } from "./helm.js";
import { pool } from "./pool.js";
import type { Finding, Rendered } from "./objects.js";
import { atPath, chartDefaults, changedLeaves, deadFindings, layer, traceable, traced, tracedNumbers, without, withSentinels, type Path } from "./checks/dead-values.js";

/** How check 6 (dead values) went: values proven live each way, and what the probes cost. */
export interface DeadValuesStats {
  /** Helm runs made (cache misses). */
  renders: number;
  /** Probe results taken from the cache. */
  cached: number;
  /** Values proven live by a sentinel found in the render. */
  traced: number;
  /** Values proven live (or dead) by a render without them. */
  removalTested: number;
}

interface Probe {
  values: unknown;
  extraArgs?: string[];
}

/** What a probe render tells: Helm's error, the output's digest, the sentinel indexes in output or error. */
interface ProbeResult {
  error?: string;
  sha: string;
  /** String sentinels found. */
  found: number[];
  /** Numeric sentinels found (the baseline's are the chart's own numbers of that shape). */
  numbers: number[];
}

/** Bump when ProbeResult or what a probe means changes: old cache entries then simply miss. */
const CACHE_FORMAT = 3;

const sha256 = (s: string | Buffer) => createHash("sha256").update(s).digest("hex");

function resultOf(text: string, error?: string): ProbeResult {
  return {
    ...(error !== undefined ? { error } : {}),
    sha: sha256(text),
    found: [...traced(error ?? text, Number.MAX_SAFE_INTEGER)],
    numbers: [...tracedNumbers(error ?? text)],
  };
}

/** A digest of every file of a chart folder (the cache must miss when a chart changes). */
function chartDigest(dir: string): string {
  const h = createHash("sha256");
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) h.update(`${relative(dir, p)}\0`).update(readFileSync(p));
    }
  };
  walk(dir);
  return h.digest("hex");
}

export async function deadValueFindings(
  root: string,
  helm: string,
  renders: readonly Rendered[],
  chartDirs: ReadonlyMap<string, string>,
  allowlist: Readonly<Record<string, Readonly<Record<string, string>>>>,
  parallel: number,
  /** Probe results are kept here between runs, keyed by Helm version, chart content, release, flags and values. */
  cacheDir?: string,
): Promise<{ findings: Finding[]; stats: DeadValuesStats }> {
  const tmp = mkdtempSync(join(tmpdir(), "o11y-dead-values-"));
  const stats: DeadValuesStats = { renders: 0, traced: 0, removalTested: 0, cached: 0 };
  const digests = new Map<string, string>();
  if (cacheDir) mkdirSync(cacheDir, { recursive: true });
  let n = 0;
  try {
    const render = async (r: Rendered, probe: Probe): Promise<ProbeResult> => {
      const dir = chartDirs.get(r.job.name) as string;
      const valuesText = stringify(probe.values);
      if (!digests.has(dir)) digests.set(dir, chartDigest(dir));
      const key = sha256(JSON.stringify([CACHE_FORMAT, HELM_VERSION, digests.get(dir), r.job.release, r.job.namespace, clusterArgs(), probe.extraArgs ?? [], valuesText]));
      const cached = cacheDir ? join(cacheDir, `${key}.json`) : undefined;
      if (cached && existsSync(cached)) {
        stats.cached++;
        return JSON.parse(readFileSync(cached, "utf8")) as ProbeResult;
      }
      const file = join(tmp, `probe-${n++}.yaml`);
      writeFileSync(file, valuesText);
      stats.renders++;
      const out = await helmTemplate(helm, r.job, dir, [file], probe.extraArgs ?? []);
      const result = resultOf(out.text, out.error);
      if (cached) writeFileSync(cached, JSON.stringify(result));
      return result;
    };
    const perJob = await pool(renders, parallel, async (r): Promise<Finding[]> => {
      const ours = r.job.valueFiles.reduce<unknown>((acc, f) => layer(acc, parse(readFileSync(join(root, f), "utf8")) ?? {}), {});
      const leaves = changedLeaves(ours, chartDefaults(chartDirs.get(r.job.name) as string));
      if (leaves.length === 0) return [];
      const traceables = leaves.filter((p) => traceable(ours, p));
      // The baseline: our values as one file, with the main render's flags. With a single values file that
      // is the main render itself; several files are merged (Helm's layering) and rendered once.
      const baselineRender = r.job.valueFiles.length === 1 ? Promise.resolve(resultOf(r.text)) : render(r, { values: ours });
      // Sentinel probes (strings and numbers apart: a count is likelier to trip a template). A chart that refuses
      // a sentinel it names in its error (an enum check) is probed again without it; one that names none (a
      // count check) is probed again in halves while more than 8 remain; the rest are proven by removal.
      const tracedPaths = new Set<Path>();
      const probe = async (group: readonly Path[]): Promise<void> => {
        if (group.length === 0) return;
        const out = await render(r, { values: withSentinels(ours, group), extraArgs: ["--skip-crds", "--skip-schema-validation"] });
        const chartOwn = new Set((await baselineRender).numbers);
        const found = new Set([...out.found, ...out.numbers.filter((i) => !chartOwn.has(i))].filter((i) => i < group.length));
        if (out.error === undefined) {
          for (const i of found) tracedPaths.add(group[i] as Path);
          return;
        }
        const named = found;
        if (named.size > 0) {
          // Its siblings under the same key name (every component's `resourcesPreset`) would fail alike.
          const keys = new Set([...named].map((i) => group[i]?.at(-1)));
          return probe(group.filter((p, i) => !named.has(i) && !keys.has(p.at(-1))));
        }
        // A few values left: proving each by removal costs about what halving would.
        if (group.length <= 8) return;
        const mid = Math.ceil(group.length / 2);
        await Promise.all([probe(group.slice(0, mid)), probe(group.slice(mid))]);
      };
      const numbers = traceables.filter((p) => typeof atPath(ours, p) === "number");
      const others = traceables.filter((p) => typeof atPath(ours, p) !== "number");
      const [baseline] = await Promise.all([baselineRender, probe(others), probe(numbers)]);
      if (baseline.error !== undefined) {
        return [{ job: r.job.name, check: "dead-values", message: `our values merged into one file do not render (${baseline.error}): dead values not checked` }];
      }
      stats.traced += tracedPaths.size;
      const candidates = leaves.filter((p) => !tracedPaths.has(p));
      stats.removalTested += candidates.length;
      const results = await pool(candidates, candidates.length, async (p) => {
        const out = await render(r, { values: without(ours, p) });
        return out.error === undefined && out.sha === baseline.sha ? p : undefined;
      });
      const dead = results.filter((p): p is Path => p !== undefined);
      return deadFindings(r.job.name, r.job.chart, dead, allowlist[r.job.chart] ?? {});
    });
    return { findings: perJob.flat(), stats };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
