// The chart validator (@o11y-gitops/schema-errors' schemaValidator) against ajv, configured as
// scripts/schemas/_ajv.ts does: the same errors (instance path, schema path, keyword, params, message) in the
// same order, on every committed chart schema (generated/src/<chart>.schema.json against ajv compiling the
// committed schemas/…/values.schema.json), on the committed tree's values files and on random schemas.
import { readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { charts, validateValues, type ChartName } from "@o11y-gitops/chart-values";
import { parseYaml } from "@o11y-gitops/core";
import { allowedKeys, schemaValidator, validationSchema, validationTable, type SchemaError, type SchemaNode, type ValidationTable } from "@o11y-gitops/schema-errors";
import type { ValidateFunction } from "ajv";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { filesBelow } from "../_files.js";
import { chartSchema } from "../schemas/codegen.js";
import { newAjv, usesFormat } from "../schemas/_ajv.js";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
type Obj = Record<string, unknown>;

interface LockEntry {
  chart: string;
  schema: string;
}
const lock = (JSON.parse(readFileSync(join(repoRoot, "schemas/charts.lock.json"), "utf8")) as { charts: LockEntry[] }).charts;

/** A table's schema whole again: every `{ "$part": n }` replaced by its part, parsed. */
function inflate(node: unknown, parts: readonly string[]): SchemaNode {
  if (Array.isArray(node)) return node.map((x) => inflate(x, parts)) as unknown as SchemaNode;
  if (node === null || typeof node !== "object") return node as SchemaNode;
  const n = (node as { $part?: number }).$part;
  if (n !== undefined) return inflate(JSON.parse(parts[n] as string), parts);
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === "enum" || k === "const" ? v : inflate(v, parts)]));
}

/** The reference (ajv on the committed schema) and the shipped validator (on generated/src), per chart. */
const pairs = new Map<string, { ajv: ValidateFunction; ours: ReturnType<typeof schemaValidator>; schema: SchemaNode }>();
function pair(chart: string) {
  let p = pairs.get(chart);
  if (p === undefined) {
    const entry = lock.find((e) => e.chart === chart) as LockEntry;
    const committed = JSON.parse(readFileSync(join(repoRoot, entry.schema), "utf8")) as Obj;
    const shipped = JSON.parse(readFileSync(join(repoRoot, "generated/src", `${chart}.schema.json`), "utf8")) as ValidationTable;
    p = { ajv: newAjv(usesFormat(committed)).compile(committed), ours: schemaValidator(shipped.root, shipped.parts), schema: inflate(shipped.root, shipped.parts) };
    pairs.set(chart, p);
  }
  return p;
}

/** Both validators on `data`: their verdicts and errors must be the same. */
function same(ajv: ValidateFunction, ours: ReturnType<typeof schemaValidator>, data: unknown): SchemaError[] {
  const expected = ajv(data);
  const expectedErrors = ajv.errors ?? null;
  expect(ours(data)).toBe(expected);
  // As JSON (with -0 kept apart from 0): the errors hold only schema values, names and paths, and a value with
  // an own `constructor` key (a schema's `const`) defeats toStrictEqual's type check. Key order counts too.
  const text = (errors: unknown) => JSON.stringify(errors, (_k, v: unknown) => (Object.is(v, -0) ? "-0 (negative zero)" : v));
  expect(text(ours.errors)).toBe(text(expectedErrors));
  for (const e of ours.errors ?? [])
    if (e.keyword === "additionalProperties") expect(ours.allowedKeys?.[e.schemaPath], e.schemaPath).toBeDefined();
  return ours.errors ?? [];
}

// `constructor` and `size`: names objects inherit (from Object.prototype, from Map and Set), read as present.
const KEYS = ["a", "b", "c", "x/y", "t~1", "enabled", "name", "constructor", "size", "d", "e"];
const SCALARS = [null, true, false, 0, 1, -1, 1.5, 3, 100, Number.POSITIVE_INFINITY, "", "a", "ab", "abc", "1h", "30s", "\u{1F600}x", "A/B"];
/** JSON-like values (with `undefined` properties, as TypeScript objects have); `NaN` only in data, a schema cannot hold it. */
const jsonOf = (scalars: unknown[]): fc.Arbitrary<unknown> =>
  fc.letrec<{ v: unknown }>((tie) => ({
    v: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.constantFrom(...scalars),
      fc.string({ maxLength: 4 }),
      fc.integer({ min: -5, max: 5 }),
      fc.array(tie("v"), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom(...KEYS), fc.oneof(tie("v"), fc.constant(undefined)), { maxKeys: 4, noNullPrototype: true }),
    ),
  })).v;
/** An object with a getter on its prototype and a non-enumerable own key: `for…in` sees neither, ajv reads both. */
class Hidden {
  get a(): string {
    return "from a getter";
  }
}
/** Objects a YAML 1.1 reader (`!!set`, `!!omap`, timestamps) or a program may hand over besides plain ones. */
const odd: fc.Arbitrary<unknown> = fc.constantFrom(
  () => new Map([["a", 1]]),
  () => new Set(["x"]),
  () => new Date(0),
  () => new Hidden(),
  () => Object.defineProperty({ b: 1 }, "name", { value: 5, enumerable: false }),
  () => JSON.parse('{"__proto__": 5, "a": "x"}') as unknown,
).map((make) => make());
const json = fc.oneof({ weight: 9, arbitrary: jsonOf([...SCALARS, Number.NaN]) }, { weight: 1, arbitrary: odd });
/** What a schema file can hold: JSON (no `undefined`, `NaN` or infinities). */
const schemaJson = jsonOf(SCALARS).map((v) => JSON.parse(JSON.stringify(v) ?? "null") as unknown);

/**
 * Values shaped by a schema: mostly what it asks for (its enum and const values, some of its properties,
 * items of its item schema), with wrong types, extra keys and near-miss names mixed in.
 */
function shaped(s: SchemaNode): fc.Arbitrary<unknown> {
  if (typeof s === "boolean") return json;
  const options: fc.Arbitrary<unknown>[] = [json];
  if (Array.isArray(s.enum)) options.push(fc.constantFrom(...(s.enum as unknown[])));
  if (s.const !== undefined) options.push(fc.constant(s.const));
  for (const k of ["anyOf", "allOf"]) if (Array.isArray(s[k])) options.push(fc.constant(null).chain(() => fc.oneof(...(s[k] as SchemaNode[]).map(shaped))));
  if (s.then !== undefined) options.push(fc.constant(null).chain(() => shaped(s.then as SchemaNode)));
  const types = s.type === undefined ? [] : Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
  const props = (s.properties ?? {}) as Record<string, SchemaNode>;
  const names = Object.keys(props);
  for (const t of types.length > 0 ? types : ["object"]) {
    if (t === "object") {
      const required = Array.isArray(s.required) ? (s.required as string[]) : [];
      const keys = fc.constant([...new Set([...names, ...required])]).chain((all) => fc.subarray([...all], { maxLength: Math.min(5, all.length) }));
      const near = names.length > 0 ? fc.constantFrom(...names).map((n) => `${n.slice(0, -1)}${n.slice(-1) === "s" ? "" : "s"}`) : fc.constant("zz");
      options.push(
        fc.tuple(keys, fc.option(fc.oneof(near, fc.constantFrom(...KEYS)), { freq: 3 })).chain(([ks, extra]) =>
          fc.record(
            Object.fromEntries([
              ...ks.map((k) => [k, props[k] === undefined ? json : shaped(props[k])]),
              ...(extra === null ? [] : [[extra, typeof s.additionalProperties === "object" ? shaped(s.additionalProperties as SchemaNode) : json]]),
            ]) as Record<string, fc.Arbitrary<unknown>>,
          ),
        ),
      );
    } else if (t === "array") options.push(fc.array(s.items === undefined ? json : fc.constant(null).chain(() => shaped(s.items as SchemaNode)), { maxLength: 3 }));
    else if (t === "string") options.push(fc.constantFrom("", "x", "30s", "1h30m", "7d", "SingleBinary", "s3", "a".repeat(20), "é\u{1F600}"), fc.string({ maxLength: 6 }));
    else if (t === "number" || t === "integer") options.push(fc.constantFrom(0, 1, -1, 2.5, 65536, Number.NaN), fc.integer({ min: -3, max: 70000 }));
    else if (t === "boolean") options.push(fc.boolean());
    else if (t === "null") options.push(fc.constant(null));
  }
  return fc.oneof(...options);
}

describe("the chart validator gives ajv's errors", () => {
  it.each(lock.map((e) => e.chart))("%s: values shaped by its schema, valid and not", (chart) => {
    const { ajv, ours, schema } = pair(chart);
    let invalid = 0;
    fc.assert(
      fc.property(shaped(schema), (data) => {
        if (same(ajv, ours, data).length > 0) invalid++;
      }),
      { numRuns: 300 },
    );
    expect(invalid).toBeGreaterThan(0);
  });

  it("the committed tree's values files, as they are and mutated", () => {
    const files = filesBelow(join(repoRoot, "kubernetes")).filter((f) => f.endsWith(".values.yaml"));
    expect(files.length).toBeGreaterThan(5);
    const leaves = (v: unknown, path: string[] = []): string[][] =>
      v !== null && typeof v === "object" ? Object.entries(v).flatMap(([k, x]) => leaves(x, [...path, k])) : [path];
    for (const file of files) {
      const name = basename(file, ".values.yaml");
      const chart = (name in charts ? name : basename(dirname(file))) as ChartName;
      const [values] = parseYaml(readFileSync(file, "utf8"), "1.1");
      const { ajv, ours } = pair(chart);
      expect(same(ajv, ours, values), file).toStrictEqual([]);
      expect(validateValues(chart, values), file).toStrictEqual([]);
      const paths = leaves(values).filter((p) => p.length > 0);
      fc.assert(
        fc.property(fc.constantFrom(...paths), fc.oneof(json, fc.constant("__drop__"), fc.constant("__rename__")), (path, replacement) => {
          const copy = structuredClone(values) as Obj;
          let parent = copy;
          for (const k of path.slice(0, -1)) parent = parent[k] as Obj;
          const last = path[path.length - 1] as string;
          if (replacement === "__drop__") delete parent[last];
          else if (replacement === "__rename__") {
            parent[`${last}x`] = parent[last];
            delete parent[last];
          } else parent[last] = replacement;
          same(ajv, ours, copy);
        }),
        { numRuns: 60 },
      );
    }
  });

  const TYPES = ["null", "boolean", "object", "array", "number", "integer", "string"] as const;
  const schemas: fc.Arbitrary<SchemaNode> = fc.letrec<{ s: SchemaNode }>((tie) => ({
    s: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.boolean(),
      fc
        .record(
          {
            type: fc.oneof(fc.constantFrom(...TYPES), fc.uniqueArray(fc.constantFrom(...TYPES), { minLength: 1, maxLength: 3 })),
            const: fc.oneof(schemaJson, fc.constant(-0)),
            enum: fc.uniqueArray(schemaJson, { minLength: 1, maxLength: 3, selector: (v) => JSON.stringify(v) }),
            not: tie("s"),
            anyOf: fc.array(tie("s"), { minLength: 1, maxLength: 3 }),
            allOf: fc.array(tie("s"), { minLength: 1, maxLength: 2 }),
            if: tie("s"),
            then: tie("s"),
            else: tie("s"),
            maximum: fc.constantFrom(-1, 0, -0, 1, 2.5, 100),
            minimum: fc.constantFrom(-1, 0, -0, 1, 2.5, 100),
            exclusiveMaximum: fc.constantFrom(0, 1, 3),
            exclusiveMinimum: fc.constantFrom(0, 1, 3),
            maxLength: fc.nat(3),
            minLength: fc.nat(3),
            pattern: fc.constantFrom("^a", "b$", "^[a-c]+$", "\\d", "^([0-9]+(ns|ms|s|m|h))+$", "^.$"),
            maxItems: fc.nat(3),
            minItems: fc.nat(3),
            items: tie("s"),
            maxProperties: fc.nat(3),
            minProperties: fc.nat(3),
            required: fc.uniqueArray(fc.constantFrom(...KEYS), { maxLength: 3 }),
            // Built through JSON.parse so that a `__proto__` name is an own property, as in a schema file; up to
            // 12 names, as ajv tests names one by one up to 8 and with hasOwnProperty beyond.
            properties: fc
              .array(fc.tuple(fc.constantFrom(...KEYS, "__proto__"), tie("s")), { maxLength: 12 })
              .map((entries) => JSON.parse(`{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(",")}}`) as Obj),
            additionalProperties: tie("s"),
            description: fc.constant("an annotation"),
          },
          { requiredKeys: [] },
        )
        .map((s) => {
          const out: Obj = { ...s };
          // ajv (strict) refuses a lone `if`, or `then`/`else` without one.
          if (out.if !== undefined && out.then === undefined && out.else === undefined) out.then = true;
          if (out.if === undefined) {
            delete out.then;
            delete out.else;
          }
          return out;
        }),
    ),
  })).s;

  it("random schemas of the keywords it implements, on random values", () => {
    let invalid = 0;
    let runs = 0;
    fc.assert(
      fc.property(schemas, fc.array(fc.oneof(json, json.map((v) => ({ a: v, b: [v], c: { enabled: v } }))), { minLength: 1, maxLength: 6 }), (schema, values) => {
        const ajv = newAjv(false, { strictTypes: false, strictTuples: false }).compile(schema as Obj | boolean);
        const table = validationTable(schema, 64);
        const ours = schemaValidator(table.root, table.parts);
        for (const v of values) if (same(ajv, ours, v).length > 0) invalid++;
        runs++;
      }),
      { numRuns: 300 },
    );
    expect(invalid).toBeGreaterThan(runs / 4);
  });

  it("random schemas naming many properties (looked up by the data's own keys), on objects setting a few", () => {
    const names = [...KEYS, ...Array.from({ length: 20 }, (_, i) => `p${i + 1}`)];
    // Small subschemas: ajv compiles one validator per run.
    const small = fc.constantFrom<SchemaNode>(
      true,
      false,
      { type: "string" },
      { type: "number", minimum: 0 },
      { type: ["null", "boolean"] },
      { const: 1 },
      { type: "object", properties: { a: { type: "string" } }, additionalProperties: false },
      { type: "array", items: { type: "integer" } },
    );
    const node = fc.record({
      properties: fc.tuple(...names.map(() => small)).map((subs) => Object.fromEntries(names.map((n, i) => [n, subs[i]]))),
      required: fc.uniqueArray(fc.constantFrom(...names), { maxLength: 2 }),
      additionalProperties: small,
    });
    const data = fc.oneof(
      fc.dictionary(fc.constantFrom(...names, "zz"), json, { maxKeys: 6, noNullPrototype: false }),
      fc.dictionary(fc.constantFrom(...names, "zz"), json, { minKeys: 10, maxKeys: 30 }),
    );
    fc.assert(
      fc.property(node, fc.array(data, { minLength: 1, maxLength: 4 }), (schema, values) => {
        const ajv = newAjv(false, { strictTypes: false, strictTuples: false }).compile(schema as Obj);
        const table = validationTable(schema, 64);
        const ours = schemaValidator(table.root, table.parts);
        for (const v of values) same(ajv, ours, v);
      }),
      { numRuns: 100 },
    );
  });
});

describe("the chart validator gives ajv's errors on the edge cases (each found by a review)", () => {
  const nine = Object.fromEntries(["p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9"].map((k) => [k, { type: "string" }]));
  /** 20 string properties p1…p20 (and `extra`), additionalProperties as given (default: a number schema). */
  const many = (extra: Record<string, unknown> = {}, additional: unknown = { type: "number" }) => ({
    type: "object",
    additionalProperties: additional,
    properties: { ...Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`p${i + 1}`, { type: "string" }])), ...extra },
  });
  const withProto = (extra: unknown, more: boolean) =>
    JSON.parse(JSON.stringify({ type: "object", additionalProperties: extra, properties: { __proto__placeholder: { type: "string" }, ...(more ? nine : {}) } }).replace("__proto__placeholder", "__proto__"));
  it.each<[string, unknown, unknown]>([
    ["an own `constructor` key against an object const", { const: { constructor: {} } }, JSON.parse('{"constructor":{}}')],
    ["an own `constructor` key against an object enum", { enum: [{ constructor: [] }, 1] }, JSON.parse('{"constructor":[]}')],
    ["a Date against an object const", { const: {} }, new Date(0)],
    ["`__proto__` named among 9 more properties, additionalProperties false", withProto(false, true), JSON.parse('{"__proto__":5}')],
    ["`__proto__` named among 9 more properties, additionalProperties a schema", withProto({ type: "string" }, true), JSON.parse('{"__proto__":5}')],
    ["`__proto__` named with no more than 8 others", withProto(false, false), JSON.parse('{"__proto__":5}')],
    ["a Map's inherited `size`", { type: "object", properties: { size: { type: "string" } } }, new Map([["k", 1]])],
    ["a Set's inherited `size`", { type: "object", properties: { size: { type: "string" } } }, new Set(["x"])],
    ["a getter on the prototype", { type: "object", properties: { a: { type: "number" } } }, new Hidden()],
    ["a non-enumerable own key", { type: "object", properties: { name: { type: "string" } } }, Object.defineProperty({}, "name", { value: 5, enumerable: false })],
    ["an inherited `constructor`", { type: "object", properties: { constructor: { type: "string" } } }, {}],
    // Beyond 16 names, a plain object with few keys is looked up by its own keys (and the inherited names).
    ["an inherited `constructor` among many names", many({ constructor: { type: "string" } }), { p1: 1 }],
    ["an own `constructor` among many names", many({ constructor: { type: "string" } }), JSON.parse('{"constructor":5,"p20":"x"}')],
    ["a non-enumerable own key among many names", many(), Object.defineProperty({ p3: 1 }, "p7", { value: 5, enumerable: false })],
    ["a null-prototype object among many names", many({ constructor: { type: "string" } }), Object.assign(Object.create(null), { p2: 1, p19: "x" })],
    ["a getter on the prototype among many names", many({ a: { type: "string" } }), new Hidden()],
    ["`__proto__` named among many names, additionalProperties false", JSON.parse(JSON.stringify(many({ __proto__placeholder: { type: "string" } }, false)).replace("__proto__placeholder", "__proto__")), JSON.parse('{"__proto__":5,"p1":1}')],
    ["many keys set, in another order than the schema's", many(), Object.fromEntries(["p20", "p3", "p11", "p1", "x"].map((k, i) => [k, i]))],
    ["a limit of -0", { type: "number", maximum: -0, minimum: -0, exclusiveMaximum: -0 }, 1],
    ["a const of -0", { const: -0 }, 1],
  ])("%s", (_n, schema, data) => {
    const ajv = newAjv(false, { strictTypes: false }).compile(schema as Obj);
    const table = validationTable(schema, 8);
    same(ajv, schemaValidator(table.root, table.parts), data);
    same(ajv, schemaValidator(validationSchema(schema)), data);
  });
});

describe("validationSchema", () => {
  it("drops annotations and keeps every validated keyword", () => {
    expect(
      validationSchema({
        $schema: "http://json-schema.org/draft-07/schema#",
        description: "root",
        type: "object",
        properties: { a: { type: "string", default: "x", tsType: "string", pattern: "^a" }, "b/c": { anyOf: [{ type: "null", title: "t" }, true] } },
        additionalProperties: false,
      }),
    ).toStrictEqual({ type: "object", properties: { a: { type: "string", pattern: "^a" }, "b/c": { anyOf: [{ type: "null" }, true] } }, additionalProperties: false });
  });

  it.each<[string, unknown, string]>([
    ["an unknown keyword", { type: "object", properties: { a: { format: "uri" } } }, '#/properties/a: keyword "format" is not supported by the chart validator'],
    ["a keyword it does not implement", { anyOf: [{ type: "number", multipleOf: 2 }] }, '#/anyOf/0: keyword "multipleOf" is not supported by the chart validator'],
    ["tuple items", { type: "array", items: [{ type: "string" }] }, "#/items: a list of schemas (tuple items) is not supported by the chart validator"],
    ["an unknown type", { properties: { "a/b~": { type: "text" } } }, "#/properties/a~1b~0/type: must be a JSON type or a non-empty list of them"],
    ["an empty type list", { type: [] }, "#/type: must be a JSON type or a non-empty list of them"],
    ["a limit that is not a number", { maxLength: "3" }, "#/maxLength: must be a number"],
    ["a pattern that does not compile", { pattern: "(" }, "#/pattern: not a valid regular expression"],
    ["an enum that is not a list", { enum: "a" }, "#/enum: must be a list"],
    ["required names that are not strings", { required: [1] }, "#/required: must be a list of names"],
    ["an empty anyOf", { anyOf: [] }, "#/anyOf: must be a non-empty list of schemas"],
    ["a lone if", { if: { type: "string" } }, '#: "if" without "then" or "else"'],
    ["then without if", { then: { type: "string" } }, '#: "then"/"else" without "if"'],
    ["a schema that is not an object", { items: 3 }, "#/items: a schema must be an object or a boolean"],
  ])("refuses %s, naming where", (_n, schema, message) => {
    expect(() => validationSchema(schema)).toThrow(new Error(message));
  });

  it("a table keeps large subschemas apart, and reads back as the schema", () => {
    const big = (n: number) => ({ type: "object", additionalProperties: false, properties: Object.fromEntries(Array.from({ length: n }, (_, i) => [`key${i}`, { type: "string", minLength: 1 }])) });
    const schema = { type: "object", properties: { small: { type: "string" }, large: { ...big(40), properties: { ...big(40).properties, inner: big(40) } } } };
    const table = validationTable(schema);
    expect(table.parts).toHaveLength(2);
    expect(table.root).toStrictEqual({ type: "object", properties: { small: { type: "string" }, large: { $part: 1 } } });
    expect(JSON.parse(table.parts[1] as string).properties.inner).toStrictEqual({ $part: 0 });
    expect(inflate(table.root, table.parts)).toStrictEqual(validationSchema(schema));
    expect(validationTable(schema, Number.POSITIVE_INFINITY)).toStrictEqual({ root: validationSchema(schema), parts: [] });
  });

  it("every committed chart's table reads back as its committed schema", () => {
    for (const { chart, schema } of lock) {
      const shipped = JSON.parse(readFileSync(join(repoRoot, "generated/src", `${chart}.schema.json`), "utf8")) as ValidationTable;
      expect(inflate(shipped.root, shipped.parts), chart).toStrictEqual(validationSchema(JSON.parse(readFileSync(join(repoRoot, schema), "utf8"))));
    }
  });

  it("codegen names the schema file too", () => {
    expect(() => chartSchema({ type: "object", properties: { a: { format: "uri" } } }, "schemas/x/1.0.0/values.schema.json")).toThrow(
      new Error('schemas/x/1.0.0/values.schema.json#/properties/a: keyword "format" is not supported by the chart validator'),
    );
    expect(chartSchema({ type: "string", description: "d" }, "schemas/x/1.0.0/values.schema.json")).toBe(
      '{"$comment":"Generated by scripts/schemas/codegen.ts from schemas/x/1.0.0/values.schema.json. DO NOT EDIT.","root":{"type":"string"},"parts":[]}\n',
    );
  });
});

describe("schemaValidator", () => {
  it("refuses a node it cannot check the first time it reaches it, and validates nothing silently", () => {
    const validate = schemaValidator({ type: "object", properties: { a: { type: "string", format: "uri" } } });
    expect(validate({ b: 1 })).toBe(true);
    expect(() => validate({ a: "x" })).toThrow(new Error('#/properties/a: keyword "format" is not supported by the chart validator'));
  });

  it("finds the keys of every closed object for did-you-mean, escaped as ajv's schema paths", () => {
    const schema = {
      type: "object",
      additionalProperties: false,
      properties: { "a/b": { type: "object", additionalProperties: false, properties: { x: {} } }, c: { anyOf: [{ additionalProperties: false, properties: { y: {} } }] } },
    };
    expect(allowedKeys(schema)).toStrictEqual({
      "#/additionalProperties": ["a/b", "c"],
      "#/properties/a~1b/additionalProperties": ["x"],
      "#/properties/c/anyOf/0/additionalProperties": ["y"],
    });
    expect(schemaValidator(schema).allowedKeys).toStrictEqual(allowedKeys(schema));
    const table = validationTable(schema, 10);
    expect(table.parts.length).toBeGreaterThan(0);
    expect(allowedKeys(table.root, table.parts)).toStrictEqual(allowedKeys(schema));
  });

  it("refuses a part the table does not have", () => {
    expect(() => schemaValidator({ type: "object", properties: { a: { $part: 3 } } as never }, ["{}"])({ a: 1 })).toThrow(new Error("part 3 is not in the table"));
  });

  it.each<[string, unknown, Partial<SchemaError>[]]>([
    ["an undefined property is absent", { req: undefined }, [{ keyword: "required", instancePath: "", params: { missingProperty: "req" } }]],
    ["an undefined extra key is still an extra key", { req: 1, extra: undefined }, [{ keyword: "additionalProperties", params: { additionalProperty: "extra" } }]],
    ["a number must be finite", { req: Number.NaN }, [{ keyword: "type", instancePath: "/req", params: { type: "number" } }]],
  ])("reads data as ajv does: %s", (_n, data, expected) => {
    const validate = schemaValidator({ type: "object", required: ["req"], additionalProperties: false, properties: { req: { type: "number" } } });
    expect(validate(data)).toBe(false);
    expect(validate.errors).toMatchObject(expected);
    expect(validate.errors).toHaveLength(expected.length);
  });
});
