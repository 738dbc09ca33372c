import fc from "fast-check";
import { jsonArbitrary } from "./_arbitraries.js";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { describe, expect, it } from "vitest";
import { orderK8sKeys, parseYaml, toYaml, yamlFile } from "../src/yaml.js";

const VERSIONS = ["1.1", "1.2"] as const;

/** What a YAML reader must give back: JSON semantics (-0 is 0, undefined properties dropped). */
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value)) as unknown;

/** Strings that some YAML 1.1 or 1.2 reader would not read back as the same string when written plain. */
const TRICKY: readonly string[] = [
  "no", "No", "NO", "on", "On", "off", "OFF", "yes", "Yes", "y", "Y", "n", "N", "true", "True", "False", "FALSE",
  "~", "null", "Null", "NULL", "", " ", "0755", "0o17", "0x1F", "0X1F", "0b101", "12:30", "190:20:30", "1_000",
  "1__0", "1e3", "1E-3", "1.0", ".5", "+1", "-1", "0", "3.", ".inf", "-.inf", "+.INF", ".nan", "-.NaN", ".NaN",
  "2024-01-01", "2001-12-14t21:59:43.10-05:00", "=", "<<", " a", "a ", "\ta", "a\t", "- a", "-", "?", "? a",
  ":", ":a", "?a", "a: b", "a:", "a #b", "#a", "&a", "*a", "!a", "!!str a", "|", ">", "|-", "%a", "@a", "`a",
  "'a'", '"a"', "a'b", 'a"b', "[a]", "{a}", "[", "}", ",", "---", "--- x", "...", "...x", "a\\b", "\\",
  "a\u2028b", "\u2029", "\ufeffx", "\u0085", "\u007f", "\u00a0", "a\u0000b", "\u001b[0m", "\r", "a\r\nb",
  "\n", "\n\n", "a\n", "a\n\n", "\na", " \n", "a \nb", "a\n b", "a\t\nb", "x\n---\ny", "x\n...\n",
];

const PLAIN_OK: readonly string[] = [
  "a", "10Gi", "500m", "-a", "--config.file=/etc/alloy/config.alloy", "a#b", "a:b", "1.2.3", "v1.2.3",
  "http://loki-gateway.logs.svc:80/loki/api/v1/push", "a b", "a-b_c.d/e", "é", "日本", "😀", "${VAR}",
  "(.+)", "^$", "a,b", "nope", "yess", "0xZZ", "1a", "inf", "nan", "-inf", "12:60", "1.2e", "1e", "$1:$2", "C:\\dir", "a%", "a!", "a&b", "a*", "a|b", "a>b", "a'", 'a"', "a?", "-?", "a-",
];

describe("toYaml scalars", () => {
  it.each<[string, unknown, string]>([
    ["integer", 42, "42\n"],
    ["negative integer", -7, "-7\n"],
    ["decimal", 2.5, "2.5\n"],
    ["negative decimal", -0.125, "-0.125\n"],
    ["negative zero", -0, "0\n"],
    ["large integer gets a dotted mantissa", 1e21, "1.0e+21\n"],
    ["small number gets a dotted mantissa", 5e-7, "5.0e-7\n"],
    ["exponent with a fraction keeps it", 1.5e-7, "1.5e-7\n"],
    ["max safe integer", Number.MAX_SAFE_INTEGER, "9007199254740991\n"],
    ["true", true, "true\n"],
    ["false", false, "false\n"],
    ["null", null, "null\n"],
    ["plain string", "hello", "hello\n"],
    ["empty object", {}, "{}\n"],
    ["empty array", [], "[]\n"],
  ])("%s", (_name, value, expected) => {
    expect(toYaml(value)).toBe(expected);
  });
});

describe("toYaml string quoting", () => {
  it.each<[string, string]>([
    ["no", '"no"'],
    ["on", '"on"'],
    ["off", '"off"'],
    ["yes", '"yes"'],
    ["y", '"y"'],
    ["n", '"n"'],
    ["true", '"true"'],
    ["False", '"False"'],
    ["~", '"~"'],
    ["null", '"null"'],
    ["0755", '"0755"'],
    ["0o17", '"0o17"'],
    ["0x1F", '"0x1F"'],
    ["0X1F", '"0X1F"'],
    ["12:30", '"12:30"'],
    ["1_000", '"1_000"'],
    ["1e3", '"1e3"'],
    ["e3", '"e3"'], // the yaml package's 1.1 schema reads it as a float
    ["_1", '"_1"'], // go-yaml drops underscores before number parsing
    ["TRue", '"TRue"'], // booleans in any letter case are quoted
    ["1.0", '"1.0"'],
    [".inf", '".inf"'],
    ["-.NaN", '"-.NaN"'],
    ["2024-01-01", '"2024-01-01"'],
    ["=", '"="'],
    ["<<", '"<<"'],
    ["", '""'],
    [" a", '" a"'],
    ["a ", '"a "'],
    ["- a", '"- a"'],
    ["-", '"-"'],
    ["?a", '"?a"'],
    [":a", '":a"'],
    ["a: b", '"a: b"'],
    ["a:", '"a:"'],
    ["a #b", '"a #b"'],
    ["#a", '"#a"'],
    ["&a", '"&a"'],
    ["*a", '"*a"'],
    ["!a", '"!a"'],
    ["|", '"|"'],
    [">", '">"'],
    ["%a", '"%a"'],
    ["@a", '"@a"'],
    ["`a", '"`a"'],
    ["'a'", `"'a'"`],
    ['"a"', '"\\"a\\""'],
    ["[a]", '"[a]"'],
    ["{a}", '"{a}"'],
    ["---", '"---"'],
    ["...x", '"...x"'],
    ["a\tb", '"a\\tb"'],
    ["a\\b", "a\\b"],
    ["\\", "\\"],
    ["a\u2028b", '"a\\u2028b"'],
    ["\ufeffx", '"\\ufeffx"'],
    ["\u0085", '"\\u0085"'],
    ["\u007f", '"\\u007f"'],
    ["\uffff", '"\\uffff"'],
    ["a\u0000b", '"a\\u0000b"'],
    ["\u001b[0m", '"\\u001b[0m"'],
  ])("%j is written as %s", (input, expected) => {
    expect(toYaml({ v: input })).toBe(`v: ${expected}\n`);
    expect(toYaml({ [input]: 1 })).toBe(`${expected}: 1\n`);
    expect(toYaml([input])).toBe(`- ${expected}\n`);
  });

  it.each(PLAIN_OK.map((s) => [s]))("%j stays plain", (input) => {
    expect(toYaml({ v: input })).toBe(`v: ${input}\n`);
    expect(toYaml({ [input]: "x" })).toBe(`${input}: x\n`);
  });

  it.each(TRICKY.map((s) => [s]))("%j reads back as the same string under YAML 1.1 and 1.2", (input) => {
    const text = toYaml({ [input]: input, list: [input] });
    for (const version of VERSIONS) {
      expect(parseYaml(text, version)).toEqual([{ [input]: input, list: [input] }]);
    }
  });
});

describe("toYaml multi-line strings", () => {
  it.each<[string, string, string]>([
    ["clip chomping for one trailing newline", "a\nb\n", "v: |\n  a\n  b\n"],
    ["strip chomping without trailing newline", "a\nb", "v: |-\n  a\n  b\n"],
    ["keep chomping for extra trailing newlines", "a\n\n", "v: |+\n  a\n\n"],
    ["indented lines after the first", "a:\n  b: 1\n", "v: |\n  a:\n    b: 1\n"],
    ["empty lines inside", "a\n\nb\n", "v: |\n  a\n\n  b\n"],
    ["document markers inside", "---\nx\n...\n", "v: |\n  ---\n  x\n  ...\n"],
    ["comment-like lines", "# c\nx # y\n", "v: |\n  # c\n  x # y\n"],
    ["tabs inside lines", "a\tb\nc\n", "v: |\n  a\tb\n  c\n"],
    ["long lines are not folded", `${"x ".repeat(60)}x\n`, `v: |\n  ${"x ".repeat(60)}x\n`],
    ["trailing spaces fall back to double quotes", "a \nb\n", 'v: "a \\nb\\n"\n'],
    ["trailing tab falls back", "a\nb\t", 'v: "a\\nb\\t"\n'],
    ["whitespace-only line falls back", "a\n  \nb", 'v: "a\\n  \\nb"\n'],
    ["leading space falls back", "  a\nb\n", 'v: "  a\\nb\\n"\n'],
    ["leading newline falls back", "\na\n", 'v: "\\na\\n"\n'],
    ["CRLF falls back", "a\r\nb\r\n", 'v: "a\\r\\nb\\r\\n"\n'],
    ["control character falls back", "a\u0007\nb", 'v: "a\\u0007\\nb"\n'],
    ["only newlines fall back", "\n\n", 'v: "\\n\\n"\n'],
  ])("%s", (_name, input, expected) => {
    const text = toYaml({ v: input });
    expect(text).toBe(expected);
    for (const version of VERSIONS) expect(parseYaml(text, version)).toEqual([{ v: input }]);
  });

  it.each<[string, unknown, string]>([
    ["in a sequence", ["a\nb\n"], "- |\n  a\n  b\n"],
    ["at the root (content still indented)", "a\nb\n", "|\n  a\n  b\n"],
    ["nested", { data: { "config.alloy": "logging {\n  level = \"info\"\n}\n" } },
      'data:\n  config.alloy: |\n    logging {\n      level = "info"\n    }\n'],
    ["as a key (double quoted)", { "a\nb": 1 }, '"a\\nb": 1\n'],
  ])("%s", (_name, value, expected) => {
    const text = toYaml(value);
    expect(text).toBe(expected);
    for (const version of VERSIONS) expect(parseYaml(text, version)).toEqual([value]);
  });
});

describe("toYaml collections", () => {
  it.each<[string, unknown, string]>([
    ["map keeps insertion order", { b: 1, a: 2, c: 3 }, "b: 1\na: 2\nc: 3\n"],
    ["undefined properties are omitted", { a: 1, b: undefined, c: null }, "a: 1\nc: null\n"],
    ["sequences are indented under their key", { args: ["-a", "-b"] }, "args:\n  - -a\n  - -b\n"],
    ["maps in sequences", { containers: [{ name: "x", ports: [{ containerPort: 80 }] }] },
      "containers:\n  - name: x\n    ports:\n      - containerPort: 80\n"],
    ["nested sequences", [[1, 2], []], "- - 1\n  - 2\n- []\n"],
    ["empty collections as values", { a: {}, b: [] }, "a: {}\nb: []\n"],
    ["numeric-looking keys are quoted", { "8080": "http", http: 8080 }, '"8080": http\nhttp: 8080\n'],
    ["annotation keys stay plain", { "argocd.argoproj.io/sync-wave": "1" }, 'argocd.argoproj.io/sync-wave: "1"\n'],
  ])("%s", (_name, value, expected) => {
    expect(toYaml(value)).toBe(expected);
  });

  it("writes a shared object twice without anchors or aliases", () => {
    const shared = { a: 1, list: [1] };
    expect(toYaml({ x: shared, y: shared, z: [shared.list, shared.list] })).toBe(
      "x:\n  a: 1\n  list:\n    - 1\n\"y\":\n  a: 1\n  list:\n    - 1\nz:\n  - - 1\n  - - 1\n",
    );
  });

  it("accepts null-prototype objects and a __proto__ key", () => {
    const obj = Object.create(null) as Record<string, unknown>;
    obj["a"] = 1;
    const withProto = JSON.parse('{"__proto__": {"b": 2}}') as unknown;
    expect(toYaml({ obj, withProto })).toBe("obj:\n  a: 1\nwithProto:\n  __proto__:\n    b: 2\n");
  });

  it("serialises an object met twice (not a cycle) twice, and hands toJSON its key as JSON.stringify does", () => {
    const shared = { a: 1 };
    const keys: unknown[] = [];
    const spy = { toJSON: (k: unknown) => (keys.push(k), "s") };
    expect(toYaml({ x: shared, y: [shared, spy], z: spy })).toBe("x:\n  a: 1\n\"y\":\n  - a: 1\n  - s\nz: s\n");
    JSON.stringify({ y: [0, spy], z: spy });
    expect(keys).toEqual(["1", "z", "1", "z"]);
  });

  it("serialises objects with toJSON (kubernetes-models) through it", () => {
    const cm = new ConfigMap({ metadata: { name: "cfg", namespace: "logs" }, data: { "a.yml": "x: 1\n" } });
    expect(toYaml({ items: [cm] })).toBe(
      "items:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: cfg\n      namespace: logs\n" +
        "    data:\n      a.yml: |\n        x: 1\n",
    );
  });
});

class Foo {
  readonly x = 1;
}
/** toJSON gives `{ back: target }`. */
class BackTo {
  constructor(readonly target: unknown) {}
  toJSON(): unknown {
    return { back: this.target };
  }
}
class SelfJson {
  toJSON(): unknown {
    return this;
  }
}

describe("toYaml errors", () => {
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic["spec"] = { self: cyclic };
  const cyclicList: unknown[] = [];
  const cyclicList0 = { a: [1, cyclicList] };
  cyclicList.push(cyclicList0);
  const cyclicViaJson: Record<string, unknown> = {};
  cyclicViaJson["x"] = new BackTo(cyclicViaJson);
  it.each<[string, unknown, string]>([
    ["Date", { spec: { foo: new Date(0) } }, "unsupported value at spec.foo: Date"],
    ["Map", { spec: { foo: new Map() } }, "unsupported value at spec.foo: Map"],
    ["Set", { metadata: { annotations: { "a.b/c": new Set() } } }, 'unsupported value at metadata.annotations["a.b/c"]: Set'],
    ["class instance", { spec: { foo: new Foo() } }, "unsupported value at spec.foo: Foo"],
    ["toJSON returning itself", { x: new SelfJson() }, "unsupported value at x: SelfJson"],
    ["undefined in an array", { a: [1, undefined] }, "unsupported value at a[1]: undefined"],
    ["array hole", { a: [1, , 3] }, "unsupported value at a[1]: undefined"],
    ["undefined at the root", undefined, "unsupported value at <root>: undefined"],
    ["function", { f: () => 1 }, "unsupported value at f: function"],
    ["symbol", { s: Symbol("s") }, "unsupported value at s: symbol"],
    ["bigint", { n: 10n }, "unsupported value at n: bigint"],
    ["NaN", { spec: { replicas: NaN } }, "non-finite number at spec.replicas: NaN"],
    ["Infinity", { spec: { list: [Infinity] } }, "non-finite number at spec.list[0]: Infinity"],
    ["-Infinity", -Infinity, "non-finite number at <root>: -Infinity"],
    ["cycle", cyclic, "circular reference at spec.self"],
    ["cycle through an array", cyclicList, "circular reference at [0].a[1]"],
    ["cycle through a toJSON", { x: new BackTo(cyclicViaJson) }, "circular reference at x.back.x.back"],
    ["lone surrogate", { x: "a\ud800" }, "unpaired surrogate in string at x"],
    ["lone surrogate after a pair", { x: "\u{1F600}\udbff" }, "unpaired surrogate in string at x"],
    ["lone surrogate in a key", { x: { "\udc00": 1 } }, "unpaired surrogate in key at x"],
  ])("%s", (_name, value, message) => {
    expect(() => toYaml(value)).toThrow(new Error(message));
  });
});

describe("orderK8sKeys", () => {
  it("orders apiVersion, kind, metadata (name, namespace, labels, annotations, rest), then the rest", () => {
    const input = {
      spec: { b: 1, a: 2 },
      metadata: { annotations: { x: "1" }, uid: "u", labels: { app: "a" }, namespace: "ns", name: "n" },
      kind: "Service",
      status: {},
      apiVersion: "v1",
    };
    const snapshot = JSON.stringify(input);
    const out = orderK8sKeys(input);
    expect(Object.keys(out)).toEqual(["apiVersion", "kind", "metadata", "spec", "status"]);
    expect(Object.keys(out.metadata)).toEqual(["name", "namespace", "labels", "annotations", "uid"]);
    expect(Object.keys(out.spec)).toEqual(["b", "a"]);
    expect(JSON.stringify(input)).toBe(snapshot);
    expect(out).not.toBe(input);
    expect(out.metadata).not.toBe(input.metadata);
  });

  it.each<[string, object, string[]]>([
    ["missing keys are not added", { data: 1, kind: "K" }, ["kind", "data"]],
    ["non-object metadata is kept as is", { metadata: "m", apiVersion: "v1" }, ["apiVersion", "metadata"]],
    ["empty object", {}, []],
  ])("%s", (_name, input, keys) => {
    expect(Object.keys(orderK8sKeys(input))).toEqual(keys);
  });
});

describe("yamlFile", () => {
  it("writes the header, then each document after ---, Kubernetes objects ordered", () => {
    const out = yamlFile(
      ["Generated by o11y-gitops. Do not edit.", "", "source: stack.config.ts"],
      [
        { data: { k: "v" }, metadata: { labels: { a: "b" }, name: "x" }, kind: "ConfigMap", apiVersion: "v1" },
        { kind: "NotK8s", b: 1, a: 2 },
        { apiVersion: "x/v1", list: ["yes"] },
        null,
      ],
    );
    expect(out).toBe(
      [
        "# Generated by o11y-gitops. Do not edit.",
        "#",
        "# source: stack.config.ts",
        "---",
        "apiVersion: v1",
        "kind: ConfigMap",
        "metadata:",
        "  name: x",
        "  labels:",
        "    a: b",
        "data:",
        "  k: v",
        "---",
        "kind: NotK8s",
        "b: 1",
        "a: 2",
        "---",
        "apiVersion: x/v1",
        "list:",
        '  - "yes"',
        "---",
        "null",
        "",
      ].join("\n"),
    );
  });

  it("orders kubernetes-models instances", () => {
    const cm = new ConfigMap({ data: { a: "1" }, metadata: { namespace: "ns", name: "c" } });
    expect(yamlFile([], [cm])).toBe(
      "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: ns\ndata:\n  a: \"1\"\n",
    );
  });

  it.each<[string, readonly string[], readonly unknown[], string]>([
    ["no header, no documents", [], [], ""],
    ["header only", ["h"], [], "# h\n"],
    ["block literal with kept newlines before the next document", [], ["a\n\n", 1], "---\n|+\n  a\n\n---\n1\n"],
  ])("%s", (_name, header, docs, expected) => {
    const out = yamlFile(header, docs);
    expect(out).toBe(expected);
    for (const version of VERSIONS) expect(parseYaml(out, version)).toEqual(docs);
  });

  it.each<[string, readonly string[], readonly unknown[], string]>([
    ["line break in the header", ["ok", "a\nb"], [], "header line 2 contains a line break"],
    ["carriage return in the header", ["a\r"], [], "header line 1 contains a line break"],
    ["bad value in a document", [], [{}, { x: NaN }], "document 2: non-finite number at x: NaN"],
    ["undefined document", [], [undefined], "document 1: unsupported value at <root>: undefined"],
  ])("%s", (_name, header, docs, message) => {
    expect(() => yamlFile(header, docs)).toThrow(new Error(message));
  });
});

describe("parseYaml", () => {
  it.each<[string, string, unknown[], unknown[]]>([
    ["1.1 booleans", "a: yes\nb: on\n", [{ a: true, b: true }], [{ a: "yes", b: "on" }]],
    ["octal forms", "a: 0755\nb: 0o17\n", [{ a: 493, b: "0o17" }], [{ a: 755, b: 15 }]],
    ["sexagesimal", "a: 12:30\n", [{ a: 750 }], [{ a: "12:30" }]],
    ["multiple documents", "---\na: 1\n---\n- x\n", [{ a: 1 }, ["x"]], [{ a: 1 }, ["x"]]],
    ["empty stream", "", [], []],
  ])("%s", (_name, text, v11, v12) => {
    expect(parseYaml(text, "1.1")).toEqual(v11);
    expect(parseYaml(text, "1.2")).toEqual(v12);
  });

  it("throws on invalid YAML", () => {
    expect(() => parseYaml("a: [1\n", "1.2")).toThrow(/^YAML 1\.2: /);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Property tests.

const stringArb = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.string({ unit: "grapheme" }),
  fc.constantFrom(...TRICKY, ...PLAIN_OK),
  // short strings over YAML's structural characters, to hit block literal and quoting edge cases
  fc.string({ unit: fc.constantFrom("a", "0", ".", " ", "\n", "\t", "-", ":", "#", "'", '"', "|", "\r", "\\") }),
);

const numberArb = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 1e21, -1e21, 5e-7, 0.1, -2.5, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE, Number.MAX_VALUE),
);

const jsonArb = jsonArbitrary(stringArb, numberArb);

const NUM_RUNS = 300;

describe("toYaml properties", () => {
  it("reads back deep-equal under YAML 1.1 and YAML 1.2", () => {
    fc.assert(
      fc.property(jsonArb, (value) => {
        const text = toYaml(value);
        for (const version of VERSIONS) expect(parseYaml(text, version)).toEqual([asJson(value)]);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("reads back every string in every position", () => {
    fc.assert(
      fc.property(stringArb, (s) => {
        const value = { [s]: s, list: [s, { [s]: [s] }] };
        const text = toYaml(value);
        for (const version of VERSIONS) expect(parseYaml(text, version)).toEqual([value]);
      }),
      { numRuns: NUM_RUNS * 3 },
    );
  });

  it("is deterministic (same bytes twice, and for a fresh copy)", () => {
    fc.assert(
      fc.property(jsonArb, (value) => {
        const first = toYaml(value);
        expect(toYaml(value)).toBe(first);
        expect(toYaml(asJson(value))).toBe(first);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("never writes trailing whitespace or characters that need escaping", () => {
    fc.assert(
      fc.property(jsonArb, (value) => {
        const text = toYaml(value);
        expect(text).not.toMatch(/[ \t]$/m);
        expect(text).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/);
        expect(text.endsWith("\n")).toBe(true);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

describe("yamlFile properties", () => {
  const headerArb = fc.array(fc.string().filter((s) => !/[\r\n]/.test(s)), { maxLength: 3 });
  const k8sArb = fc.record({
    spec: jsonArb,
    metadata: fc.record({ labels: fc.dictionary(stringArb, stringArb, { maxKeys: 3 }), name: stringArb }),
    kind: stringArb,
    apiVersion: stringArb,
  });
  it("parses back to the same documents under YAML 1.1 and YAML 1.2", () => {
    fc.assert(
      fc.property(headerArb, fc.array(fc.oneof(jsonArb, k8sArb), { maxLength: 4 }), (header, docs) => {
        const text = yamlFile(header, docs);
        for (const version of VERSIONS) expect(parseYaml(text, version)).toEqual(asJson(docs));
        expect(yamlFile(header, docs)).toBe(text);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

describe("word-like strings (the emitter's fast path)", () => {
  it("read back as the same string under YAML 1.1 and 1.2, quoted or not", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_./-]{0,6}$/), (s) => {
        const text = toYaml({ [s]: s, list: [s] });
        const want = { [s]: s, list: [s] };
        expect(parseYaml(text, "1.1")).toEqual([want]);
        expect(parseYaml(text, "1.2")).toEqual([want]);
      }),
      { numRuns: 3000 },
    );
  });
});
