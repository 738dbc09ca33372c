// validateValues against the committed schemas and generated tables (no chart sources needed), and the
// error wording (@o11y-gitops/schema-errors' describeSchemaErrors) against ajv's own errors for small schemas.
import { validateValues, type ChartName } from "@o11y-gitops/chart-values";
import { allowedKeys, closestKey, describeSchemaErrors, editDistance, showValue, valuesPath, type ValuesError } from "@o11y-gitops/schema-errors";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { newAjv } from "../schemas/_ajv.js";

const ENUM_MODES = '"SingleBinary", "SimpleScalable", "Distributed", "SingleBinary<->SimpleScalable", "SimpleScalable<->Distributed"';

describe("validateValues", () => {
  it.each<[string, ChartName, unknown, ValuesError[]]>([
    ["loki: valid overrides", "loki", { deploymentMode: "SingleBinary", loki: { useTestSchema: true, auth_enabled: false, storage: { type: "s3" } } }, []],
    [
      "loki: misspelled nested key",
      "loki",
      { loki: { useTestSchema: true, storagee: { type: "s3" } } },
      [{ path: "loki", message: 'must NOT have additional property "storagee" (did you mean "storage"?)' }],
    ],
    [
      "loki: misspelled top-level key",
      "loki",
      { deploymentMod: "SingleBinary" },
      [{ path: "(root)", message: 'must NOT have additional property "deploymentMod" (did you mean "deploymentMode"?)' }],
    ],
    [
      "loki: swapped letters",
      "loki",
      { loki: { useTestSchema: true, storage: { bukcetNames: { chunks: "c" } } } },
      [{ path: "loki.storage", message: 'must NOT have additional property "bukcetNames" (did you mean "bucketNames"?)' }],
    ],
    ["loki: unknown key, nothing close", "loki", { bad: 1 }, [{ path: "(root)", message: 'must NOT have additional property "bad"' }]],
    ["loki: wrong nested type", "loki", { loki: { useTestSchema: true, auth_enabled: "false" } }, [{ path: "loki.auth_enabled", message: 'must be boolean, found string "false"' }]],
    ["loki: wrong type", "loki", { singleBinary: { replicas: "1" } }, [{ path: "singleBinary.replicas", message: 'must be number, found string "1"' }]],
    ["loki: an object for a number", "loki", { singleBinary: { replicas: { n: 1 } } }, [{ path: "singleBinary.replicas", message: 'must be number, found object {"n":1}' }]],
    ["loki: null for a number", "loki", { singleBinary: { replicas: null } }, [{ path: "singleBinary.replicas", message: "must be number, found null" }]],
    [
      "loki: a long value is cut after 40 characters",
      "loki",
      { singleBinary: { replicas: "x".repeat(41) } },
      [{ path: "singleBinary.replicas", message: `must be number, found string "${"x".repeat(40)}…"` }],
    ],
    ["loki: wrong type in a nested section", "loki", { imagePullSecrets: [], gateway: { basicAuth: { enabled: 1 } } }, [{ path: "gateway.basicAuth.enabled", message: "must be boolean, found number 1" }]],
    ["loki: not an object", "loki", [], [{ path: "(root)", message: "must be object, found array []" }]],
    ["loki: enum", "loki", { deploymentMode: "Single" }, [{ path: "deploymentMode", message: `must be one of ${ENUM_MODES}, found "Single"` }]],
    [
      "loki: minLength",
      "loki",
      { loki: { useTestSchema: true, storage: { bucketNames: { chunks: "" } } } },
      [{ path: "loki.storage.bucketNames.chunks", message: 'must NOT have fewer than 1 characters, found "" (0 characters)' }],
    ],
    [
      "loki: minItems",
      "loki",
      { loki: { schemaConfig: { configs: [] } } },
      [{ path: "loki.schemaConfig.configs", message: "must NOT have fewer than 1 items, found 0" }],
    ],
    [
      "loki: required inside an array item",
      "loki",
      { singleBinary: { extraEnv: [{ value: "v" }] } },
      [{ path: "singleBinary.extraEnv[0]", message: 'must have required property "name"' }],
    ],
    [
      "loki: the if/then + anyOf companion rule is one line naming both alternatives",
      "loki",
      { loki: { auth_enabled: false } },
      [{ path: "loki", message: 'must have required property "schemaConfig" or "structuredConfig"' }],
    ],
    [
      "loki: anyOf alternatives failing at different depths",
      "loki",
      { loki: { structuredConfig: {} } },
      [{ path: "loki", message: 'must have required property "schemaConfig", or structuredConfig must have required property "schema_config"' }],
    ],
    [
      "metallb: anyOf of types is one line",
      "metallb",
      { "frr-k8s": { prometheus: { serviceMonitor: { interval: "30s" } } } },
      [{ path: "frr-k8s.prometheus.serviceMonitor.interval", message: 'must be integer or null, found string "30s"' }],
    ],
    [
      "tempo: pattern",
      "tempo",
      { tempo: { retention: "7d" } },
      [{ path: "tempo.retention", message: 'must match pattern "^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$", found "7d"' }],
    ],
    [
      "alloy: maxLength",
      "alloy",
      { alloy: { extraPorts: [{ name: "otlp-grpc-receiver", port: 4317, targetPort: 4317 }] } },
      [{ path: "alloy.extraPorts[0].name", message: 'must NOT have more than 15 characters, found "otlp-grpc-receiver" (18 characters)' }],
    ],
    ["kube-prometheus-stack: valid overrides", "kube-prometheus-stack", { grafana: { enabled: true, replicas: 1 }, prometheus: { prometheusSpec: { retention: "10d" } } }, []],
    [
      "kube-prometheus-stack: misspelled key",
      "kube-prometheus-stack",
      { prometheus: { prometheusSpec: { retension: "10d" } } },
      [{ path: "prometheus.prometheusSpec", message: 'must NOT have additional property "retension" (did you mean "retention"?)' }],
    ],
    [
      "kube-prometheus-stack: misspelled key in the grafana subchart",
      "kube-prometheus-stack",
      { grafana: { persistance: { enabled: true } } },
      [{ path: "grafana", message: 'must NOT have additional property "persistance" (did you mean "persistence"?)' }],
    ],
    [
      "kube-prometheus-stack: wrong types, all reported",
      "kube-prometheus-stack",
      { alertmanager: { enabled: "yes" }, prometheus: { prometheusSpec: { replicas: "2" } } },
      [
        { path: "alertmanager.enabled", message: 'must be boolean, found string "yes"' },
        { path: "prometheus.prometheusSpec.replicas", message: 'must be number, found string "2"' },
      ],
    ],
    ["kube-prometheus-stack: helm global stays open", "kube-prometheus-stack", { global: { anything: { goes: 1 } } }, []],
  ])("%s", (_n, chart, values, expected) => {
    expect(validateValues(chart, values)).toStrictEqual(expected);
  });

  it("throws for a chart that is not pinned", () => {
    expect(() => validateValues("nope" as "loki", {})).toThrow("unknown chart nope");
  });
});

// Keywords the pinned charts do not use (yet): ajv's real errors for a small schema, worded by describeSchemaErrors.
const SCHEMA = {
  type: "object",
  additionalProperties: false,
  properties: {
    port: { type: "integer", minimum: 1, maximum: 65535 },
    ratio: { type: "number", exclusiveMinimum: 0, multipleOf: 0.5 },
    kind: { const: "demo" },
    url: { type: "string", format: "uri" },
    labels: { type: "object", maxProperties: 1, additionalProperties: { type: "string" } },
    tags: { type: "array", maxItems: 2, items: { type: "string" } },
    name: { type: ["string", "null"], pattern: "^[a-z]+$" },
    "a/b c": { type: "object", additionalProperties: false, properties: { enabled: { type: "boolean" } } },
    mode: { anyOf: [{ type: "string", enum: ["a", "b"] }, { type: "object", required: ["custom"] }] },
  },
};
const check = newAjv(true).compile(SCHEMA);
const describeData = (data: unknown): ValuesError[] => {
  expect(check(data)).toBe(false);
  return describeSchemaErrors(check.errors ?? [], data, allowedKeys(SCHEMA));
};

describe("describeSchemaErrors", () => {
  it.each<[string, unknown, ValuesError[]]>([
    ["minimum", { port: 0 }, [{ path: "port", message: "must be >= 1, found 0" }]],
    ["maximum", { port: 70000 }, [{ path: "port", message: "must be <= 65535, found 70000" }]],
    ["integer", { port: 1.5 }, [{ path: "port", message: "must be integer, found number 1.5" }]],
    ["exclusiveMinimum", { ratio: 0 }, [{ path: "ratio", message: "must be > 0, found 0" }]],
    ["multipleOf", { ratio: 0.7 }, [{ path: "ratio", message: "must be a multiple of 0.5, found 0.7" }]],
    ["const", { kind: "other" }, [{ path: "kind", message: 'must be "demo", found "other"' }]],
    ["format", { url: "not a uri" }, [{ path: "url", message: 'must match format "uri", found "not a uri"' }]],
    ["maxProperties", { labels: { a: "1", b: "2" } }, [{ path: "labels", message: "must NOT have more than 1 properties, found 2" }]],
    ["maxItems", { tags: ["a", "b", "c"] }, [{ path: "tags", message: "must NOT have more than 2 items, found 3" }]],
    ["an open map's value", { labels: { a: 1 } }, [{ path: "labels.a", message: "must be string, found number 1" }]],
    ["a type list", { name: 3 }, [{ path: "name", message: "must be string or null, found number 3" }]],
    ["pattern", { name: "Bad" }, [{ path: "name", message: 'must match pattern "^[a-z]+$", found "Bad"' }]],
    ["a key needing escapes", { "a/b c": { enabeld: true } }, [{ path: '["a/b c"]', message: 'must NOT have additional property "enabeld" (did you mean "enabled"?)' }]],
    ["a dropped letter", { prt: 1 }, [{ path: "(root)", message: 'must NOT have additional property "prt" (did you mean "port"?)' }]],
    ["nothing close", { zzzz: 1 }, [{ path: "(root)", message: 'must NOT have additional property "zzzz"' }]],
    ["anyOf: enum or required", { mode: "c" }, [{ path: "mode", message: 'must be one of "a", "b", found "c", or must be object, found string "c"' }]],
    ["anyOf: an object without the required key", { mode: {} }, [{ path: "mode", message: 'must be string, found object {} and must be one of "a", "b", found {}, or must have required property "custom"' }]],
    [
      "several problems, one line each, in order",
      { port: "80", tags: [1], kind: 1 },
      [
        { path: "port", message: 'must be integer, found string "80"' },
        { path: "kind", message: 'must be "demo", found 1' },
        { path: "tags[0]", message: "must be string, found number 1" },
      ],
    ],
  ])("%s", (_n, data, expected) => {
    expect(describeData(data)).toStrictEqual(expected);
  });

  it("merges a kubernetes-models style oneOf (every schema path starts at #/) into one line", () => {
    const errors = [
      { instancePath: "/spec/ports/0/targetPort", schemaPath: "#/type", keyword: "type", params: { type: "string" } },
      { instancePath: "/spec/ports/0/targetPort", schemaPath: "#/type", keyword: "type", params: { type: "integer" } },
      { instancePath: "/spec/ports/0/targetPort", schemaPath: "#/oneOf", keyword: "oneOf", params: { passingSchemas: null }, message: 'must match exactly one schema in "oneOf"' },
    ];
    const data = { spec: { ports: [{ targetPort: true }] } };
    expect(describeSchemaErrors(errors, data)).toStrictEqual([{ path: "spec.ports[0].targetPort", message: "must be string or integer, found boolean true" }]);
  });

  it("falls back to ajv's own message for an error without the params it expects", () => {
    const errors = [{ instancePath: "/a", schemaPath: "#/properties/a/enum", keyword: "enum", params: {}, message: "must be equal to one of the allowed values" }];
    expect(describeSchemaErrors(errors, { a: 1 })).toStrictEqual([{ path: "a", message: "must be equal to one of the allowed values" }]);
  });

  it("keeps a wrapper error that has nothing nested to restate it", () => {
    const errors = [{ instancePath: "/x", schemaPath: "#/properties/x/oneOf", keyword: "oneOf", params: { passingSchemas: [0, 1] }, message: 'must match exactly one schema in "oneOf"' }];
    expect(describeSchemaErrors(errors, { x: 1 })).toStrictEqual([{ path: "x", message: 'must match exactly one schema in "oneOf"' }]);
  });
});

describe("showValue", () => {
  it.each<[unknown, string]>([
    ["3", '"3"'],
    [3, "3"],
    [true, "true"],
    [null, "null"],
    [undefined, "undefined"],
    [[1, "a"], '[1,"a"]'],
    ["é".repeat(41), `"${"é".repeat(40)}…"`],
    [{ key: "a value long enough to be cut off here" }, '{"key":"a value long enough to be cut of…'],
    [Number.NaN, "NaN"],
    [Number.POSITIVE_INFINITY, "Infinity"],
  ])("%j → %s", (v, shown) => {
    expect(showValue(v)).toBe(shown);
  });
});

describe("editDistance and closestKey", () => {
  it.each<[string, string, number]>([
    ["", "", 0],
    ["abc", "", 3],
    ["bukcetNames", "bucketNames", 1],
    ["persistance", "persistence", 1],
    ["replica", "replicas", 1],
    ["kitten", "sitting", 3],
    ["ca", "abc", 3],
  ])("%s ↔ %s = %d", (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });

  it.each<[string, string[], string | undefined]>([
    ["bukcetNames", ["type", "bucketNames", "s3"], "bucketNames"],
    ["retension", ["retention", "retentionSize"], "retention"],
    ["enabeld", ["enable", "enabled"], "enabled"],
    ["tls", ["ttl"], undefined],
    ["bad", ["rbac", "tag"], undefined],
    ["x", ["y"], undefined],
    ["persistance", [], undefined],
  ])("%s among %j → %s", (key, allowed, hint) => {
    expect(closestKey(key, allowed)).toBe(hint);
  });

  it("is a distance: zero only for equal strings, symmetric, at most the longer length", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const d = editDistance(a, b);
        expect(d === 0).toBe(a === b);
        expect(editDistance(b, a)).toBe(d);
        expect(d).toBeLessThanOrEqual(Math.max([...a].length, [...b].length));
      }),
    );
  });

  it("suggests only keys it was given, never the rejected key's own spelling", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 10 }), fc.array(fc.string({ maxLength: 10 }), { maxLength: 6 }), (key, allowed) => {
        const hint = closestKey(key, allowed.filter((k) => k !== key));
        if (hint !== undefined) {
          expect(allowed).toContain(hint);
          expect(editDistance(key, hint)).toBeLessThanOrEqual(2);
        }
      }),
    );
  });
});

describe("valuesPath", () => {
  it.each<[string, string]>([
    ["", "(root)"],
    ["/loki/storage/bucketNames", "loki.storage.bucketNames"],
    ["/extraEnv/0/name", "extraEnv[0].name"],
    ["/kube-state-metrics/enabled", "kube-state-metrics.enabled"],
    ["/podAnnotations/example.com~1owner", 'podAnnotations["example.com/owner"]'],
  ])("%s → %s", (pointer, path) => {
    expect(valuesPath(pointer)).toBe(path);
  });

  it("maps distinct identifier paths to distinct dotted paths", () => {
    const seg = fc.oneof(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,8}$/), fc.nat(50).map(String));
    fc.assert(
      fc.property(fc.array(seg, { minLength: 1, maxLength: 5 }), fc.array(seg, { minLength: 1, maxLength: 5 }), (a, b) => {
        const pa = valuesPath(`/${a.join("/")}`);
        const pb = valuesPath(`/${b.join("/")}`);
        expect(pa === pb).toBe(a.join("/") === b.join("/"));
      }),
    );
  });
});
