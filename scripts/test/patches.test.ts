import { describe, expect, it } from "vitest";
import { newAjv } from "../schemas/_ajv.js";
import { applyPatches, formatPath, parsePatches, splitPath } from "../schemas/_patches.js";
import type { JSONSchema } from "../schemas/_schema.js";

const FILE = "schemas/patches/demo.yaml";
const base: JSONSchema = {
  type: "object",
  properties: {
    loki: {
      type: "object",
      properties: {
        storage: { type: "object", properties: { type: { type: "string" } }, additionalProperties: false },
        structuredConfig: { type: "object", additionalProperties: true },
      },
      additionalProperties: false,
    },
    extraEnv: { type: "array" },
    podAnnotations: { type: "object", additionalProperties: true },
  },
  additionalProperties: false,
};
const apply = (yaml: string) => applyPatches(base, parsePatches(yaml, FILE), FILE);
const at = (s: JSONSchema, ...keys: string[]): unknown => keys.reduce<unknown>((n, k) => (n as Record<string, unknown>)[k], s);

describe("patches", () => {
  it.each<[string, string, string[], unknown]>([
    [
      "merge adds properties to an existing node",
      "- path: loki.storage\n  reason: the chart reads loki.storage.s3\n  schema: { properties: { s3: { type: object, properties: { endpoint: { type: string } }, additionalProperties: false } } }",
      ["properties", "loki", "properties", "storage"],
      {
        type: "object",
        properties: { type: { type: "string" }, s3: { type: "object", properties: { endpoint: { type: "string" } }, additionalProperties: false } },
        additionalProperties: false,
      },
    ],
    [
      "merge of a missing key under an existing parent adds it",
      "- path: loki.storage.bucketNames\n  reason: read by the storage config template\n  schema: { type: object, additionalProperties: { type: string } }",
      ["properties", "loki", "properties", "storage", "properties", "bucketNames"],
      { type: "object", additionalProperties: { type: "string" } },
    ],
    [
      "replace swaps the node",
      "- path: loki.structuredConfig\n  reason: typed config\n  mode: replace\n  schema: { type: object, properties: { a: { type: number } }, additionalProperties: false }",
      ["properties", "loki", "properties", "structuredConfig"],
      { type: "object", properties: { a: { type: "number" } }, additionalProperties: false },
    ],
    [
      "[] steps into array items",
      "- path: extraEnv[]\n  reason: a list of EnvVar\n  schema: { type: object, properties: { name: { type: string } } }",
      ["properties", "extraEnv", "items"],
      { type: "object", properties: { name: { type: "string" } } },
    ],
    [
      "a segment list allows keys with dots",
      "- path: [podAnnotations, example.com/owner]\n  reason: documented annotation\n  schema: { type: string }",
      ["properties", "podAnnotations", "properties", "example.com/owner"],
      { type: "string" },
    ],
    [
      "tsType is kept",
      '- path: loki.structuredConfig\n  reason: typed by an external model\n  mode: replace\n  schema: { type: object, tsType: "import(\\"x\\").Y" }',
      ["properties", "loki", "properties", "structuredConfig"],
      { type: "object", tsType: 'import("x").Y' },
    ],
  ])("%s", (_n, yaml, path, expected) => {
    expect(at(apply(yaml), ...path)).toStrictEqual(expected);
  });

  it("does not change the input schema", () => {
    const before = JSON.stringify(base);
    apply("- path: loki.storage\n  reason: r\n  schema: { properties: { x: { type: string } } }");
    expect(JSON.stringify(base)).toBe(before);
  });

  it.each<[string, string, string]>([
    ["missing reason", "- path: loki.storage\n  schema: { type: object }", `${FILE}[0]: missing a non-empty "reason"`],
    ["blank reason", "- path: a\n  reason: x\n  schema: {}\n- path: loki\n  reason: '  '\n  schema: {}", `${FILE}[1]: missing a non-empty "reason"`],
    ["unknown field", "- path: a\n  reason: x\n  schema: {}\n  note: y", `${FILE}[0]: unknown field "note"`],
    ["bad mode", "- path: a\n  reason: x\n  mode: add\n  schema: {}", `${FILE}[0]: "mode" must be merge or replace, not "add"`],
    ["no schema", "- path: a\n  reason: x", `${FILE}[0]: "schema" must be a map (a JSON Schema fragment)`],
    ["not a list", "path: a", `${FILE}: expected a YAML list of patch entries`],
  ])("rejects an invalid entry: %s", (_n, yaml, message) => {
    expect(() => parsePatches(yaml, FILE)).toThrow(message);
  });

  it.each<[string, string, string]>([
    ["missing parent", "- path: loki.storag.s3\n  reason: r\n  schema: { type: object }", `${FILE}[0]: path "loki.storag.s3" not found: no "storag" under loki`],
    ["missing top-level parent", "- path: lokii.storage\n  reason: r\n  schema: { type: object }", `${FILE}[0]: path "lokii.storage" not found: no "lokii" under (root)`],
    [
      "items of a non-array",
      "- path: a\n  reason: r\n  schema: {}\n- path: loki.storage[].x\n  reason: r\n  schema: {}",
      `${FILE}[1]: path "loki.storage[].x" not found: loki.storage has no array items`,
    ],
  ])("rejects a bad path: %s", (_n, yaml, message) => {
    const patches = parsePatches(yaml, FILE);
    const s: JSONSchema = { ...base, properties: { ...base.properties, a: {} } };
    expect(() => applyPatches(s, patches, FILE)).toThrow(message);
  });

  it("ajv accepts tsType as an annotation", () => {
    const ajv = newAjv(false);
    const validate = ajv.compile({ type: "object", tsType: "Record<string, string>", additionalProperties: { type: "string" } });
    expect([validate({ a: "b" }), validate({ a: 1 })]).toStrictEqual([true, false]);
  });

  it.each<[string, string[]]>([
    ["a.b", ["a", "b"]],
    ["extraEnv[]", ["extraEnv", "[]"]],
    ["a[][].b", ["a", "[]", "[]", "b"]],
  ])("splitPath(%s)", (path, segs) => {
    expect(splitPath(path)).toStrictEqual(segs);
    expect(formatPath(segs)).toBe(path);
  });
});
