import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { atPath, changedLeaves, chartDefaults, deadFindings, layer, showPath, traceable, traced, tracedNumbers, without, withSentinels } from "../src/checks/dead-values.js";
import { deadValueFindings } from "../src/dead-values-run.js";
import { findHelm, helmTemplate } from "../src/helm.js";
import { renderFindings } from "../src/checks/render.js";
import { job, rendered } from "./_fixtures.js";

/** The repository this package lives in: its `.tools/bin/helm` is looked up like `pnpm template` does. */
const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

/** A tiny chart: `used`, `flag` and `count` reach the output; `ignored` and `deadFlag` are read by nothing. */
function tinyChart(schema?: object): string {
  const dir = mkdtempSync(join(tmpdir(), "o11y-tiny-chart-"));
  mkdirSync(join(dir, "templates"));
  writeFileSync(join(dir, "Chart.yaml"), "apiVersion: v2\nname: tiny\nversion: 1.0.0\n");
  writeFileSync(join(dir, "values.yaml"), "used: a\nignored: b\nflag: false\ndeadFlag: false\ncount: 1\nsub:\n  keep: x\n");
  writeFileSync(
    join(dir, "templates", "cm.yaml"),
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tiny\ndata:\n  used: {{ .Values.used | quote }}\n  replicas: {{ .Values.count | quote }}\n{{- if .Values.flag }}\n  flag: \"on\"\n{{- end }}\n",
  );
  if (schema) writeFileSync(join(dir, "values.schema.json"), JSON.stringify(schema));
  return dir;
}

describe("check 6 (pure): what we set, sentinels, findings", () => {
  it("lists the leaves that differ from the defaults, lists as a whole, empty maps not at all", () => {
    const ours = { a: 1, b: { c: "x", d: "same", e: {} }, l: ["p"], same: [1] };
    const defaults = { a: 2, b: { d: "same", e: { k: 1 } }, same: [1] };
    expect(changedLeaves(ours, defaults).map(showPath)).toEqual(["a", "b.c", "l"]);
  });
  it("removes a leaf, layers as Helm does, shows odd keys quoted", () => {
    expect(without({ a: { b: 1, c: 2 } }, ["a", "b"])).toEqual({ a: { c: 2 } });
    expect(layer({ a: { b: 1 }, l: [1, 2] }, { a: { c: 2 }, l: [3], d: null })).toEqual({ a: { b: 1, c: 2 }, l: [3] });
    expect(showPath(["grafana", "grafana.ini", "server"])).toBe('grafana["grafana.ini"].server');
  });
  it("puts one sentinel per leaf (strings, numbers, the strings of a list) and finds them in the output", () => {
    const v = withSentinels({ s: "x", n: 3, l: [{ name: "a", v: "b" }] }, [["s"], ["n"], ["l"]]);
    expect(v).toEqual({ s: "zq0sentinelqz", n: 900011, l: [{ name: "zq2sentinelqz", v: "zq2sentinelqz" }] });
    expect([...traced("name: zq2sentinelqz\nother: zq9sentinelqz", 3)]).toEqual([2]);
    expect([...tracedNumbers('port: 900011\nratio: 0.900021\nbig: 19000311\nquoted: "900041"')]).toEqual([1, 4]);
  });
  it("reports dead values unless allowlisted, and allowlist entries that are no longer dead", () => {
    expect(deadFindings("tiny", "tiny", [["ignored"], ["kept"]], { kept: "reason", stale: "reason" }).map((f) => f.message)).toEqual([
      "tiny values: ignored: differs from the chart's default but changes nothing in the render (Helm ignores it); remove it, or allowlist it with a reason",
      "tiny values: stale: allowlisted as dead but it changes the render (or is gone); drop the allowlist entry",
    ]);
  });
  it("computes a chart's defaults with its bundled subcharts under their alias", () => {
    const dir = tinyChart();
    mkdirSync(join(dir, "charts", "child"), { recursive: true });
    writeFileSync(join(dir, "charts", "child", "Chart.yaml"), "apiVersion: v2\nname: child\nversion: 0.1.0\n");
    writeFileSync(join(dir, "charts", "child", "values.yaml"), "port: 80\nname: c\n");
    writeFileSync(join(dir, "Chart.yaml"), "apiVersion: v2\nname: tiny\nversion: 1.0.0\ndependencies:\n  - name: child\n    alias: kid\n    version: 0.1.0\n");
    writeFileSync(join(dir, "values.yaml"), "kid:\n  name: parent-set\n");
    expect(chartDefaults(dir)).toEqual({ kid: { port: 80, name: "parent-set" } });
  });
});

const helm = (() => {
  try {
    return findHelm(repoRoot);
  } catch (e) {
    return `skipped: ${(e as Error).message}`;
  }
})();

describe.skipIf(helm.startsWith("skipped"))(`check 6 and check 1 with the real Helm on a tiny chart${helm.startsWith("skipped") ? ` (${helm})` : ""}`, () => {
  it("finds the values Helm ignores, and only those", async () => {
    const dir = tinyChart();
    const values = mkdtempSync(join(tmpdir(), "o11y-tiny-values-"));
    writeFileSync(join(values, "v.yaml"), "used: mine\nignored: mine\nflag: true\ndeadFlag: true\ncount: 3\nsub:\n  keep: x\n");
    const j = job("tiny", "default", { valueFiles: ["v.yaml"] });
    const base = await helmTemplate(helm, j, dir, [join(values, "v.yaml")]);
    expect(base.error).toBeUndefined();
    const { findings, stats } = await deadValueFindings(values, helm, [base], new Map([["tiny", dir]]), {}, 2);
    expect(findings.map((f) => f.message)).toEqual([
      "tiny values: ignored: differs from the chart's default but changes nothing in the render (Helm ignores it); remove it, or allowlist it with a reason",
      "tiny values: deadFlag: differs from the chart's default but changes nothing in the render (Helm ignores it); remove it, or allowlist it with a reason",
    ]);
    expect(stats.traced).toBe(2); // used, count
  });
  it("reports a chart that refuses its values with Helm's message", async () => {
    const dir = tinyChart({ type: "object", properties: { count: { type: "integer" } } });
    const values = mkdtempSync(join(tmpdir(), "o11y-tiny-values-"));
    writeFileSync(join(values, "v.yaml"), "count: three\n");
    const r = await helmTemplate(helm, job("tiny"), dir, [join(values, "v.yaml")]);
    expect(renderFindings([r]).map((f) => f.message)).toEqual([
      "helm template failed: values don't meet the specifications of the schema(s) in the following chart(s):\ntiny:\n- at '/count': got string, want integer",
    ]);
    expect(rendered("x", []).objects).toEqual([]);
  });
});

describe("check 6 (pure): properties over arbitrary values trees", () => {
  const leaf = fc.oneof(fc.stringMatching(/^[a-z ]{0,6}$/), fc.integer({ min: -500, max: 500 }), fc.boolean(), fc.array(fc.stringMatching(/^[a-z]{1,4}$/), { maxLength: 3 }));
  const tree = fc.letrec<{ node: unknown }>((tie) => ({
    node: fc.oneof({ depthSize: "small" }, leaf, fc.dictionary(fc.constantFrom("a", "b", "c", "d.e", "f"), tie("node"), { maxKeys: 4 })),
  })).node;
  const values = fc.dictionary(fc.constantFrom("x", "y", "z"), tree, { minKeys: 1, maxKeys: 3 });

  it.each([1, 42, 20261201])("seed %i: nothing differs from itself; removing every changed leaf leaves none; every sentinel is found", (seed) => {
    fc.assert(
      fc.property(values, (v) => {
        expect(changedLeaves(v, v)).toEqual([]);
        const all = changedLeaves(v, {});
        expect(changedLeaves(all.reduce<unknown>((acc, p) => without(acc, p), v), {})).toEqual([]);
        const probe = all.filter((p) => traceable(v, p));
        const text = JSON.stringify(withSentinels(v, probe));
        const found = new Set([...traced(text, probe.length), ...tracedNumbers(text)]);
        const expected = probe.map((p, i) => ({ p, i })).filter(({ p }) => {
          const x = atPath(v, p);
          return typeof x !== "object" || (x as unknown[]).length > 0;
        });
        expect([...found].sort((a, b) => a - b)).toEqual(expected.map(({ i }) => i));
      }),
      { seed, numRuns: 150 },
    );
  });
});
