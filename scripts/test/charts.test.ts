// Every pinned chart: its own values.yaml passes its committed schema, and re-running the pipeline on the chart
// sources reproduces the committed schemas and lock file byte for byte (drift check).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { charts, validateValues, type ChartName } from "@o11y-gitops/chart-values";
import { describe, expect, it } from "vitest";
import { parseValues } from "../schemas/_infer.js";
import { serialize } from "../schemas/_schema.js";
import { defaultChartsDir, loadBuilder, lockEntry, repoRoot, schemaPath, type LockFile } from "../schemas/update-schemas.js";

const haveSources = existsSync(join(defaultChartsDir, "INDEX.md"));
const lock = JSON.parse(readFileSync(join(repoRoot, "schemas/charts.lock.json"), "utf8")) as LockFile;
const pinned = lock.charts.map((c) => c.chart);

describe("pinned charts", () => {
  it("the lock, the generated pins and charts.yaml list the same charts", () => {
    const builder = loadBuilder(defaultChartsDir);
    expect(pinned).toStrictEqual(builder.entries().map((e) => e.chart));
    expect(Object.keys(charts)).toStrictEqual(pinned);
    expect(lock.charts.map((c) => [c.chart, c.version, c.appVersion, c.repository])).toStrictEqual(
      Object.values(charts).map((c) => [c.chart, c.version, c.appVersion, c.repository]),
    );
  });

  it.each(lock.charts.map((c) => [c.chart, c.schema]))("%s: the lock points at the committed schema %s", (chart, schema) => {
    const entry = lock.charts.find((c) => c.chart === chart);
    expect(schema).toBe(schemaPath(chart, entry?.version ?? ""));
    expect(existsSync(join(repoRoot, schema))).toBe(true);
  });
});

// A clone without ../shared/charts (every user clone) cannot re-read the chart sources.
const sourcesSuite = haveSources
  ? "against the chart sources in ../shared/charts"
  : "against the chart sources — skipped: chart sources are not available (no ../shared/charts next to the repo)";
describe.skipIf(!haveSources)(sourcesSuite, () => {
  const builder = loadBuilder(defaultChartsDir);

  // A patch may mark keys `required` that the chart's defaults leave unset on purpose (loki's schemaConfig:
  // the chart refuses to render without it). Those are checks on the user's values, so here they are set aside.
  it.each(pinned)("%s: the chart's own values.yaml passes its schema (required-by-patch aside)", (chart) => {
    const entry = builder.entry(chart);
    const src = readFileSync(join(defaultChartsDir, entry.source, "values.yaml"), "utf8");
    const values: unknown = parseValues(src, chart).toJS();
    const errors = validateValues(chart as ChartName, values).filter((e) => !e.message.startsWith("must have required property"));
    expect(errors).toStrictEqual([]);
  });

  it.each(pinned)("%s: re-inferring reproduces the committed schema and lock entry", (chart) => {
    const built = builder.build(chart);
    const committed = readFileSync(join(repoRoot, schemaPath(chart, built.entry.version)), "utf8");
    expect(serialize(built.schema)).toBe(committed);
    expect(lockEntry(built)).toStrictEqual(lock.charts.find((c) => c.chart === chart));
  });
});
