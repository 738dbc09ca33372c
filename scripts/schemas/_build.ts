// The update-schemas pipeline as pure-ish functions: charts.yaml entry + chart files + patches → schema.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { dirChartFiles, type ChartFiles } from "./_chart-source.js";
import { inferValuesSchema, parseValues } from "./_infer.js";
import { applyPatch, applyPatches, parsePatches } from "./_patches.js";
import { clone, DRAFT_07, isObjectSchema, stripTitles, union, type JSONSchema } from "./_schema.js";
import { constrainToUpstream, mergeUpstream, type UpstreamMode } from "./_upstream.js";

export interface SubchartRef {
  chart: string;
  /** The key the subchart's values sit under in the parent (the dependency's alias, else its name). */
  key: string;
  /** Pinned version: the subchart is the charts.yaml entry with this chart and version. */
  version?: string;
  /** A local subchart bundled in the parent (`charts/crds`), typed from its own values.yaml. */
  local?: string;
}

export interface UnpinnedDependency {
  chart: string;
  key: string;
  reason: string;
}

export interface IgnoredDependency {
  chart: string;
  reason: string;
}

export interface ChartEntry {
  chart: string;
  version: string;
  /** The version written in the source Chart.yaml when the release packaging rewrites it (rook, cert-manager). */
  chartYamlVersion?: string;
  /** The published appVersion when Chart.yaml carries a placeholder. */
  appVersion?: string;
  /** Folder under the charts dir. */
  source: string;
  repository: string;
  /** Required when the chart ships a values.schema.json. */
  upstreamSchema?: UpstreamMode;
  subcharts?: SubchartRef[];
  unpinned?: UnpinnedDependency[];
  ignoredDependencies?: IgnoredDependency[];
}

export interface ChartsFile {
  charts: ChartEntry[];
}

export interface BuiltChart {
  entry: ChartEntry;
  appVersion: string;
  schema: JSONSchema;
  digest: string;
  /** With `collectPatchFailures`: the schema before patches, and each patch that could not be applied. */
  unpatched?: JSONSchema;
  patchFailures?: string[];
  /** What the chart's shipped values.schema.json took away from the inferred and patched schema. */
  narrowed: string[];
}

export interface BuildOptions {
  chartsDir: string;
  /** Folder holding `patches/` (the repo's `schemas/`). */
  schemasDir: string;
  /** Chart files that replace an entry's source folder (from a `.tgz` on the command line), keyed `chart@version`. */
  overrides?: ReadonlyMap<string, ChartFiles>;
  /**
   * Apply each patch on its own and record the ones that fail instead of throwing (the upgrade report
   * builds a version the patches were not written for). Off for update-schemas: a failing patch is an error.
   */
  collectPatchFailures?: boolean;
}

const ENTRY_KEYS = new Set(["chart", "version", "chartYamlVersion", "appVersion", "source", "repository", "upstreamSchema", "subcharts", "unpinned", "ignoredDependencies"]);

export function parseChartsFile(text: string, file: string): ChartsFile {
  const doc = parse(text) as { charts?: unknown } | null;
  if (!doc || !Array.isArray(doc.charts)) throw new Error(`${file}: expected a top-level "charts" list`);
  const seen = new Set<string>();
  for (const [i, e] of (doc.charts as Record<string, unknown>[]).entries()) {
    for (const k of Object.keys(e)) if (!ENTRY_KEYS.has(k)) throw new Error(`${file}: charts[${i}]: unknown field "${k}"`);
    for (const k of ["chart", "version", "source", "repository"]) {
      if (typeof e[k] !== "string" || e[k] === "") throw new Error(`${file}: charts[${i}]: "${k}" must be a non-empty string`);
    }
    const id = `${String(e.chart)}@${String(e.version)}`;
    if (seen.has(String(e.chart))) throw new Error(`${file}: charts[${i}]: chart ${id} is listed twice`);
    seen.add(String(e.chart));
  }
  return doc as ChartsFile;
}

function sha256(b: Buffer | string): string {
  return createHash("sha256").update(b).digest("hex");
}

interface ChartYaml {
  name?: string;
  version?: string | number;
  appVersion?: string | number;
  type?: string;
  dependencies?: { name: string; alias?: string; condition?: string }[];
}

function readChartYaml(files: ChartFiles): { raw: Buffer; meta: ChartYaml } {
  const raw = files.read("Chart.yaml");
  if (!raw) throw new Error(`${files.origin}: Chart.yaml not found`);
  return { raw, meta: (parse(raw.toString("utf8")) ?? {}) as ChartYaml };
}

function inferFromFiles(files: ChartFiles): { schema: JSONSchema; values: unknown; raw?: Buffer } {
  const raw = files.read("values.yaml");
  if (!raw) return { schema: { type: "object", additionalProperties: false }, values: {} };
  const src = raw.toString("utf8");
  return { schema: inferValuesSchema(src, `${files.origin}/values.yaml`), values: parseValues(src, files.origin).toJS() ?? {}, raw };
}

/** Sets `additionalProperties: true` on every object node: for values whose chart is not pinned here. */
function openAll(s: JSONSchema): JSONSchema {
  const out: JSONSchema = { ...s };
  if (isObjectSchema(s) && s.additionalProperties === false) out.additionalProperties = true;
  if (s.properties) out.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, openAll(v)]));
  if (s.items) out.items = openAll(s.items);
  if (s.anyOf) out.anyOf = s.anyOf.map(openAll);
  return out;
}

const ENABLED: JSONSchema = { type: "boolean", description: "Helm dependency condition: installs the subchart when true." };
const GLOBAL_DESCRIPTION = "Helm global values, passed to this chart and all its subcharts.";

function withEnabled(node: JSONSchema): JSONSchema {
  if (node.properties?.enabled) return node;
  return { ...node, type: "object", properties: { ...(node.properties ?? {}), enabled: ENABLED } };
}

export class SchemaBuilder {
  private readonly memo = new Map<string, BuiltChart>();
  private readonly byChart: Map<string, ChartEntry>;

  constructor(
    private readonly chartsFile: ChartsFile,
    private readonly opts: BuildOptions,
  ) {
    this.byChart = new Map(chartsFile.charts.map((c) => [c.chart, c]));
  }

  entries(): readonly ChartEntry[] {
    return this.chartsFile.charts;
  }

  entry(chart: string): ChartEntry {
    const e = this.byChart.get(chart);
    if (!e) throw new Error(`chart "${chart}" is not listed in schemas/charts.yaml`);
    return e;
  }

  private files(e: ChartEntry): ChartFiles {
    return this.opts.overrides?.get(`${e.chart}@${e.version}`) ?? dirChartFiles(join(this.opts.chartsDir, e.source));
  }

  build(chart: string): BuiltChart {
    const hit = this.memo.get(chart);
    if (hit) return hit;
    const built = this.buildUncached(this.entry(chart), []);
    this.memo.set(chart, built);
    return built;
  }

  private buildUncached(e: ChartEntry, stack: string[]): BuiltChart {
    if (stack.includes(e.chart)) throw new Error(`subchart cycle: ${[...stack, e.chart].join(" → ")}`);
    const files = this.files(e);
    const where = `${e.chart} ${e.version} (${files.origin})`;
    const inputs: [string, string][] = [];
    const narrowed: string[] = [];
    const { raw: chartRaw, meta } = readChartYaml(files);
    inputs.push(["Chart.yaml", sha256(chartRaw)]);
    if (meta.name !== e.chart) throw new Error(`${where}: Chart.yaml name is ${String(meta.name)}`);
    const v = String(meta.version);
    if (v !== e.version && v !== e.chartYamlVersion) {
      throw new Error(`${where}: Chart.yaml version is ${v}, charts.yaml pins ${e.version}${e.chartYamlVersion ? ` (or ${e.chartYamlVersion})` : ""}`);
    }
    const appVersion = e.appVersion ?? String(meta.appVersion ?? "");
    this.checkDependencies(e, meta, where);

    const inferred = inferFromFiles(files);
    if (inferred.raw) inputs.push(["values.yaml", sha256(inferred.raw)]);
    let schema = inferred.schema;
    const upstreamRaw = files.read("values.schema.json");
    if (upstreamRaw) {
      inputs.push(["values.schema.json", sha256(upstreamRaw)]);
      if (!e.upstreamSchema) throw new Error(`${where}: the chart ships values.schema.json; set upstreamSchema (prefer | merge | values-first) in charts.yaml`);
      schema = mergeUpstream(schema, JSON.parse(upstreamRaw.toString("utf8")) as JSONSchema, e.upstreamSchema, inferred.values, `${files.origin}/values.schema.json`);
    } else if (e.upstreamSchema) {
      throw new Error(`${where}: upstreamSchema is set but the chart ships no values.schema.json`);
    }

    // Subcharts: typed from their own schema under their key, merged with what the parent sets there.
    const props: Record<string, JSONSchema> = { ...(schema.properties ?? {}) };
    const globals: JSONSchema[] = [];
    for (const sub of e.subcharts ?? []) {
      let subSchema: JSONSchema;
      if (sub.local !== undefined) {
        const subFiles = files.sub(sub.local);
        const subChart = readChartYaml(subFiles);
        inputs.push([`${sub.local}/Chart.yaml`, sha256(subChart.raw)]);
        const subInferred = inferFromFiles(subFiles);
        if (subInferred.raw) inputs.push([`${sub.local}/values.yaml`, sha256(subInferred.raw)]);
        subSchema = subInferred.schema;
      } else if (sub.version !== undefined) {
        const target = this.entry(sub.chart);
        if (target.version !== sub.version) throw new Error(`${where}: subchart ${sub.chart} ${sub.version} is pinned as ${target.version} in charts.yaml`);
        const built = this.memo.get(sub.chart) ?? this.buildUncached(target, [...stack, e.chart]);
        this.memo.set(sub.chart, built);
        inputs.push([`subchart ${sub.chart}`, built.digest]);
        subSchema = clone(built.schema);
        delete subSchema.$schema;
      } else {
        throw new Error(`${where}: subchart ${sub.chart} needs "version" or "local"`);
      }
      const subGlobal = subSchema.properties?.global;
      if (subGlobal) globals.push(subGlobal);
      const parentNode = props[sub.key];
      props[sub.key] = withEnabled(parentNode ? union(subSchema, parentNode) : subSchema);
    }
    for (const u of e.unpinned ?? []) {
      props[u.key] = withEnabled(openAll(props[u.key] ?? { type: "object", additionalProperties: true }));
    }

    // Helm's `global`: always allowed, open at the top, typed where this chart or a subchart shows keys.
    let global: JSONSchema = props.global ?? { type: "object", description: GLOBAL_DESCRIPTION, additionalProperties: true };
    for (const g of globals) global = union(global, g);
    props.global = { ...global, type: "object", additionalProperties: true };
    schema = { $schema: DRAFT_07, ...schema, type: "object", properties: props, additionalProperties: false };

    let unpatched: JSONSchema | undefined;
    let patchFailures: string[] | undefined;
    const patchFile = join(this.opts.schemasDir, "patches", `${e.chart}.yaml`);
    if (existsSync(patchFile)) {
      const text = readFileSync(patchFile, "utf8");
      inputs.push([`patches/${e.chart}.yaml`, sha256(text)]);
      const file = `schemas/patches/${e.chart}.yaml`;
      const patches = parsePatches(text, file);
      if (this.opts.collectPatchFailures) {
        unpatched = stripTitles(schema);
        patchFailures = [];
        for (const [i, p] of patches.entries()) {
          try {
            schema = applyPatch(schema, p, `${file}[${i}]`);
          } catch (err) {
            patchFailures.push((err as Error).message);
          }
        }
      } else {
        schema = applyPatches(schema, patches, file);
      }
    }
    // Helm enforces the shipped values.schema.json on every render: nothing it refuses may stay in ours.
    if (upstreamRaw) {
      const constrained = constrainToUpstream(schema, JSON.parse(upstreamRaw.toString("utf8")) as JSONSchema, `${files.origin}/values.schema.json`);
      schema = constrained.schema;
      narrowed.push(...constrained.narrowed);
    }
    const digest = sha256(inputs.map(([n, h]) => `${h}  ${n}\n`).join(""));
    const out: BuiltChart = { entry: e, appVersion, schema: stripTitles(schema), digest: `sha256:${digest}`, narrowed };
    if (this.opts.collectPatchFailures) {
      out.unpatched = unpatched ?? out.schema;
      out.patchFailures = patchFailures ?? [];
    }
    return out;
  }

  private checkDependencies(e: ChartEntry, meta: ChartYaml, where: string): void {
    const known = new Set<string>([
      ...(e.subcharts ?? []).map((s) => s.key),
      ...(e.unpinned ?? []).map((s) => s.key),
      ...(e.ignoredDependencies ?? []).map((s) => s.chart),
    ]);
    for (const d of meta.dependencies ?? []) {
      const key = d.alias ?? d.name;
      if (!known.has(key) && !known.has(d.name)) {
        throw new Error(`${where}: dependency ${d.name} (values key "${key}") is not listed in charts.yaml subcharts, unpinned or ignoredDependencies`);
      }
    }
    const declared = new Set((meta.dependencies ?? []).map((d) => d.alias ?? d.name));
    for (const s of [...(e.subcharts ?? []), ...(e.unpinned ?? [])]) {
      if (!declared.has(s.key)) throw new Error(`${where}: charts.yaml lists subchart key "${s.key}" but Chart.yaml has no such dependency`);
    }
  }
}
