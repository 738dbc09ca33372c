import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  alloyConfig as a,
  alloyReferences,
  emitAlloy,
  isAlloyIdentifier,
  quoteAlloyString,
  type AlloyBlock,
  type AlloyConfig,
  type AlloyStatement,
  type AlloyValue,
} from "@o11y-gitops/collectors";
import { checkWellFormed, parseAlloy, type Expr, type Stmt } from "./_alloy-parser.js";

/** One attribute `v = <value>` inside `test "x" { }`, emitted and stripped of the block lines. */
function emitValue(v: AlloyValue): string {
  const text = emitAlloy(a.file(a.component("test", "x", [a.attr("v", v)])));
  return text.split("\n").slice(1, -2).map((l) => l.replace(/^\t/, "")).join("\n");
}

/** Parsed expression back to a model value (the inverse of the emitter for the shapes it prints). */
function toModel(e: Expr): AlloyValue {
  switch (e.kind) {
    case "string":
      return a.str(e.value);
    case "number":
      return a.num(e.value);
    case "bool":
      return a.bool(e.value);
    case "null":
      return a.null();
    case "array":
      return { kind: "list", items: e.items.map(toModel) };
    case "object":
      return { kind: "object", fields: e.fields.map((f) => ({ key: f.key, value: toModel(f.value) })) };
    case "unary":
      if (e.op === "-" && e.value.kind === "number") return a.num(-e.value.value);
      throw new Error("unexpected unary expression");
    case "call":
      return { kind: "call", fn: e.callee.join("."), args: e.args.map(toModel) };
    case "access":
      return e.path[0] === "constants" ? a.stdlib(e.path.join(".")) : (() => {
        throw new Error(`reference ${e.path.join(".")} needs the component table`);
      })();
    case "index":
      throw new Error("unexpected index expression");
  }
}

function stmtsToModel(body: Stmt[]): AlloyStatement[] {
  return body.map((s): AlloyStatement => {
    if (s.kind === "attribute") return { kind: "attribute", name: s.name, value: toModel(s.value) };
    const b: AlloyBlock = { kind: "block", name: s.name, body: stmtsToModel(s.body) };
    return { ...b, ...(s.label !== undefined ? { label: s.label } : {}), ...(s.comment !== undefined ? { comment: s.comment } : {}) };
  });
}

describe("emitAlloy: values", () => {
  it.each<[string, AlloyValue, string]>([
    ["string", a.str("hello"), 'v = "hello"'],
    ["empty string", a.str(""), 'v = ""'],
    ["quote and backslash", a.str('a"b\\c'), 'v = "a\\"b\\\\c"'],
    ["named escapes", a.str("\n\t\r\u0007\b\f\u000b"), 'v = "\\n\\t\\r\\a\\b\\f\\v"'],
    ["other ASCII controls as \\x", a.str("\u0000\u001b\u007f"), 'v = "\\x00\\x1b\\x7f"'],
    ["non-printable BMP as \\u", a.str("\u00a0\u200b\u2028"), 'v = "\\u00a0\\u200b\\u2028"'],
    ["non-printable astral as \\U", a.str("\u{e0001}"), 'v = "\\U000e0001"'],
    ["printable Unicode kept", a.str("héllo ✓ 日本 😀"), 'v = "héllo ✓ 日本 😀"'],
    ["regex kept verbatim", a.str("/(.*)"), 'v = "/(.*)"'],
    ["integer", a.num(42), "v = 42"],
    ["negative", a.num(-3), "v = -3"],
    ["float", a.num(0.25), "v = 0.25"],
    ["tiny float", a.num(1e-7), "v = 1e-7"],
    ["unsafe integer in exponent form", a.num(1e20), "v = 1e+20"],
    ["negative zero", a.num(-0), "v = 0"],
    ["true", a.bool(true), "v = true"],
    ["null", a.null(), "v = null"],
    ["empty list", a.list(), "v = []"],
    ["inline list", a.list("a", 1, true), 'v = ["a", 1, true]'],
    ["env call", a.env("HOME"), 'v = sys.env("HOME")'],
    ["call with nested call", a.call("string.format", "x=%s", a.env("X")), 'v = string.format("x=%s", sys.env("X"))'],
    ["constant", a.stdlib("constants.hostname"), "v = constants.hostname"],
    ["empty object", a.obj({}), "v = {}"],
    ["object: aligned, trailing commas", a.obj({ a: 1, long_key: "x" }), 'v = {\n\ta        = 1,\n\tlong_key = "x",\n}'],
    ["object: non-identifier keys quoted", a.obj({ "app.kubernetes.io/name": "x", true: 1, ok: 2 }), 'v = {\n\t"app.kubernetes.io/name" = "x",\n\t"true"                   = 1,\n\tok                       = 2,\n}'],
    ["object: alignment counts code points, not UTF-16 units", a.obj({ "😀": 1, abcd: 2 }), 'v = {\n\t"😀"  = 1,\n\tabcd = 2,\n}'],
    [
      "object: multi-line field ends the alignment run",
      a.obj([["a", 1], ["nested", a.obj({ x: 1 })], ["after_nested", 2], ["b", 3]]),
      "v = {\n\ta      = 1,\n\tnested = {\n\t\tx = 1,\n\t},\n\tafter_nested = 2,\n\tb            = 3,\n}",
    ],
    ["list of objects: one per line", a.list(a.obj({ a: 1 }), a.obj({ b: 2 })), "v = [\n\t{\n\t\ta = 1,\n\t},\n\t{\n\t\tb = 2,\n\t},\n]"],
    ["list mixing inline and multi-line items", a.list("s", a.obj({ k: "v" })), 'v = [\n\t"s",\n\t{\n\t\tk = "v",\n\t},\n]'],
  ])("%s", (_name, value, want) => {
    expect(emitValue(value)).toBe(want);
  });
});

describe("emitAlloy: blocks and layout", () => {
  const write = a.component("loki.write", "default", [a.block("endpoint", [a.attr("url", "http://x")])]);
  it.each<[string, AlloyConfig, string]>([
    ["empty component", a.file(a.component("prometheus.exporter.unix", "host", [])), 'prometheus.exporter.unix "host" { }\n'],
    ["unlabelled nested block", a.file(write), 'loki.write "default" {\n\tendpoint {\n\t\turl = "http://x"\n\t}\n}\n'],
    [
      "blank line between blocks, attributes aligned per run",
      a.file(
        a.component("loki.source.docker", "c", [
          a.attr("host", "unix:///var/run/docker.sock"),
          a.attr("forward_to", [a.ref(write, "receiver")]),
          a.block("client", []),
          a.attr("after", 1),
        ]),
        write,
      ),
      [
        'loki.source.docker "c" {',
        '\thost       = "unix:///var/run/docker.sock"',
        "\tforward_to = [loki.write.default.receiver]",
        "",
        "\tclient { }",
        "\tafter = 1",
        "}",
        "",
        'loki.write "default" {',
        "\tendpoint {",
        '\t\turl = "http://x"',
        "\t}",
        "}",
        "",
      ].join("\n"),
    ],
    [
      "a multi-line attribute aligns with the run above it and starts a new run after",
      a.file(a.component("t", "x", [a.attr("a", 1), a.attr("targets", a.list(a.obj({ k: "v" }))), a.attr("long_name", 2), a.attr("b", 3)])),
      't "x" {\n\ta       = 1\n\ttargets = [\n\t\t{\n\t\t\tk = "v",\n\t\t},\n\t]\n\tlong_name = 2\n\tb         = 3\n}\n',
    ],
    [
      "comments above blocks",
      a.file(a.component("a", "x", [], "first line\n\nthird"), a.component("b", "y", [], "one")),
      '// first line\n//\n// third\na "x" { }\n\n// one\nb "y" { }\n',
    ],
    ["unlabelled top-level block", a.file(a.block("logging", [a.block("x", [])])), "logging {\n\tx { }\n}\n"],
    [
      "nested block label quoted with escapes",
      a.file(a.block("t", [{ kind: "block", name: "inner", label: 'we"ird\n', body: [a.attr("x", 1)] }])),
      't {\n\tinner "we\\"ird\\n" {\n\t\tx = 1\n\t}\n}\n',
    ],
  ])("%s", (_name, config, want) => {
    expect(emitAlloy(config)).toBe(want);
    expect(checkWellFormed(emitAlloy(config))).toEqual([]);
  });
});

describe("emitAlloy: rejects invalid models with exact messages", () => {
  const target = a.component("loki.write", "default", []);
  it.each<[string, AlloyConfig, string]>([
    [
      "reference to an undeclared component",
      a.file(a.component("loki.source.file", "f", [a.attr("forward_to", [a.ref(target, "receiver")])])),
      'alloy loki.source.file "f": forward_to[0]: references loki.write.default.receiver but loki.write "default" is not declared in this config',
    ],
    ["component declared twice", a.file(target, target), 'alloy loki.write "default": component loki.write "default" is declared twice'],
    ["label not an identifier", a.file(a.component("loki.write", "my-label", [])), 'alloy loki.write "my-label": component label "my-label" is not an identifier'],
    ["block name not dotted identifiers", a.file(a.component("loki..write", "x", [])), 'alloy loki..write "x": block name "loki..write" is not a dotted list of identifiers'],
    ["attribute name", a.file(a.component("t", "x", [a.block("inner", [a.attr("bad-name", 1)])])), 'alloy t "x": inner.bad-name: attribute name "bad-name" is not an identifier'],
    ["keyword as attribute name", a.file(a.component("t", "x", [a.attr("null", 1)])), 'alloy t "x": null: attribute name "null" is not an identifier'],
    ["non-finite number", a.file(a.component("t", "x", [a.attr("n", [1, Number.NaN])])), 'alloy t "x": n[1]: NaN is not a finite number'],
    ["lone surrogate", a.file(a.component("t", "x", [a.attr("s", "a\ud800")])), 'alloy t "x": s: string "a\\ud800" contains a lone surrogate U+D800, which UTF-8 cannot encode'],
    ["duplicate object key", a.file(a.component("t", "x", [a.attr("o", a.obj([["k", 1], ["k", 2]]))])), 'alloy t "x": o: object key "k" appears twice'],
    ["function name", a.file(a.component("t", "x", [a.attr("f", a.call("sys env", "X"))])), 'alloy t "x": f: function "sys env" is not a dotted list of identifiers'],
    ["control character in a comment", a.file(a.component("t", "x", [], "a\rb")), 'alloy t "x": comment contains a control character other than tab or newline'],
  ])("%s", (_name, config, message) => {
    expect(() => emitAlloy(config)).toThrow(new Error(message));
  });

  it("lists every problem, one per line", () => {
    const config = a.file(a.component("t", "x", [a.attr("a-b", Number.POSITIVE_INFINITY)]));
    expect(() => emitAlloy(config)).toThrow(
      new Error('alloy t "x": a-b: attribute name "a-b" is not an identifier\nalloy t "x": a-b: Infinity is not a finite number'),
    );
  });

  it("helmTpl: a comment with {{ is refused", () => {
    const config = a.file(a.component("t", "x", [], "see {{ .Values }}"));
    expect(() => emitAlloy(config, { helmTpl: true })).toThrow(new Error('alloy t "x": comment contains "{{", which Helm\'s tpl would evaluate'));
    expect(emitAlloy(config)).toContain("// see {{ .Values }}");
  });
});

describe("quoteAlloyString and identifiers", () => {
  it.each<[string, boolean, string]>([
    ["{{ x }}", false, '"{{ x }}"'],
    ["{{ x }}", true, '"\\x7b{ x }}"'],
    ["{{{", true, '"\\x7b\\x7b{"'],
    ["a{b", true, '"a{b"'],
    ['a"b\\c', false, '"a\\"b\\\\c"'],
    ['(?:=|\":\\s*\")', true, '"(?:=|\\":\\\\s*\\")"'],
    ['"{{', true, '"\\"\\x7b{"'],
    ["tab\there", false, '"tab\\there"'],
  ])("quote(%j, helmTpl=%s) = %s", (s, helmTpl, want) => {
    expect(quoteAlloyString(s, { helmTpl })).toBe(want);
  });

  it.each<[string, boolean]>([
    ["forward_to", true],
    ["_x1", true],
    ["ñandú", true],
    ["x٣", true],
    ["1x", false],
    ["a-b", false],
    ["", false],
    ["true", false],
    ["null", false],
    ["a.b", false],
  ])("isAlloyIdentifier(%j) = %s", (s, want) => {
    expect(isAlloyIdentifier(s)).toBe(want);
  });
});

/** Any Unicode scalar value (no lone surrogates), weighted towards the characters that need escaping. */
const scalar = fc.oneof(
  fc.constantFrom('"', "\\", "\n", "\t", "\r", "\u0000", "\u007f", "{", "}", "\u2028", "\u00a0", "$", "`"),
  fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCodePoint(c)),
  fc.integer({ min: 0, max: 0x10ffff }).filter((c) => c < 0xd800 || c > 0xdfff).map((c) => String.fromCodePoint(c)),
);
const anyString = fc.array(scalar, { maxLength: 40 }).map((cs) => cs.join(""));

function stringAttr(text: string): string {
  const stmts = parseAlloy(text);
  const block = stmts[0];
  if (block?.kind !== "block") throw new Error("expected a block");
  const attr = block.body[0];
  if (attr?.kind !== "attribute" || attr.value.kind !== "string") throw new Error("expected a string attribute");
  return attr.value.value;
}

describe("property: strings round-trip through escaping", () => {
  it("attribute values and labels parse back to the same string", () => {
    fc.assert(
      fc.property(anyString, fc.boolean(), (s, helmTpl) => {
        const text = emitAlloy(a.file(a.block("test", [a.attr("v", s), { kind: "block", name: "inner", label: s, body: [] }])), { helmTpl });
        expect(stringAttr(text)).toBe(s);
        const outer = parseAlloy(text)[0];
        const inner = outer?.kind === "block" ? outer.body[1] : undefined;
        expect(inner?.kind === "block" ? inner.label : undefined).toBe(s);
        if (helmTpl) expect(text).not.toContain("{{");
      }),
      { numRuns: 2000 },
    );
  });

  it("lone surrogates are refused, never written", () => {
    fc.assert(
      fc.property(anyString, fc.integer({ min: 0xd800, max: 0xdfff }), anyString, (pre, sur, post) => {
        expect(() => quoteAlloyString(pre + String.fromCharCode(sur) + post)).toThrow(/lone surrogate/);
      }),
    );
  });
});

/** Random value trees of every literal kind, nested lists and objects (keys: any string). */
const valueTree: fc.Arbitrary<AlloyValue> = fc.letrec<{ v: AlloyValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    anyString.map(a.str),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map(a.num),
    fc.integer().map(a.num),
    fc.boolean().map(a.bool),
    fc.constant(a.null()),
    fc.array(tie("v"), { maxLength: 4 }).map((items): AlloyValue => ({ kind: "list", items })),
    fc.uniqueArray(fc.tuple(anyString, tie("v")), { maxLength: 4, selector: ([k]) => k }).map(
      (fields): AlloyValue => ({ kind: "object", fields: fields.map(([key, value]) => ({ key, value })) }),
    ),
  ),
})).v;

/** -0 is written as 0: compare values with that one normalisation. */
function normalise(v: AlloyValue): AlloyValue {
  if (v.kind === "number") return a.num(Object.is(v.value, -0) ? 0 : v.value);
  if (v.kind === "list") return { kind: "list", items: v.items.map(normalise) };
  if (v.kind === "object") return { kind: "object", fields: v.fields.map((f) => ({ key: f.key, value: normalise(f.value) })) };
  return v;
}

describe("property: any value tree is well-formed and parses back to itself", () => {
  it("emit → parse → model is the identity, and re-emitting gives the same text", () => {
    fc.assert(
      fc.property(valueTree, (v) => {
        const config = a.file(a.component("test", "x", [a.attr("v", v)]));
        const text = emitAlloy(config);
        expect(checkWellFormed(text)).toEqual([]);
        const parsed = stmtsToModel(parseAlloy(text));
        const attr = parsed[0]?.kind === "block" ? parsed[0].body[0] : undefined;
        expect(attr?.kind === "attribute" ? attr.value : undefined).toEqual(normalise(v));
        expect(emitAlloy({ blocks: parsed as AlloyBlock[] })).toBe(text);
      }),
      { numRuns: 500 },
    );
  });
});

describe("alloyReferences walks the model", () => {
  it("finds references inside lists, objects and call arguments, in order", () => {
    const w = a.component("loki.write", "w", []);
    const p = a.component("loki.process", "p", [a.attr("forward_to", [a.ref(w, "receiver")])]);
    const s = a.component("t", "s", [
      a.attr("forward_to", [a.ref(p, "receiver"), a.ref(w, "receiver")]),
      a.block("output", [a.attr("o", a.obj({ k: a.call("coalesce", a.ref(w, "x", "y")) }))]),
    ]);
    expect(alloyReferences(a.file(s, p, w))).toEqual([
      { from: { name: "t", label: "s" }, at: "forward_to[0]", to: { name: "loki.process", label: "p" }, export: ["receiver"] },
      { from: { name: "t", label: "s" }, at: "forward_to[1]", to: { name: "loki.write", label: "w" }, export: ["receiver"] },
      { from: { name: "t", label: "s" }, at: "output.o.k(0)", to: { name: "loki.write", label: "w" }, export: ["x", "y"] },
      { from: { name: "loki.process", label: "p" }, at: "forward_to[0]", to: { name: "loki.write", label: "w" }, export: ["receiver"] },
    ]);
  });
});
