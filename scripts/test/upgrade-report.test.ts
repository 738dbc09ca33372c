import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ChartsFile } from "../schemas/_build.js";
import { helmBinary, helmTemplate } from "../upgrade/_upgrade-helm.js";
import { describeLocation, locate, type SourceFile } from "../upgrade/_upgrade-locate.js";
import { changedPaths, diffManifests } from "../upgrade/_upgrade-render.js";
import { BadInput } from "../upgrade/_upgrade-schema.js";
import { parseTscOutput, typecheckWith } from "../upgrade/_upgrade-typecheck.js";
import { categorise, compareValues, diffDefaults, leaves } from "../upgrade/_upgrade-values.js";
import { buildReport, main, parseArgs, repoRoot, type Report } from "../upgrade/upgrade-report.js";
import type { JSONSchema } from "../schemas/_schema.js";

const FIXTURES = join(repoRoot, "scripts/test/fixtures/upgrade");
const chartsFile: ChartsFile = { charts: [{ chart: "demo", version: "1.0.0", source: "demo-1.0.0", repository: "https://example.invalid/charts" }] };
const ours = {
  replicas: 2,
  mode: "C",
  port: 80,
  server: { oldKey: true, timeout: "45s" },
  storage: { s3: { bucket: "b" } },
  legacy: { settings: { a: "b" } },
  persistence: { size: "5Gi" },
};
// A builder source for the fixture values: the location scan must find each key under its parents.
const source: SourceFile = {
  file: "packages/demo/src/demo.ts",
  lines: [
    "export function demoValues(stack: Stack) {",
    "  return {",
    "    replicas: stack.replicas,",
    '    mode: "C",',
    "    server: {",
    "      oldKey: true,",
    '      timeout: "45s",',
    "    },",
    '    storage: { s3: { bucket: "b" } },',
    '    legacy: { settings: { a: "b" } },',
    "  };",
    "}",
  ],
};

function report(version: string): Promise<Report> {
  return buildReport({ chart: "demo", version, chartsDirs: ["charts"], cwd: FIXTURES, chartsFile, schemasDir: join(FIXTURES, "schemas"), deployed: [{ component: "demo", root: [], values: ours }], sources: [source] });
}

describe("upgrade report on fixture charts", () => {
  it("reports every break path of demo 1.0.0 → 2.0.0 with its builder location, and exits 1", async () => {
    const r = await report("2.0.0");
    expect(r.exitCode).toBe(1);
    expect(r.values.breaks.map((b) => [b.kind, b.path, b.detail, b.location])).toEqual([
      ["type changed", "replicas", "was number, now string; we set integer 2", "packages/demo/src/demo.ts:3 (source scan: full key path)"],
      ["removed", "server.oldKey", 'server no longer has a key "oldKey"', "packages/demo/src/demo.ts:6 (source scan: full key path)"],
      ["parent retyped", "storage", "was object, now string: the keys we set under it are no longer read", "packages/demo/src/demo.ts:9 (source scan: full key path)"],
      ["removed", "legacy", 'the top level no longer has a key "legacy"', "packages/demo/src/demo.ts:10 (source scan: full key path)"],
      ["rejected", "mode", 'enum: must be equal to one of the allowed values (allowed: "A", "B")', "packages/demo/src/demo.ts:4 (source scan: full key path)"],
    ]);
    expect(r.values.stillFit.map((b) => [b.path, b.detail, b.location])).toEqual([
      ["port", "was number, now integer; our integer 80 still fits", "not found by the source scan (the key is computed, not written as a property)"],
    ]);
    expect(r.patches).toEqual({
      failed: ['schemas/patches/demo.yaml[0]: path "legacy.settings" not found: no "legacy" under (root)'],
      orphaned: [`schemas/patches/demo.yaml[1]: path "server.timeout" is no longer in demo 2.0.0's values (removed); the patch re-creates it, so a removal would go unnoticed`],
      defaultsRejected: [],
    });
    expect(r.notes).toEqual([
      'demo 2.0.0 ships a values.schema.json; charts.yaml sets no upstreamSchema for it, so the report assumes "merge"',
      "schemas/demo/1.0.0/values.schema.json is not committed",
    ]);
    expect(r.defaults.changed.map((c) => [c.path, c.old, c.new])).toEqual([["image.tag", "1.0", "2.0"]]);
    expect(r.defaults.removed).toEqual(["storage.type"]);
  });

  it("demo 1.0.0 → 1.1.0 breaks nothing (exit 0) and lists moved defaults, images first, skipping ours and undeployed parts", async () => {
    const r = await report("1.1.0");
    expect(r.exitCode).toBe(0);
    expect(r.values.breaks).toEqual([]);
    expect(r.patches).toEqual({ failed: [], orphaned: [], defaultsRejected: [] });
    expect(r.defaults.changed.map((c) => [c.category, c.path, c.old, c.new])).toEqual([
      ["image / version", "image.tag", "1.0", "1.1"],
      ["other", "server.logLevel", "info", "warn"],
    ]);
    // persistence.size is ours; metrics.interval sits under metrics.enabled: false; newFeature is off.
    expect([r.defaults.skippedSetByUs, r.defaults.skippedNotDeployed, r.defaults.added]).toEqual([1, 1, []]);
  });

  it.each<[string, string[], string]>([
    ["unknown chart", ["nosuch", "1.0.0"], 'unknown chart "nosuch": not listed in schemas/charts.yaml'],
    ["version in no charts dir", ["tempo", "9.9.9", "--charts-dir", FIXTURES], `tempo 9.9.9: no folder tempo-9.9.9/ with a Chart.yaml in ${FIXTURES}`],
    ["missing version", ["tempo"], "usage: pnpm upgrade-report <chart> <version> [--charts-dir DIR]... [--pins-ref REV] [--json] [--no-typecheck]"],
    ["pins at a revision git does not know", ["tempo", "2.2.4", "--pins-ref", "no-such-rev-0", "--no-typecheck"], "--pins-ref no-such-rev-0: git has no schemas/charts.yaml at that revision"],
    ["unknown option", ["tempo", "2.2.4", "--jsn"], "unknown option --jsn"],
  ])("bad input: %s", async (_name, argv, message) => {
    const err = await main(argv).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadInput);
    expect((err as Error).message.startsWith(message)).toBe(true);
  });

  it("the CLI exits 2 with a one-line error on bad input", () => {
    let status = 0;
    let stderr = "";
    try {
      execFileSync(process.execPath, ["--import", "tsx", "scripts/upgrade/upgrade-report.ts", "tempo", "9.9.9", "--charts-dir", FIXTURES], { cwd: repoRoot, encoding: "utf8", stdio: "pipe" });
    } catch (e) {
      status = (e as { status: number }).status;
      stderr = (e as { stderr: string }).stderr;
    }
    expect([status, stderr]).toEqual([2, `error: tempo 9.9.9: no folder tempo-9.9.9/ with a Chart.yaml in ${FIXTURES}\n`]);
  });

  it("parseArgs keeps --charts-dir order and defaults to ../shared/charts", () => {
    expect(parseArgs(["loki", "18.11.0", "--charts-dir", "a", "--charts-dir", "b", "--json"])).toEqual({ chart: "loki", version: "18.11.0", chartsDirs: ["a", "b"], json: true, typecheck: true });
    expect(parseArgs(["loki", "18.11.0"]).chartsDirs).toEqual(["../shared/charts"]);
  });
});

describe("compareValues: constraints the target adds", () => {
  const closed = (properties: Record<string, JSONSchema>, extra: JSONSchema = {}): JSONSchema => ({ type: "object", properties, additionalProperties: false, ...extra });
  it.each<[string, JSONSchema, JSONSchema, Record<string, unknown>, [string, string, string][]]>([
    ["minimum", closed({ port: { type: "integer" } }), closed({ port: { type: "integer", minimum: 1024 } }), { port: 80 }, [["rejected", "port", "minimum: must be >= 1024"]]],
    ["pattern", closed({ d: { type: "string" } }), closed({ d: { type: "string", pattern: "^[0-9]+s$" } }), { d: "1m" }, [["rejected", "d", 'pattern: must match pattern "^[0-9]+s$"']]],
    ["const in a conditional", closed({ a: { type: "string" } }), closed({ a: { type: "string" } }, { if: { properties: { a: { const: "x" } } }, then: { required: ["b"] } }), { a: "x" }, [["rejected", "(root)", "required: must have required property 'b'"]]],
    ["an error the old schema had already is not new", closed({ p: { type: "integer", minimum: 5 } }), closed({ p: { type: "integer", minimum: 5 } }), { p: 1 }, []],
    ["a map value under an open map is not checked", closed({ m: { type: "object" } }), closed({ m: { type: "object" } }), { m: { k: 1 } }, []],
    ["the value under a removed key is reported once, at the key", closed({ a: closed({ b: closed({ c: { type: "integer" } }) }) }), closed({ a: closed({}) }), { a: { b: { c: 1, d: 2 } } }, [["removed", "a.b", 'a no longer has a key "b"']]],
  ])("%s", (_name, oldS, newS, values, expected) => {
    expect(compareValues(values, oldS, newS).findings.map((f) => [f.kind, f.path, f.detail])).toEqual(expected);
  });

  it("never reports a value that both schemas accept alike (property)", () => {
    const schema: JSONSchema = { type: "object", properties: { a: { type: "integer" }, b: { type: "string", enum: ["x", "y"] }, c: { type: "object", additionalProperties: { type: "boolean" } } }, additionalProperties: false };
    for (const seed of [1, 2, 3]) {
      fc.assert(
        fc.property(fc.record({ a: fc.integer(), b: fc.constantFrom("x", "y"), c: fc.dictionary(fc.string({ minLength: 1 }).filter((k) => k !== "__proto__"), fc.boolean()) }, { requiredKeys: [] }), (v) => {
          expect(compareValues(v, schema, schema).findings).toEqual([]);
        }),
        { seed, numRuns: 200 },
      );
    }
  });
});

describe("defaults diff and ranking", () => {
  it.each<[string, string]>([
    ["prometheus.prometheusSpec.image.tag", "image / version"],
    ["singleBinary.persistence.size", "persistence / retention"],
    ["prometheus.prometheusSpec.retention", "persistence / retention"],
    ["alertmanager.alertmanagerSpec.replicas", "replicas"],
    ["grafana.sidecar.dashboards.enabled", "enabled"],
    ["grafana.initChownData.securityContext.capabilities.add", "security context"],
    ["service.port", "ports"],
    ["loki.extraMemberlistConfig.bind_port", "ports"],
    ["memcachedExporter.resizePolicy", "other"],
    ["grafana.downloadDashboardsImage.tag", "image / version"],
    ["memcached.serviceAccount.imagePullSecrets", "other"],
    ["loki.server.http_server_read_timeout", "other"],
  ])("%s is %s", (path, category) => {
    expect(categorise(path).category).toBe(category);
  });

  it("skips what we set (at, above or below the default) and undeployed subtrees", () => {
    const d = diffDefaults(
      { a: { x: 1, y: { z: 1 } }, off: { enabled: false, v: 1 }, zero: { replicas: 0, v: 1 }, keep: 1 },
      { a: { x: 2, y: { z: 2 } }, off: { enabled: false, v: 2 }, zero: { replicas: 0, v: 2 }, keep: 2 },
      { a: { y: { z: 5 } } },
    );
    expect(d.changed.map((c) => c.path)).toEqual(["a.x", "keep"]);
    expect([d.skippedSetByUs, d.skippedNotDeployed]).toEqual([1, 2]);
  });

  it("leaves descends maps, not lists", () => {
    expect(leaves({ a: { b: [1, { c: 2 }], e: {} } })).toEqual([{ path: ["a", "b"], value: [1, { c: 2 }] }, { path: ["a", "e"], value: {} }]);
  });
});

describe("source location scan", () => {
  const spread: SourceFile = { file: "q.ts", lines: ["const SIZES = {", "  chunks: { mem: 512 },", "  res: { mem: 128 },", "};", "const cache = {", "  results: { ...SIZES.res },", "};", "const vol = (size: string) => ({ enabled: true, size });", "const x = { one: { size: 1 }, two: vol(\"1Gi\") };"] };
  const src: SourceFile = { file: "p.ts", lines: ["const v = {", "  loki: {", "    storage: { type: \"s3\" },", "  },", "  other: { type: 1 },", "};"] };
  it.each<[string[], string]>([
    [["loki", "storage", "type"], "p.ts:3 (source scan: full key path)"],
    [["other", "type"], "p.ts:5 (source scan: full key path)"],
    [["tempo", "type"], "not found by the source scan (the key is computed, not written as a property)"],
    [["loki", "storage", "bucket"], "p.ts:3 (source scan: only the parent `loki.storage` is spelled out there; the key below it is computed)"],
    [["one", "size"], "q.ts:9 (source scan: full key path)"],
    [["two", "enabled"], "q.ts:8 (source scan: full key path, through two = vol at q.ts:9)"],
    [["missing"], "not found by the source scan (the key is computed, not written as a property)"],
    [["cache", "results", "mem"], "q.ts:3 (source scan: full key path, through results = SIZES.res at q.ts:6)"],
  ])("%j", (path, expected) => {
    expect(describeLocation(locate([src, spread], path))).toBe(expected);
  });
});

describe("type check of the builders against changed types", () => {
  it("parses tsc's error lines with their continuations", () => {
    expect(parseTscOutput("packages/a/src/x.ts(3,5): error TS2322: Type 'x' is not assignable\n  to type 'y'.\nnoise\n")).toEqual([
      { file: "packages/a/src/x.ts", line: 3, code: "TS2322", message: "Type 'x' is not assignable to type 'y'." },
    ]);
  });

  it("a generated type that no longer accepts our deploymentMode is a tsc error at the builder line", () => {
    const gen = readFileSync(join(repoRoot, "generated/src/loki.gen.ts"), "utf8");
    const changed = gen.replace(/(\n\s*deploymentMode\?: )\([^)\n]*\)/, '$1"Monolithic"');
    expect(changed).not.toBe(gen);
    const lines = readFileSync(join(repoRoot, "packages/logs/src/loki.ts"), "utf8").split("\n");
    const line = lines.findIndex((l) => /^\s*deploymentMode: "SingleBinary"/.test(l)) + 1;
    const errors = typecheckWith(repoRoot, new Map([["loki.gen.ts", changed]]));
    expect(errors.map((e) => `${e.file}:${e.line} ${e.code}`)).toEqual([`packages/logs/src/loki.ts:${line} TS2322`]);
  });
});

describe("rendered-manifest diff", () => {
  it.each<[string, unknown, unknown, string[]]>([
    ["list elements keyed by name; a whole element gone is named once", { spec: { ports: [{ name: "a", port: 1 }, { name: "b", port: 2 }] } }, { spec: { ports: [{ name: "a", port: 3 }] } }, ["spec.ports[a].port", "spec.ports[b] (gone)"]],
    ["unnamed list elements by index", { args: ["-x", "-y"] }, { args: ["-x", "-z", "-w"] }, ["args[1]", "args[2] (new)"]],
    ["multi-line strings with line counts", { data: { cfg: "a: 1\nb: 2\n" } }, { data: { cfg: "a: 1\nb: 3\nc: 4\n" } }, ["data.cfg (+2/-1 lines)"]],
    ["version labels left out", { metadata: { labels: { "helm.sh/chart": "x-1", "app.kubernetes.io/version": "1", app: "x" } } }, { metadata: { labels: { "helm.sh/chart": "x-2", "app.kubernetes.io/version": "2", app: "x" } } }, []],
  ])("%s", (_name, a, b, expected) => {
    expect(changedPaths(a, b)).toEqual(expected);
  });

  it("matches objects by kind, namespace and name", () => {
    const d = diffManifests("kind: A\nmetadata: { name: x, namespace: n }\nv: 1\n---\nkind: B\nmetadata: { name: y }\n", "kind: A\nmetadata: { name: x, namespace: n }\nv: 2\n---\nkind: C\nmetadata: { name: y }\n", "old", "new");
    expect(d).toEqual({ old: "old", new: "new", objects: { old: 2, new: 2 }, added: ["C y"], removed: ["B y"], changed: [{ object: "A n/x", pathCount: 1, paths: ["v"] }] });
  });

  const helm = helmBinary();
  const renderReport = (values: Record<string, unknown>) =>
    buildReport({
      chart: "demo",
      version: "2.0.0",
      chartsDirs: ["charts"],
      cwd: FIXTURES,
      chartsFile,
      schemasDir: join(FIXTURES, "schemas"),
      deployed: [{ component: "demo", root: [], values, release: "demo", namespace: "monitoring" }],
      sources: [],
      render: (dir, release, ns, v) => helmTemplate(helm as string, dir, release, ns, v),
    });
  it.skipIf(!helm)(`helm template of both fixture versions with our values${helm ? "" : " (skipped: the pinned helm is not installed: node scripts/install-helm.mjs)"}`, async () => {
    const r = await renderReport({ mode: "B", port: 80, server: { timeout: "45s" } });
    expect(r.render).toEqual({
      old: "charts/demo-1.0.0",
      new: "charts/demo-2.0.0",
      objects: { old: 2, new: 2 },
      added: ["Service demo"],
      removed: ["Service demo-legacy"],
      changed: [{ object: "ConfigMap demo-config", pathCount: 2, paths: ["data.storage (new)", "data.timeout (gone)"] }],
    });
  });

  it.skipIf(!helm)(`a target whose own values.schema.json rejects our values fails the render: a break${helm ? "" : " (skipped: the pinned helm is not installed: node scripts/install-helm.mjs)"}`, async () => {
    const r = await renderReport(ours);
    expect(r.render).toEqual({ failed: "charts/demo-2.0.0: helm template demo failed: values don't meet the specifications of the schema(s) in the following chart(s): demo: - at '/mode': value must be one of 'A', 'B'" });
    expect(r.exitCode).toBe(1);
  });

  it("is skipped, with the reason, where a version has no complete chart", async () => {
    const r = await buildReport({ chart: "demo", version: "1.1.0", chartsDirs: ["charts"], cwd: FIXTURES, chartsFile, schemasDir: join(FIXTURES, "schemas"), deployed: [{ component: "demo", root: [], values: ours, release: "demo", namespace: "monitoring" }], sources: [], render: () => "" });
    expect(r.render).toEqual({ skipped: "no complete chart (a folder with templates/) for demo 1.1.0 in charts" });
  });
});
