// The direct YAML emitter (`toYaml`, `yamlFile`) against the emitter it replaced: the `yaml` package's
// Document/toString configured with our scalar rules. That emitter is kept here, as it was, as the reference
// (it may use the library: it is the oracle); the new one must write exactly the same bytes for every input.
// `FC_SEED=<n> FC_NUM_RUNS=<n> pnpm exec vitest run packages/core/test/yaml-emitter.test.ts` tries other seeds.
import fc from "fast-check";
import { jsonArbitrary } from "./_arbitraries.js";
import { Document, Scalar } from "yaml";
import type { ScalarTag } from "yaml";
import { stringifyString } from "yaml/util";
import type { StringifyContext } from "yaml/util";
import { describe, expect, it } from "vitest";
import { emittedDocuments, scalarRulesForTest, toYaml, yamlFile } from "../src/yaml.js";

// ---------------------------------------------------------------------------------------------------------
// The reference: the previous emit() with the previous plainIsSafe, doubleQuoted and formatNumber (copied here
// as they were, so the new ones are checked against them); literalIsSafe and the read-back through the `yaml`
// package's parser are unchanged and taken from src/yaml.ts.

const { literalIsSafe, readsBackAsPlain } = scalarRulesForTest;

const NEEDS_ESCAPE = /[^\t\n\x20-\x7E\xA0-\u2027\u202A-\uD7FF\uE000-\uFEFE\uFF00-\uFFFD\u{10000}-\u{10FFFF}]/u;
const EXTRA_NON_STRINGS: readonly RegExp[] = [/^(?:=|<<)$/, /^(?:y|n|yes|no|on|off|true|false|null|~)$/i, /^[-+]?\.(?:inf|nan)$/i];
const GO_INT = /^[-+]?(?:0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[0-9]+)$/;
const GO_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const SIMPLE_WORD = /^[A-DF-Za-df-z][A-Za-z0-9_./-]*$/;
const plainCache = new Map<string, boolean>();

function plainIsSafe(s: string): boolean {
  const cached = plainCache.get(s);
  if (cached !== undefined) return cached;
  let ok =
    s !== "" &&
    !/[\t\n]/.test(s) &&
    !NEEDS_ESCAPE.test(s) &&
    !/^[?:]/.test(s) &&
    !/^(?:---|\.\.\.)/.test(s) &&
    !EXTRA_NON_STRINGS.some((re) => re.test(s));
  if (ok) {
    const noUnderscore = s.replace(/_/g, "");
    ok = !GO_INT.test(noUnderscore) && !GO_FLOAT.test(noUnderscore);
  }
  ok = ok && (SIMPLE_WORD.test(s) || (readsBackAsPlain(s, "1.1") && readsBackAsPlain(s, "1.2")));
  if (plainCache.size >= 100_000) plainCache.clear();
  plainCache.set(s, ok);
  return ok;
}

function doubleQuoted(s: string): string {
  return JSON.stringify(s).replace(
    new RegExp(NEEDS_ESCAPE.source, "gu"),
    (ch) => `\\u${ch.codePointAt(0)!.toString(16).padStart(4, "0")}`,
  );
}

function formatNumber(n: number): string {
  if (Object.is(n, -0)) return "0";
  const s = String(n);
  const m = /^(-?\d+)(\.\d+)?e([+-]\d+)$/.exec(s);
  return m ? `${m[1]}${m[2] ?? ".0"}e${m[3]}` : s;
}

const stringTag: ScalarTag = {
  identify: (value) => typeof value === "string",
  default: true,
  tag: "tag:yaml.org,2002:str",
  resolve: (str) => str,
  stringify(item, ctx: StringifyContext, onComment, onChompKeep) {
    const value = String(item.value);
    if (!ctx.implicitKey && !ctx.inFlow && literalIsSafe(value)) {
      const node = new Scalar(value);
      node.type = Scalar.BLOCK_LITERAL;
      return stringifyString(node, { ...ctx, forceBlockIndent: true }, onComment, onChompKeep);
    }
    if (plainIsSafe(value)) {
      const node = new Scalar(value);
      node.type = Scalar.PLAIN;
      const out = stringifyString(node, { ...ctx, actualString: true }, onComment, onChompKeep);
      if (out === value) return out;
    }
    return doubleQuoted(value);
  },
};

const numberTag: ScalarTag = {
  identify: (value) => typeof value === "number",
  default: true,
  tag: "tag:yaml.org,2002:float",
  test: /(?!)/,
  resolve: (str) => Number(str),
  stringify: (item) => formatNumber(Number(item.value)),
};

const TO_STRING_OPTIONS = {
  indent: 2,
  indentSeq: true,
  lineWidth: 0,
  minContentWidth: 0,
  blockQuote: "literal",
  singleQuote: false,
  directives: false,
  nullStr: "null",
  trueStr: "true",
  falseStr: "false",
  flowCollectionPadding: false,
} as const;

function referenceEmit(value: unknown): string {
  const doc = new Document(value, {
    version: "1.2",
    customTags: (tags) => [stringTag, numberTag, ...tags],
    aliasDuplicateObjects: false,
    keepUndefined: false,
  });
  const out = doc.toString(TO_STRING_OPTIONS);
  return out.endsWith("\n") ? out : `${out}\n`;
}

/** The previous yamlFile on the documents the new one emitted (normalised, Kubernetes keys ordered). */
function referenceYamlFile(header: readonly string[], text: string): string {
  const docs = emittedDocuments(text) ?? [];
  return header.map((l) => (l === "" ? "#\n" : `# ${l}\n`)).join("") + docs.map((d) => `---\n${referenceEmit(d)}`).join("");
}

// ---------------------------------------------------------------------------------------------------------
// Exact cases for the shapes the emitter writes; each is also checked against the reference.

const K1025 = "k".repeat(1025);
const K1024 = "k".repeat(1024);
// quoted, the key `"` + 1020 × k is `"\"kkk…"`: 1024 characters (implicit); one more k makes 1025 (explicit)
const Q1020 = `"${"k".repeat(1020)}`;
const Q1021 = `"${"k".repeat(1021)}`;
const dq = (s: string): string => JSON.stringify(s);

const CASES: [string, unknown, string][] = [
  ["nested map and sequence indentation", { a: { b: [1, { c: 2, d: [3] }] } }, "a:\n  b:\n    - 1\n    - c: 2\n      d:\n        - 3\n"],
  ["sequences of sequences", [[["a"]], ["b", []]], "- - - a\n- - b\n  - []\n"],
  ["maps in a sequence", [{ a: 1, b: 2 }, { c: { d: 3 } }], "- a: 1\n  b: 2\n- c:\n    d: 3\n"],
  ["empty collections in a sequence", [[], {}, [[]], [{}]], "- []\n- {}\n- - []\n- - {}\n"],
  ["empty collections as values", { a: {}, b: [], c: [{}] }, "a: {}\nb: []\nc:\n  - {}\n"],
  ["root plain string", "x", "x\n"],
  ["root quoted string", "", '""\n'],
  ["root number, boolean, null", [0, true, null], "- 0\n- true\n- null\n"],
  ["root empty map", {}, "{}\n"],
  ["root empty sequence", [], "[]\n"],
  ["literal at the root (clip)", "x\ny\n", "|\n  x\n  y\n"],
  ["literal at the root (strip)", "x\ny", "|-\n  x\n  y\n"],
  ["literal at the root (keep, three breaks)", "x\n\n\n", "|+\n  x\n\n\n"],
  ["literal in a nested map", { a: { b: "x\ny\n" } }, "a:\n  b: |\n    x\n    y\n"],
  ["literal in a sequence under a key, blank line inside", { a: ["x\n\ny"] }, "a:\n  - |-\n    x\n\n    y\n"],
  ["literal in a map in a sequence", [{ a: "x\n  y\n" }], "- a: |\n    x\n      y\n"],
  ["keep literal followed by a key", { a: "x\n\n\n", b: 1 }, "a: |+\n  x\n\n\nb: 1\n"],
  ["keep literal followed by an item", ["x\n\n", "z"], "- |+\n  x\n\n- z\n"],
  ["keep literal as the last value", { a: { b: "x\n\n" } }, "a:\n  b: |+\n    x\n\n"],
  ["literal with blank lines inside and comment-like lines", { a: "#x\n\n\n- y\n" }, "a: |\n  #x\n\n\n  - y\n"],
  ["multi-line key is quoted", { "a\nb\n": "c\n" }, '"a\\nb\\n": |\n  c\n'],
  ["keys that are not plain-safe", { "a: b": 1, "": 2, yes: 3, "- x": 4, "#": 5, "0x1F": 6, "~": 7, "---": 8 },
    '"a: b": 1\n"": 2\n"yes": 3\n"- x": 4\n"#": 5\n"0x1F": 6\n"~": 7\n"---": 8\n'],
  ["keys with C1, U+2028 and astral characters", { "\u0085": 1, "a\u2028": 2, "😀": 3 }, '"\\u0085": 1\n"a\\u2028": 2\n😀: 3\n'],
  ["a 1024-character key stays implicit", { [K1024]: 1 }, `${K1024}: 1\n`],
  ["a 1025-character key is explicit", { [K1025]: 1 }, `? ${K1025}\n: 1\n`],
  ["a key of 1024 characters once quoted stays implicit", { [Q1020]: 1 }, `${dq(Q1020)}: 1\n`],
  ["a key of 1025 characters once quoted is explicit", { [Q1021]: 1 }, `? ${dq(Q1021)}\n: 1\n`],
  ["explicit key with a map value", { [K1025]: { a: 1, b: 2 } }, `? ${K1025}\n: a: 1\n  b: 2\n`],
  ["explicit key with a sequence value", { [K1025]: [1, [2, 3]] }, `? ${K1025}\n: - 1\n  - - 2\n    - 3\n`],
  ["explicit key with a literal value", { [K1025]: "a\nb\n" }, `? ${K1025}\n: |\n  a\n  b\n`],
  ["explicit key with an empty value", { [K1025]: [] }, `? ${K1025}\n: []\n`],
  ["explicit key nested", { x: { [K1025]: [1, 2], y: 1 } }, `x:\n  ? ${K1025}\n  : - 1\n    - 2\n  "y": 1\n`],
  ["numbers", [-0, 1e21, -1e21, 5e-324, 1.5e300, 0.1, 1.23e20, 1e-7, Number.MAX_VALUE, -(2 ** 53)],
    "- 0\n- 1.0e+21\n- -1.0e+21\n- 5.0e-324\n- 1.5e+300\n- 0.1\n- 123000000000000000000\n- 1.0e-7\n- 1.7976931348623157e+308\n- -9007199254740992\n"],
  ["strings needing quotes in values", { a: "yes", b: "1e3", c: "a\tb", d: "x\r\ny", e: "\u2028" },
    'a: "yes"\nb: "1e3"\nc: "a\\tb"\nd: "x\\r\\ny"\ne: "\\u2028"\n'],
  ["multi-line strings that fall back to quotes", ["\nx", "x \ny", "x\n ", " \n", "\t\nx", "x\n\u0085"],
    '- "\\nx"\n- "x \\ny"\n- "x\\n "\n- " \\n"\n- "\\t\\nx"\n- "x\\n\\u0085"\n'],
];

describe("the direct emitter: exact cases", () => {
  it.each(CASES)("%s", (_name, value, expected) => {
    expect(toYaml(value)).toBe(expected);
    expect(referenceEmit(value)).toBe(expected);
  });

  it("yamlFile: a keep literal before the next document, header and ordering", () => {
    const text = yamlFile(["h", ""], ["a\n\n\n", { kind: "K", x: 1, apiVersion: "v1" }, [], "b\n"]);
    expect(text).toBe("# h\n#\n---\n|+\n  a\n\n\n---\napiVersion: v1\nkind: K\nx: 1\n---\n[]\n---\n|\n  b\n");
    expect(referenceYamlFile(["h", ""], text)).toBe(text);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Property: the same bytes as the reference for arbitrary JSON-like values.

/** Characters that matter to YAML (indicators, quotes, whitespace, breaks, escapes, non-ASCII). */
const SPECIAL_CHARS = [
  ":", "#", "-", "?", "|", ">", "'", '"', " ", " ", "\t", "\n", "\n", "\r", ",", "[", "]", "{", "}", "&", "*",
  "!", "%", "@", "`", "~", "=", "<", "+", ".", "\\", "/", "_", "a", "b", "e", "E", "x", "y", "n", "0", "1",
  "9", "é", "日", "😀", "\u{1F600}\u{1F3FD}", "\u00a0", "\u0085", "\u009f", "\u0080", "\u2028", "\u2029",
  "\ufeff", "\ufffe", "\u0000", "\u0007", "\u001b", "\u007f", "\u000b",
];
/** Words some reader resolves to a non-string, document markers, number forms. */
const SPECIAL_WORDS = [
  "yes", "No", "ON", "off", "y", "n", "true", "False", "null", "Null", "~", "0x1F", "0o17", "0755", "1e3",
  "1E-3", "e3", "1_000", "12:30", "190:20:30", ".inf", "-.Inf", ".nan", "2024-01-01", "=", "<<", "---", "...",
  "- ", "? ", ": ", " #", "%YAML", "!!str", "&a", "*a", "--config.file=/etc/x", "http://a.b:80/c", "10Gi",
  "__proto__", "apiVersion", "kind", "metadata",
];

const charArb = fc.constantFrom(...SPECIAL_CHARS);
const pieceArb = fc.oneof(charArb, fc.constantFrom(...SPECIAL_WORDS), fc.stringMatching(/^[a-z0-9]{1,6}$/));
const shortStringArb = fc.oneof(
  fc.array(pieceArb, { maxLength: 6 }).map((p) => p.join("")),
  fc.string({ unit: charArb, maxLength: 8 }),
  fc.constantFrom(...SPECIAL_WORDS),
);
/** Multi-line text: lines (some indented, blank or with trailing spaces), leading and trailing blank lines. */
const lineArb = fc.oneof(
  fc.constant(""),
  shortStringArb,
  fc.tuple(fc.constantFrom("", " ", "  ", "\t"), shortStringArb, fc.constantFrom("", "", " ", "\t")).map((p) => p.join("")),
);
const multiLineArb = fc
  .tuple(fc.nat({ max: 2 }), fc.array(lineArb, { minLength: 1, maxLength: 5 }), fc.nat({ max: 4 }), fc.constantFrom("", "", " ", "\r"))
  .map(([lead, lines, trail, last]) => `${"\n".repeat(lead)}${lines.join("\n")}${last}${"\n".repeat(trail)}`);
/** Strings around the 1024-character implicit key limit (quoting may push them over). */
const longStringArb = fc
  .tuple(shortStringArb, fc.integer({ min: 1010, max: 1030 }))
  .map(([s, n]) => s + "k".repeat(Math.max(0, n - s.length)));
const stringArb = fc.oneof(
  { arbitrary: shortStringArb, weight: 6 },
  { arbitrary: multiLineArb, weight: 3 },
  { arbitrary: fc.string({ unit: "binary", maxLength: 10 }), weight: 1 },
  { arbitrary: fc.string({ unit: "grapheme", maxLength: 10 }), weight: 1 },
  { arbitrary: longStringArb, weight: 1 },
);
const numberArb = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 1e21, -1e21, 1e20, 5e-324, -5e-324, 1e-7, 1.5e-7, 0.1, Number.MAX_VALUE, Number.MAX_SAFE_INTEGER, 2 ** 64),
);
const jsonArb = jsonArbitrary(stringArb, numberArb, { emptyCollections: true });
/** Kubernetes-like objects, so yamlFile's key ordering is exercised too. */
const k8sArb = fc.record({
  spec: jsonArb,
  metadata: fc.dictionary(fc.constantFrom("labels", "name", "annotations", "namespace", "uid"), jsonArb),
  kind: stringArb,
  apiVersion: stringArb,
});

/** FC_NUM_RUNS (test-support/fc-seed.ts) when set, else enough runs to cover the shapes on every run. */
const numRuns = (fallback: number): number => fc.readConfigureGlobal().numRuns ?? fallback;

/** Single-line printable ASCII starting with a letter, `/`, `$` or a digit: the strings plainIsSafe may accept
 * without the read-back. */
const asciiTextArb = fc.oneof(
  fc
    .tuple(fc.constantFrom(..."abcdefxyzABCDEFXYZ/$019"), fc.array(fc.oneof(fc.constantFrom(..." :#-?|>'\"[]{},&*!%@`~=<+.\\/$()_;^"), fc.constantFrom(..."aeEx019"), fc.constantFrom(...SPECIAL_WORDS)), { maxLength: 8 }))
    .map(([first, rest]) => first + rest.join(""))
    .filter((s) => !/[\t\n]/.test(s)),
  fc.tuple(fc.stringMatching(/^[0-9_]{1,4}$/), fc.stringMatching(/^[A-Za-z]{1,3}[0-9]?$/)).map(([n, unit]) => n + unit),
);

/** Single-line printable ASCII of number, date, time and version shapes and YAML's indicators, any first character. */
const numberLikeArb = fc
  .array(
    fc.oneof(
      fc.constantFrom(..."0123456789._-+:eExXoObB~<=!#&*%@'\"|>,[]{}?/ tTzZnNyYaf"),
      fc.stringMatching(/^[0-9]{1,4}$/),
      fc.constantFrom("0x", "0o", "0b", ".inf", ".NaN", "e+", "E-", "2024-04-01", "T10:00:00", " 21:59:43.10 -5", ":30", "-debian-12-r2", "0.0.0.0:4318", "1_000"),
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map((p) => p.join(""));

describe("plainResolvesToItself: the read-back's answer from the schemas' tag patterns, without the parser", () => {
  const { plainRulesAllow, plainResolvesToItself } = scalarRulesForTest;
  const both = (s: string) => [plainResolvesToItself(s, "1.1") && plainResolvesToItself(s, "1.2"), readsBackAsPlain(s, "1.1") && readsBackAsPlain(s, "1.2")];
  it("agrees with the read-back on every printable ASCII string of up to two characters the rules allow", () => {
    const ascii = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));
    const strings = [...ascii, ...ascii.flatMap((a) => ascii.map((b) => a + b))].filter(plainRulesAllow);
    // Not vacuous: both answers occur (e.g. "ab" is a string, "1." a 1.1 float, "~" null) and most strings are asked.
    expect(strings.length).toBeGreaterThan(6900);
    const disagree = strings.filter((s) => {
      const [fast, readBack] = both(s);
      return fast !== readBack;
    });
    expect(disagree).toEqual([]);
    expect(new Set(strings.map((s) => both(s)[0]))).toEqual(new Set([true, false]));
  });

  it("agrees with the read-back on generated number, date, time and version shapes", () => {
    let asked = 0;
    fc.assert(
      fc.property(numberLikeArb, (s) => {
        if (!plainRulesAllow(s)) return;
        asked += 1;
        const [fast, readBack] = both(s);
        expect(fast).toBe(readBack);
      }),
      { numRuns: numRuns(3000) },
    );
    expect(asked).toBeGreaterThan(numRuns(3000) / 4);
  });

  it.each([
    ["81.6.9", true],
    ["0.39.2-debian-12-r2", true],
    ["0.0.0.0:4318", true],
    ["--storage.path=/var/lib/alloy/data", true],
    ["-5m", true],
    [".", false], // a YAML 1.1 float
    ["2024-04-01", false], // a YAML 1.1 timestamp
    ["190:20:30", false], // a YAML 1.1 sexagesimal integer
    ["1:20", false], // a YAML 1.1 sexagesimal integer (80)
    ["2001-12-14t21:59:43.10-05:00", false], // a YAML 1.1 timestamp with a time
  ])("%s: %s", (s, expected) => {
    expect([plainRulesAllow(s), ...both(s)]).toEqual([true, expected, expected]);
  });
});

describe("the direct emitter: the same bytes as the library-based reference", () => {
  it("plainIsSafe's fast paths agree with the read-back on ASCII text and numbers with units", () => {
    const { plainIsSafe: fastPlainIsSafe } = scalarRulesForTest;
    fc.assert(
      fc.property(asciiTextArb, (s) => {
        expect(fastPlainIsSafe(s)).toBe(plainIsSafe(s));
        if (fastPlainIsSafe(s)) expect([readsBackAsPlain(s, "1.1"), readsBackAsPlain(s, "1.2")]).toEqual([true, true]);
      }),
      { numRuns: numRuns(3000) },
    );
  });

  it("toYaml of arbitrary JSON-like values", () => {
    fc.assert(
      fc.property(jsonArb, (value) => {
        expect(toYaml(value)).toBe(referenceEmit(value));
      }),
      { numRuns: numRuns(500) },
    );
  });

  it("every string as a root scalar, key, value and item at several depths", () => {
    fc.assert(
      fc.property(stringArb, (s) => {
        const value = [s, { [s]: s }, { a: { [s]: [s, [s], { [s]: { b: s } }] } }];
        expect(toYaml(s)).toBe(referenceEmit(s));
        expect(toYaml(value)).toBe(referenceEmit(value));
      }),
      { numRuns: numRuns(1000) },
    );
  });

  it("yamlFile of arbitrary documents", () => {
    const headerArb = fc.array(fc.string({ maxLength: 10 }).filter((s) => !/[\r\n]/.test(s)), { maxLength: 2 });
    fc.assert(
      fc.property(headerArb, fc.array(fc.oneof(jsonArb, k8sArb), { maxLength: 4 }), (header, docs) => {
        const text = yamlFile(header, docs);
        expect(text).toBe(referenceYamlFile(header, text));
      }),
      { numRuns: numRuns(300) },
    );
  });
});
