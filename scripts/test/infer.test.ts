import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SchemaBuilder, type ChartEntry } from "../schemas/_build.js";
import { memoryChartFiles, type ChartFiles } from "../schemas/_chart-source.js";
import { helmDocAbove, inferValuesSchema } from "../schemas/_infer.js";
import { countObjects, serialize, stripTitles, union, type JSONSchema } from "../schemas/_schema.js";
import { mergeUpstream } from "../schemas/_upstream.js";

const scratch: string[] = [];
/** A scratch schemas folder for SchemaBuilder, removed after the file's tests. */
function scratchSchemas(): string {
  const dir = mkdtempSync(join(tmpdir(), "schemas-"));
  scratch.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

const closed = (properties: Record<string, JSONSchema>): JSONSchema => ({ type: "object", properties, additionalProperties: false });

describe("inferValuesSchema", () => {
  it.each<[string, string, JSONSchema]>([
    ["string", "a: hello", closed({ a: { type: "string" } })],
    ["number-looking string stays string", 'a: "8080"', closed({ a: { type: "string" } })],
    ["number", "a: 3\nb: 1.5", closed({ a: { type: "number" }, b: { type: "number" } })],
    ["boolean", "a: true", closed({ a: { type: "boolean" } })],
    ["YAML 1.1 boolean (Helm reads 1.1)", "a: yes", closed({ a: { type: "boolean" } })],
    ["timestamp stays a string", "a: 2024-04-01", closed({ a: { type: "string" } })],
    ["null is any", "a: null\nb: ~\nc:", closed({ a: {}, b: {}, c: {} })],
    ["{} is an open map", "a: {}", closed({ a: { type: "object", additionalProperties: true } })],
    ["listed keys close the object", "a:\n  b: 1\n  c: x", closed({ a: closed({ b: { type: "number" }, c: { type: "string" } }) })],
    ["[] is an array of anything", "a: []", closed({ a: { type: "array" } })],
    ["array items typed", "a: [x, z]", closed({ a: { type: "array", items: { type: "string" } } })],
    ["mixed scalar items", "a: [1, x]", closed({ a: { type: "array", items: { type: ["number", "string"] } } })],
    [
      "object item shapes merge",
      "a:\n  - name: x\n    value: v\n  - name: z\n    port: 1",
      closed({ a: { type: "array", items: closed({ name: { type: "string" }, value: { type: "string" }, port: { type: "number" } }) } }),
    ],
    ["YAML merge keys", "base: &b\n  x: 1\nother:\n  <<: *b\n  z: 2", closed({ base: closed({ x: { type: "number" } }), other: closed({ x: { type: "number" }, z: { type: "number" } }) })],
    ["helm-docs description", "# -- The replica count\n# continued\nreplicas: 1", closed({ replicas: { description: "The replica count\ncontinued", type: "number" } })],
    ["helm-docs @default line ends the text", "# -- Image tag\n# @default -- appVersion\ntag: x", closed({ tag: { description: "Image tag", type: "string" } })],
    ["helm-docs type hint types a null default", "# -- (string) Name\nname: null", closed({ name: { description: "Name", type: ["string", "null"] } })],
    ["plain comments are not descriptions", "## Some prose\nx: 1", closed({ x: { type: "number" } })],
    [
      "Bitnami @param matched by full path",
      "## @param a.b The b value\n## @param b Not this one\na:\n  b: 1",
      closed({ a: closed({ b: { description: "The b value", type: "number" } }) }),
    ],
    ["Bitnami [object,nullable] allows null", "## @param a [object,nullable] A map\na: {}", closed({ a: { description: "A map", type: ["object", "null"], additionalProperties: true } })],
    ["empty file", "", { type: "object", additionalProperties: false }],
  ])("%s", (_name, yaml, expected) => {
    expect(inferValuesSchema(yaml, "test")).toStrictEqual(expected);
  });

  it("rejects a YAML syntax error with the file name", () => {
    expect(() => inferValuesSchema("a: [", "x/values.yaml")).toThrow(/^x\/values\.yaml: /);
  });

  it("finds the helm-docs comment above a key when the block has commented-out keys", () => {
    const lines = ["# -- Old", "# storage: x", "# -- Structured config", "structuredConfig: {}"];
    expect(helmDocAbove(lines, 3)).toStrictEqual({ text: "Structured config" });
  });
});

describe("union", () => {
  it.each<[string, JSONSchema, JSONSchema, JSONSchema]>([
    ["any absorbs", { type: "string" }, {}, {}],
    ["scalars become a type list", { type: "string" }, { type: "number" }, { type: ["string", "number"] }],
    ["closed + closed stays closed", closed({ a: { type: "string" } }), closed({ b: { type: "number" } }), closed({ a: { type: "string" }, b: { type: "number" } })],
    ["closed + open is open", closed({ a: { type: "string" } }), { type: "object", additionalProperties: true }, { type: "object", properties: { a: { type: "string" } }, additionalProperties: true }],
    ["object + scalar is anyOf", closed({ a: { type: "string" } }), { type: "string" }, { anyOf: [closed({ a: { type: "string" } }), { type: "string" }] }],
  ])("%s", (_n, a, b, expected) => {
    expect(union(a, b)).toStrictEqual(expected);
  });
});

describe("stripTitles", () => {
  it("drops title keywords but keeps a property named title", () => {
    const s: JSONSchema = { title: "Values", type: "object", properties: { title: { title: "T", type: "string" }, list: { type: "array", items: { title: "I" } } }, anyOf: [{ title: "A" }] };
    expect(stripTitles(s)).toStrictEqual({ type: "object", properties: { title: { type: "string" }, list: { type: "array", items: {} } }, anyOf: [{}] });
  });
});

describe("upstream schema merge", () => {
  const inferred = closed({
    a: closed({ port: { type: "number" } }),
    labels: { type: "object", additionalProperties: true },
    tag: {},
  });
  const upstream: JSONSchema = {
    $schema: "https://json-schema.org/draft-07/schema#",
    title: "Values",
    properties: {
      a: { type: "object", required: ["port"], properties: { port: { type: "integer", description: "Port" }, stale: { type: "string" } } },
      labels: { type: "object", additionalProperties: { type: "string" } },
      tag: { $ref: "#/definitions/tag" },
    },
    definitions: { tag: { type: ["string", "null"] } },
  };
  const defaults = { a: { port: 80 }, labels: {}, tag: null };

  it.each<[string, "merge" | "values-first", JSONSchema]>([
    [
      "merge adds the keys upstream names",
      "merge",
      closed({
        a: closed({ port: { type: "integer", description: "Port" }, stale: { type: "string" } }),
        labels: { type: "object", additionalProperties: { type: "string" } },
        tag: { type: ["string", "null"] },
      }),
    ],
    [
      "values-first keeps only keys values.yaml has",
      "values-first",
      closed({
        a: closed({ port: { type: "integer", description: "Port" } }),
        labels: { type: "object", additionalProperties: { type: "string" } },
        tag: { type: ["string", "null"] },
      }),
    ],
  ])("%s", (_n, mode, expected) => {
    expect(mergeUpstream(inferred, upstream, mode, defaults, "test")).toStrictEqual(expected);
  });

  it("keeps the inferred type where upstream contradicts the default", () => {
    const out = mergeUpstream(closed({ n: { type: "number" } }), { properties: { n: { type: "string" } } }, "values-first", { n: 1 }, "t");
    expect(out).toStrictEqual(closed({ n: { type: "number" } }));
  });

  it("prefer: the upstream schema is the base, in values.yaml key order, plus keys only values.yaml has", () => {
    const up: JSONSchema = {
      $ref: "#/$defs/root",
      $defs: { root: { type: "object", additionalProperties: false, properties: { b: { $ref: "#/$defs/b" }, a: { type: "string", default: "x" } } }, b: { type: "boolean", description: "B" } },
    };
    const inf = closed({ a: { type: "string" }, c: { type: "number" }, b: { type: "boolean" } });
    const out = mergeUpstream(inf, up, "prefer", {}, "t");
    expect(serialize(out)).toBe(serialize(closed({ a: { type: "string" }, c: { type: "number" }, b: { type: "boolean", description: "B" } })));
  });

  it("fails on a recursive $ref", () => {
    expect(() => mergeUpstream(closed({}), { $ref: "#/$defs/x", $defs: { x: { properties: { y: { $ref: "#/$defs/x" } } } } }, "prefer", {}, "up.json")).toThrow(
      "up.json: recursive $ref #/$defs/x",
    );
  });
});

describe("SchemaBuilder: global, subcharts, enabled", () => {
  const entry = (e: Partial<ChartEntry> & { chart: string }): ChartEntry => ({ version: "1.0.0", source: e.chart, repository: "https://example.org/charts", ...e });
  const parentFiles = memoryChartFiles({
    "Chart.yaml": "name: parent\nversion: 1.0.0\ndependencies:\n  - name: child\n    alias: kid\n    condition: kid.enabled\n  - name: crds\n  - name: other\n",
    "values.yaml": "replicas: 1\nkid:\n  parentOnly: true\n",
    "charts/crds/Chart.yaml": "name: crds\nversion: 0.0.0\n",
    "charts/crds/values.yaml": "upgradeJob:\n  enabled: false\n",
  });
  const childFiles = memoryChartFiles({
    "Chart.yaml": "name: child\nversion: 2.0.0\n",
    "values.yaml": "global:\n  imageRegistry: ''\nimage:\n  tag: x\n",
  });
  const build = (chart: string) =>
    new SchemaBuilder(
      {
        charts: [
          entry({
            chart: "parent",
            subcharts: [
              { chart: "child", version: "2.0.0", key: "kid" },
              { chart: "crds", key: "crds", local: "charts/crds" },
            ],
            unpinned: [{ chart: "other", key: "other", reason: "not pinned" }],
          }),
          entry({ chart: "child", version: "2.0.0" }),
        ],
      },
      {
        chartsDir: "/nonexistent",
        schemasDir: scratchSchemas(),
        overrides: new Map<string, ChartFiles>([
          ["parent@1.0.0", parentFiles],
          ["child@2.0.0", childFiles],
        ]),
      },
    ).build(chart).schema;

  const enabled: JSONSchema = { type: "boolean", description: "Helm dependency condition: installs the subchart when true." };

  it("types a standalone chart with an open global", () => {
    expect(build("child")).toStrictEqual({
      $schema: "http://json-schema.org/draft-07/schema#",
      type: "object",
      properties: {
        global: { type: "object", properties: { imageRegistry: { type: "string" } }, additionalProperties: true },
        image: closed({ tag: { type: "string" } }),
      },
      additionalProperties: false,
    });
  });

  it("embeds subcharts under their key, merged with the parent's values, with enabled; globals merge at the top", () => {
    const s = build("parent");
    expect(s.properties?.kid).toStrictEqual(
      closed({
        global: { type: "object", properties: { imageRegistry: { type: "string" } }, additionalProperties: true },
        image: closed({ tag: { type: "string" } }),
        parentOnly: { type: "boolean" },
        enabled,
      }),
    );
    expect(s.properties?.crds).toStrictEqual(closed({ upgradeJob: closed({ enabled: { type: "boolean" } }), enabled }));
    expect(s.properties?.other).toStrictEqual({ type: "object", additionalProperties: true, properties: { enabled } });
    expect(s.properties?.global).toStrictEqual({
      type: "object",
      description: "Helm global values, passed to this chart and all its subcharts.",
      properties: { imageRegistry: { type: "string" } },
      additionalProperties: true,
    });
    expect(countObjects(s)).toStrictEqual({ closed: 5, open: 3 });
  });

  it("fails when a Chart.yaml dependency is not listed", () => {
    const b = new SchemaBuilder(
      { charts: [entry({ chart: "parent" })] },
      { chartsDir: "/nonexistent", schemasDir: "/nonexistent", overrides: new Map([["parent@1.0.0", parentFiles]]) },
    );
    expect(() => b.build("parent")).toThrow(
      'parent 1.0.0 (memory:chart/): dependency child (values key "kid") is not listed in charts.yaml subcharts, unpinned or ignoredDependencies',
    );
  });
});
