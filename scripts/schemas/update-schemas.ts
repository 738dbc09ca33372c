// pnpm update-schemas [--charts-dir DIR] [--check] [chart | path/to/chart.tgz ...]
// Writes schemas/<chart>/<version>/values.schema.json and schemas/charts.lock.json from the pinned chart data
// listed in schemas/charts.yaml (see scripts/schemas/_build.ts for the pipeline).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { parseChartsFile, SchemaBuilder, type BuiltChart } from "./_build.js";
import { tgzChartFiles, type ChartFiles } from "./_chart-source.js";
import { newAjv, usesFormat } from "./_ajv.js";
import { parseValues } from "./_infer.js";
import { countObjects, serialize, type JSONSchema } from "./_schema.js";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const schemasDir = join(repoRoot, "schemas");
export const defaultChartsDir = resolve(repoRoot, "../shared/charts");

export interface LockEntry {
  chart: string;
  version: string;
  appVersion: string;
  repository: string;
  digest: string;
  schema: string;
  subcharts?: { chart: string; version: string; key: string }[];
}

export interface LockFile {
  charts: LockEntry[];
}

function readIfExists(p: string): Buffer | undefined {
  return existsSync(p) ? readFileSync(p) : undefined;
}

export function schemaPath(chart: string, version: string): string {
  return `schemas/${chart}/${version}/values.schema.json`;
}

export function lockEntry(b: BuiltChart): LockEntry {
  const e = b.entry;
  const subs = (e.subcharts ?? []).filter((s) => s.version !== undefined).map((s) => ({ chart: s.chart, version: s.version as string, key: s.key }));
  return {
    chart: e.chart,
    version: e.version,
    appVersion: b.appVersion,
    repository: e.repository,
    digest: b.digest,
    schema: schemaPath(e.chart, e.version),
    ...(subs.length > 0 ? { subcharts: subs } : {}),
  };
}

export function loadBuilder(chartsDir: string, overrides?: ReadonlyMap<string, ChartFiles>): SchemaBuilder {
  const file = join(schemasDir, "charts.yaml");
  return new SchemaBuilder(parseChartsFile(readFileSync(file, "utf8"), "schemas/charts.yaml"), { chartsDir, schemasDir, ...(overrides ? { overrides } : {}) });
}

/**
 * Compiles the schema with the strict ajv codegen uses (a bad patch fragment fails here, not in codegen) and
 * returns the problems the chart's own values.yaml has against it (`required` set aside: a patch may require
 * what the chart's defaults leave for the user to set).
 */
export function checkDefaults(schema: JSONSchema, valuesYaml: string | undefined, origin: string): string[] {
  let validate;
  try {
    validate = newAjv(usesFormat(schema)).compile(schema);
  } catch (err) {
    throw new Error(`${origin}: ajv rejects the schema: ${(err as Error).message}`);
  }
  if (valuesYaml === undefined) return [];
  if (validate(parseValues(valuesYaml, origin).toJS() ?? {})) return [];
  return (validate.errors ?? [])
    .filter((e) => e.keyword !== "required")
    .map((e) => `${e.instancePath || "/"} ${e.message ?? e.keyword}${e.keyword === "additionalProperties" ? ` "${String(e.params.additionalProperty)}"` : ""}`);
}

function main(argv: string[]): number {
  let chartsDir = defaultChartsDir;
  let check = false;
  const selected: string[] = [];
  const overrides = new Map<string, ChartFiles>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "--charts-dir") {
      const d = argv[++i];
      if (!d) throw new Error("--charts-dir needs a folder");
      chartsDir = resolve(d);
    } else if (a === "--check") {
      check = true;
    } else if (a.endsWith(".tgz")) {
      const files = tgzChartFiles(readFileSync(a), a);
      const meta = parse(files.read("Chart.yaml")?.toString("utf8") ?? "") as { name?: string; version?: string } | null;
      if (!meta?.name) throw new Error(`${a}: no Chart.yaml`);
      const builder = loadBuilder(chartsDir);
      const entry = builder.entry(meta.name);
      if (String(meta.version) !== entry.version && String(meta.version) !== entry.chartYamlVersion) {
        throw new Error(`${a}: ${meta.name} ${String(meta.version)} is not the version pinned in schemas/charts.yaml (${entry.version}); update charts.yaml first`);
      }
      overrides.set(`${entry.chart}@${entry.version}`, files);
      selected.push(entry.chart);
    } else {
      selected.push(a);
    }
  }
  const builder = loadBuilder(chartsDir, overrides);
  const charts = selected.length > 0 ? selected : builder.entries().map((e) => e.chart);
  const lockFile = join(schemasDir, "charts.lock.json");
  const previous: LockFile = existsSync(lockFile) ? (JSON.parse(readFileSync(lockFile, "utf8")) as LockFile) : { charts: [] };
  const entries = new Map(previous.charts.map((c) => [c.chart, c]));
  const drift: string[] = [];
  const rows: string[][] = [["chart", "version", "closed", "open"]];
  const failures: string[] = [];
  for (const chart of charts) {
    // One chart's bad patch must not block the others: report it, keep its previous lock entry.
    try {
      const built = builder.build(chart);
      const out = join(repoRoot, schemaPath(chart, built.entry.version));
      const text = serialize(built.schema);
      const valuesYaml = (overrides.get(`${built.entry.chart}@${built.entry.version}`)?.read("values.yaml") ?? readIfExists(join(chartsDir, built.entry.source, "values.yaml")))?.toString("utf8");
      const problems = checkDefaults(built.schema, valuesYaml, chart);
      if (check) {
        if (!existsSync(out) || readFileSync(out, "utf8") !== text) drift.push(schemaPath(chart, built.entry.version));
      } else {
        mkdirSync(dirname(out), { recursive: true });
        writeFileSync(out, text);
      }
      for (const problem of problems) console.error(`warning: ${chart}: the chart's own values.yaml fails its schema at ${problem}`);
      for (const n of built.narrowed) console.error(`note: ${chart}: narrowed to the chart's values.schema.json: ${n}`);
      entries.set(chart, lockEntry(built));
      const c = countObjects(built.schema);
      rows.push([chart, built.entry.version, String(c.closed), String(c.open)]);
    } catch (err) {
      failures.push((err as Error).message);
      rows.push([chart, "FAILED", "-", "-"]);
    }
  }
  const order = builder.entries().map((e) => e.chart);
  const lock: LockFile = { charts: order.filter((c) => entries.has(c)).map((c) => entries.get(c) as LockEntry) };
  const lockText = `${JSON.stringify(lock, null, 2)}\n`;
  if (check) {
    if (!existsSync(lockFile) || readFileSync(lockFile, "utf8") !== lockText) drift.push("schemas/charts.lock.json");
  } else {
    writeFileSync(lockFile, lockText);
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  for (const r of rows) console.log(r.map((c, i) => (i >= 2 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join("  "));
  for (const f of failures) console.error(`error: ${f}`);
  if (failures.length > 0) return 2;
  if (drift.length > 0) {
    console.error(`out of date (run pnpm update-schemas):\n  ${drift.join("\n  ")}`);
    return 1;
  }
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    process.exitCode = 2;
  }
}
