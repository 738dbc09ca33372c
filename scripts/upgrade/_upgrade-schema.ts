// The upgrade report's inputs: the pinned and the target version of a chart (with its subcharts) built in
// memory by the update-schemas pipeline (scripts/schemas/_build.ts), from the first charts dir holding each chart.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { SchemaBuilder, type BuiltChart, type ChartEntry, type ChartsFile } from "../schemas/_build.js";
import { dirChartFiles, type ChartFiles } from "../schemas/_chart-source.js";
import { parseValues } from "../schemas/_infer.js";
import { commentsAbove } from "./_upgrade-comments.js";

/** Bad input (unknown chart, version not in any charts dir): exit 2. */
export class BadInput extends Error {}

interface ChartYaml {
  version?: unknown;
  dependencies?: { name: string; alias?: string; version?: string }[];
}

function readChartYaml(dir: string): ChartYaml | undefined {
  const p = join(dir, "Chart.yaml");
  return existsSync(p) ? ((parse(readFileSync(p, "utf8")) ?? {}) as ChartYaml) : undefined;
}

/** The first `<dir>/<folder>` (over the charts dirs, in order) whose Chart.yaml is there; `version` checks it. */
export function findFolder(dirs: readonly string[], folder: string): string | undefined {
  for (const d of dirs) if (readChartYaml(join(d, folder))) return join(d, folder);
  return undefined;
}

/** One chart version as the report sees it: the built schema plus the files it came from. */
export interface Side {
  version: string;
  built: BuiltChart;
  /** The chart's values.yaml defaults with each subchart's defaults under its key (parent values win). */
  defaults: Record<string, unknown>;
  /** chart → version for the chart and each pinned subchart. */
  versions: Record<string, string>;
  /** Builds of the subcharts (for their own generated types). */
  subBuilds: BuiltChart[];
  /** The comment block above each key of the values.yaml files (subcharts under their key). */
  comments: Map<string, string[]>;
}

export interface Retargeted {
  chartsFile: ChartsFile;
  overrides: Map<string, ChartFiles>;
  /** What had to be adapted to build the target (dependencies dropped or added, schema mode assumed). */
  notes: string[];
}

const EXACT = /^v?\d+\.\d+\.\d+(?:[-+][\w.-]+)?$/;

/**
 * charts.yaml with `chart` moved to `version` (and its pinned subcharts to the versions the target's
 * Chart.yaml requires), every chart's files taken from the first charts dir that holds them.
 */
export function retarget(chartsFile: ChartsFile, chart: string, version: string, dirs: readonly string[]): Retargeted {
  const entries = new Map(chartsFile.charts.map((c) => [c.chart, structuredClone(c)]));
  const entry = entries.get(chart);
  if (!entry) throw new BadInput(`unknown chart "${chart}": not listed in schemas/charts.yaml (known: ${[...entries.keys()].join(", ")})`);
  const overrides = new Map<string, ChartFiles>();
  const notes: string[] = [];
  const folder = findFolder(dirs, `${chart}-${version}`);
  if (!folder) throw new BadInput(`${chart} ${version}: no folder ${chart}-${version}/ with a Chart.yaml in ${dirs.join(", ")}`);
  const meta = readChartYaml(folder) as ChartYaml;
  if (String(meta.version) !== version) throw new BadInput(`${folder}/Chart.yaml: version is ${String(meta.version)}, not ${version}`);

  const move = (e: ChartEntry, v: string, dir: string) => {
    if (e.version !== v) {
      delete e.chartYamlVersion;
      delete e.appVersion;
    }
    e.version = v;
    e.source = `${e.chart}-${v}`;
    const ships = existsSync(join(dir, "values.schema.json"));
    if (ships && !e.upstreamSchema) {
      e.upstreamSchema = "merge";
      notes.push(`${e.chart} ${v} ships a values.schema.json; charts.yaml sets no upstreamSchema for it, so the report assumes "merge"`);
    } else if (!ships && e.upstreamSchema) {
      notes.push(`${e.chart} ${v} no longer ships a values.schema.json (charts.yaml has upstreamSchema: ${e.upstreamSchema}); inferred from values.yaml only`);
      delete e.upstreamSchema;
    }
    overrides.set(`${e.chart}@${v}`, dirChartFiles(dir));
  };
  move(entry, version, folder);

  const deps = new Map((meta.dependencies ?? []).map((d) => [d.alias ?? d.name, d]));
  const listed = new Set<string>();
  const subcharts = [];
  for (const s of entry.subcharts ?? []) {
    listed.add(s.key);
    if (s.local !== undefined) {
      subcharts.push(s);
      continue;
    }
    const d = deps.get(s.key);
    if (!d) {
      notes.push(`${chart} ${version} no longer depends on ${s.chart} (key "${s.key}")`);
      continue;
    }
    const target = entries.get(s.chart);
    const v = d.version ?? "";
    if (!target || !EXACT.test(v)) throw new BadInput(`${chart} ${version}: subchart ${s.chart} "${v}" is not an exact version pinned in schemas/charts.yaml`);
    const subDir = findFolder(dirs, `${s.chart}-${v}`) ?? (readChartYaml(join(folder, "charts", d.name))?.version === v ? join(folder, "charts", d.name) : undefined);
    if (!subDir) throw new BadInput(`${chart} ${version}: subchart ${s.chart} ${v}: no folder ${s.chart}-${v}/ in ${dirs.join(", ")} and no charts/${d.name}/ at that version in ${folder}`);
    move(target, v, subDir);
    subcharts.push({ ...s, version: v });
  }
  if (entry.subcharts) entry.subcharts = subcharts;
  const unpinned = [];
  for (const u of entry.unpinned ?? []) {
    listed.add(u.key);
    if (deps.has(u.key)) unpinned.push(u);
    else notes.push(`${chart} ${version} no longer depends on ${u.chart} (key "${u.key}")`);
  }
  for (const i of entry.ignoredDependencies ?? []) listed.add(i.chart);
  for (const [key, d] of deps) {
    if (listed.has(key) || listed.has(d.name)) continue;
    unpinned.push({ chart: d.name, key, reason: "new dependency of the target, not pinned" });
    notes.push(`${chart} ${version} adds a dependency ${d.name} (key "${key}"): kept as an open object`);
  }
  if (unpinned.length > 0 || entry.unpinned) entry.unpinned = unpinned;

  // Every other chart: its pinned folder from the first charts dir that has it.
  for (const e of entries.values()) {
    if (overrides.has(`${e.chart}@${e.version}`)) continue;
    const dir = findFolder(dirs, e.source);
    if (dir) overrides.set(`${e.chart}@${e.version}`, dirChartFiles(dir));
  }
  return { chartsFile: { charts: chartsFile.charts.map((c) => entries.get(c.chart) as ChartEntry) }, overrides, notes };
}

/** Overrides for the pinned charts: each from the first charts dir that holds its source folder. */
export function pinnedOverrides(chartsFile: ChartsFile, dirs: readonly string[]): Map<string, ChartFiles> {
  const out = new Map<string, ChartFiles>();
  for (const e of chartsFile.charts) {
    const dir = findFolder(dirs, e.source);
    if (dir) out.set(`${e.chart}@${e.version}`, dirChartFiles(dir));
  }
  return out;
}

function commentsOf(files: ChartFiles | undefined, prefix: readonly string[], into: Map<string, string[]>): void {
  const raw = files?.read("values.yaml");
  if (!raw) return;
  for (const [k, v] of commentsAbove(raw.toString("utf8"), files?.origin ?? "values.yaml")) {
    const key = JSON.stringify([...prefix, ...(JSON.parse(k) as string[])]);
    if (!into.has(key)) into.set(key, v);
  }
}

function valuesOf(files: ChartFiles | undefined, origin: string): Record<string, unknown> {
  const raw = files?.read("values.yaml");
  if (!raw) return {};
  return (parseValues(raw.toString("utf8"), origin).toJS() ?? {}) as Record<string, unknown>;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Helm's coalescing of a parent's values over a subchart's defaults: maps merge, anything else replaces. */
export function coalesce(base: unknown, over: unknown): unknown {
  if (!isMap(base) || !isMap(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in base ? coalesce(base[k], v) : v;
  return out;
}

/** Builds one side (pinned or target) of `chart`. */
export function buildSide(chartsFile: ChartsFile, overrides: Map<string, ChartFiles>, schemasDir: string, chart: string, chartsDirs: readonly string[]): Side {
  const builder = new SchemaBuilder(chartsFile, { chartsDir: chartsDirs[0] ?? ".", schemasDir, overrides, collectPatchFailures: true });
  const entry = builder.entry(chart);
  const files = overrides.get(`${entry.chart}@${entry.version}`);
  if (!files) throw new BadInput(`${chart} ${entry.version}: no folder ${entry.source}/ with a Chart.yaml in ${chartsDirs.join(", ")}`);
  const built = builder.build(chart);
  let defaults: unknown = valuesOf(files, files.origin);
  const versions: Record<string, string> = { [chart]: entry.version };
  const subBuilds: BuiltChart[] = [];
  const comments = new Map<string, string[]>();
  commentsOf(files, [], comments);
  for (const s of entry.subcharts ?? []) {
    let subDefaults: Record<string, unknown>;
    if (s.local !== undefined) {
      subDefaults = valuesOf(files.sub(s.local), `${files.origin}/${s.local}`);
      commentsOf(files.sub(s.local), [s.key], comments);
    } else {
      const se = builder.entry(s.chart);
      subDefaults = valuesOf(overrides.get(`${se.chart}@${se.version}`), se.source);
      commentsOf(overrides.get(`${se.chart}@${se.version}`), [s.key], comments);
      versions[s.chart] = se.version;
      subBuilds.push(builder.build(s.chart));
    }
    const d = defaults as Record<string, unknown>;
    defaults = { ...d, [s.key]: coalesce(subDefaults, d[s.key]) };
  }
  return { version: entry.version, built, defaults: defaults as Record<string, unknown>, versions, subBuilds, comments };
}
