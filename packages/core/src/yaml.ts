/**
 * Deterministic YAML emitter for everything core writes (Kubernetes manifests, ArgoCD Applications, Helm
 * values, extra files). Built on the `yaml` package; this module only configures it for our rules:
 *
 * - keys keep insertion order (Kubernetes objects get `orderK8sKeys` in `yamlFile`), no anchors/aliases,
 *   no line folding, 2-space indent, sequences indented under their key (`key:\n  - item`);
 * - a string is written plain only if YAML 1.1 and YAML 1.2 (core schema) readers both read the plain
 *   form back as the same string, and it does not look like something go-yaml or other 1.1 readers
 *   resolve differently; otherwise it is double-quoted with JSON-style escapes;
 * - multi-line strings are block literals (`|`, `|-`, `|+`) unless that is unsafe (trailing whitespace on a
 *   line, leading whitespace on the first line, characters that need escaping), then double-quoted;
 * - numbers in the shortest round-trip form (an exponent always gets a `.0` mantissa so strict YAML 1.1
 *   readers see a float), booleans `true`/`false`, `null`;
 * - `undefined` object properties are omitted; anything that is not JSON-like data is rejected with an
 *   error naming the path; objects with `toJSON` (kubernetes-models instances) are serialised via it.
 */
import { fieldPath } from "@o11y-gitops/schema-errors";
import { Document, isScalar, parseAllDocuments, parseDocument, Scalar } from "yaml";
import type { ScalarTag } from "yaml";
import { stringifyString } from "yaml/util";
import type { StringifyContext } from "yaml/util";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type PathSegment = string | number;

// ---------------------------------------------------------------------------------------------------------
// Input normalisation: plain JSON-like tree, fresh objects (so shared references can never become aliases).

function formatPath(path: readonly PathSegment[]): string {
  return path.length === 0 ? "<root>" : fieldPath(path);
}

function describe(value: unknown): string {
  if (value === undefined) return "undefined";
  if (typeof value === "function") return "function";
  if (typeof value === "symbol") return "symbol";
  if (typeof value === "bigint") return "bigint";
  if (typeof value === "object" && value !== null) {
    const ctor = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor;
    return typeof ctor?.name === "string" && ctor.name !== "" ? ctor.name : "object";
  }
  return typeof value;
}

const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function normalize(value: unknown, path: PathSegment[], stack: Set<object>, key: string): Json {
  if (value === null || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`non-finite number at ${formatPath(path)}: ${value}`);
    return value;
  }
  if (typeof value === "string") {
    if (LONE_SURROGATE.test(value)) throw new Error(`unpaired surrogate in string at ${formatPath(path)}`);
    return value;
  }
  if (typeof value !== "object") throw new Error(`unsupported value at ${formatPath(path)}: ${describe(value)}`);
  if (stack.has(value)) throw new Error(`circular reference at ${formatPath(path)}`);
  if (Array.isArray(value)) {
    stack.add(value);
    const out: Json[] = [];
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      // holes and undefined items are errors (JSON would silently turn them into null)
      out.push(normalize(value[i], path, stack, String(i)));
      path.pop();
    }
    stack.delete(value);
    return out;
  }
  if (value instanceof Date || value instanceof Map || value instanceof Set) {
    throw new Error(`unsupported value at ${formatPath(path)}: ${describe(value)}`);
  }
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") {
    const replaced: unknown = toJSON.call(value, key);
    if (replaced === value) throw new Error(`unsupported value at ${formatPath(path)}: ${describe(value)}`);
    stack.add(value);
    const out = normalize(replaced, path, stack, key);
    stack.delete(value);
    return out;
  }
  if (!isPlainObject(value)) throw new Error(`unsupported value at ${formatPath(path)}: ${describe(value)}`);
  stack.add(value);
  const out: { [key: string]: Json } = {};
  for (const k of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[k];
    if (v === undefined) continue;
    if (LONE_SURROGATE.test(k)) throw new Error(`unpaired surrogate in key at ${formatPath(path)}`);
    path.push(k);
    const n = normalize(v, path, stack, k);
    path.pop();
    // defineProperty: a key named "__proto__" must stay an own data property
    Object.defineProperty(out, k, { value: n, enumerable: true, writable: true, configurable: true });
  }
  stack.delete(value);
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Scalar style decisions.

/**
 * Characters allowed unescaped anywhere in our output: YAML's printable set minus U+0085 (and the C1 block),
 * U+2028/U+2029 (line breaks for YAML 1.1) and U+FEFF (byte order mark). Tab and LF are handled per style.
 */
const NEEDS_ESCAPE = /[^\t\n\x20-\x7E\xA0-\u2027\u202A-\uD7FF\uE000-\uFEFE\uFF00-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** Strings some YAML reader (1.1 spec, go-yaml v2/v3, PyYAML) may resolve to a non-string, beyond what the
 * `yaml` package's own 1.1 and 1.2 schemas detect. Erring on quoting is always safe. */
const EXTRA_NON_STRINGS: readonly RegExp[] = [
  /^(?:=|<<)$/, // YAML 1.1 value key, merge key
  /^(?:y|n|yes|no|on|off|true|false|null|~)$/i, // booleans/null in any letter case
  /^[-+]?\.(?:inf|nan)$/i, // infinities and NaN with any sign or case
];

/** go-yaml strips `_` and then tries strconv.ParseInt(s, 0, 64) (0x/0X/0o/0O/0b/0B/0 prefixes) and floats. */
const GO_INT = /^[-+]?(?:0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[0-9]+)$/;
const GO_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

/**
 * Strings no YAML 1.1/1.2 reader resolves to anything but themselves once EXTRA_NON_STRINGS and the Go
 * number forms are excluded. A leading `e`/`E` is left to the slow path (`e3`, `e-0` read as floats in the
 * `yaml` package's 1.1 schema); an exhaustive probe of short strings over the risky letters found no other.
 */
const SIMPLE_WORD = /^[A-DF-Za-df-z][A-Za-z0-9_./-]*$/;

const plainCache = new Map<string, boolean>();
const PLAIN_CACHE_LIMIT = 100_000;

function readsBackAsPlain(s: string, version: "1.1" | "1.2"): boolean {
  const doc = parseDocument(s, { version, uniqueKeys: false });
  if (doc.errors.length > 0 || doc.warnings.length > 0) return false;
  const node = doc.contents;
  return isScalar(node) && node.type === Scalar.PLAIN && node.value === s && !node.tag && !node.anchor;
}

/** Whether `s` may be written as a plain scalar (single line, no escapes, same string for every reader). */
function plainIsSafe(s: string): boolean {
  const cached = plainCache.get(s);
  if (cached !== undefined) return cached;
  let ok =
    s !== "" &&
    !/[\t\n]/.test(s) &&
    !NEEDS_ESCAPE.test(s) &&
    !/^[?:]/.test(s) && // allowed by the spec when followed by a non-space, but rare and confusing
    !/^(?:---|\.\.\.)/.test(s) && // document markers at the start of a line in some contexts
    !EXTRA_NON_STRINGS.some((re) => re.test(s));
  if (ok) {
    const noUnderscore = s.replace(/_/g, "");
    ok = !GO_INT.test(noUnderscore) && !GO_FLOAT.test(noUnderscore);
  }
  // Fast path: a word-like string (SIMPLE_WORD: letter first; letters, digits, `_ . / -`) that passed the checks above
  // is a plain string for every reader; only the rest needs the (slower) read-back through both schemas.
  ok = ok && (SIMPLE_WORD.test(s) || (readsBackAsPlain(s, "1.1") && readsBackAsPlain(s, "1.2")));
  if (plainCache.size >= PLAIN_CACHE_LIMIT) plainCache.clear();
  plainCache.set(s, ok);
  return ok;
}

/** Whether a multi-line string can be a block literal that every reader reads back byte-exact. */
function literalIsSafe(s: string): boolean {
  return (
    s.includes("\n") &&
    /[^\s]/.test(s) && // whitespace-only strings read better quoted
    !NEEDS_ESCAPE.test(s) &&
    !/[ \t]\n|[ \t]$/.test(s) && // trailing whitespace on a line (editors strip it; invisible in review)
    !/^[\n \t]/.test(s) // leading blank lines are written indented; leading whitespace needs an indicator
  );
}

/** Double-quoted scalar: JSON escapes (valid in YAML 1.1 and 1.2) plus \u escapes for non-printables. */
function doubleQuoted(s: string): string {
  return JSON.stringify(s).replace(
    new RegExp(NEEDS_ESCAPE.source, "gu"),
    (ch) => `\\u${ch.codePointAt(0)!.toString(16).padStart(4, "0")}`,
  );
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
      // forceBlockIndent: a root-level block scalar still gets indented content (libyaml requires >= 1)
      return stringifyString(node, { ...ctx, forceBlockIndent: true }, onComment, onChompKeep);
    }
    if (plainIsSafe(value)) {
      const node = new Scalar(value);
      node.type = Scalar.PLAIN;
      const out = stringifyString(node, { ...ctx, actualString: true }, onComment, onChompKeep);
      // plainIsSafe is stricter than the library's own plain test, so it never falls back to quoting;
      // if a future version did, our escaping below is the one to use.
      if (out === value) return out;
    }
    return doubleQuoted(value);
  },
};

/** Shortest round-trip form; `1e+21` becomes `1.0e+21` (YAML 1.1's float pattern needs the dot). */
function formatNumber(n: number): string {
  if (Object.is(n, -0)) return "0";
  const s = String(n);
  const m = /^(-?\d+)(\.\d+)?e([+-]\d+)$/.exec(s);
  return m ? `${m[1]}${m[2] ?? ".0"}e${m[3]}` : s;
}

const numberTag: ScalarTag = {
  identify: (value) => typeof value === "number",
  default: true,
  tag: "tag:yaml.org,2002:float",
  // never used for parsing: this schema only stringifies; must not match so plain-string tests ignore it
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

function emit(value: Json): string {
  const doc = new Document(value, {
    version: "1.2",
    customTags: (tags) => [stringTag, numberTag, ...tags],
    aliasDuplicateObjects: false,
    keepUndefined: false,
  });
  const out = doc.toString(TO_STRING_OPTIONS);
  return out.endsWith("\n") ? out : `${out}\n`;
}

// ---------------------------------------------------------------------------------------------------------
// Public API.

/** Serialise one value as a YAML document body (no '---'), deterministic, ends with "\n". */
export function toYaml(value: unknown): string {
  return emit(normalize(value, [], new Set(), ""));
}

const METADATA_FIRST = ["name", "namespace", "labels", "annotations"] as const;
const TOP_FIRST = ["apiVersion", "kind", "metadata"] as const;

function pickFirst(obj: Record<string, unknown>, first: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const set = (k: string, v: unknown): void => {
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  };
  for (const k of first) if (Object.prototype.hasOwnProperty.call(obj, k)) set(k, obj[k]);
  for (const k of Object.keys(obj)) if (!first.includes(k)) set(k, obj[k]);
  return out;
}

/**
 * Order a Kubernetes object's keys: apiVersion, kind, metadata (name, namespace, labels, annotations, then
 * the rest), then the remaining top-level keys in their existing order. Returns a new object (never mutates).
 */
export function orderK8sKeys<T extends object>(obj: T): T {
  const out = pickFirst(obj as Record<string, unknown>, TOP_FIRST);
  const metadata = out["metadata"];
  if (typeof metadata === "object" && metadata !== null && !Array.isArray(metadata)) {
    out["metadata"] = pickFirst(metadata as Record<string, unknown>, METADATA_FIRST);
  }
  return out as T;
}

function isK8sObject(value: Json): value is { [key: string]: Json } {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.prototype.hasOwnProperty.call(value, "apiVersion") &&
    Object.prototype.hasOwnProperty.call(value, "kind")
  );
}

/**
 * The documents of the files `yamlFile` produced recently, keyed by the exact text: a YAML 1.1 (or 1.2)
 * reader of that text reads back exactly these values (the emitter's guarantee: plain scalars only when both
 * readers read them back unchanged, everything else quoted or a byte-exact block literal), so a check of the
 * rendered tree may walk them instead of parsing the text again. Bounded: a miss means "parse the text".
 */
const emitted = new Map<string, readonly Json[]>();
const EMITTED_LIMIT = 512;

/**
 * The documents `yamlFile` wrote as exactly `content` (fresh plain values, keys in file order; never mutate
 * them), or undefined when this text did not come from it recently.
 */
export function emittedDocuments(content: string): readonly unknown[] | undefined {
  return emitted.get(content);
}

/** A whole file: header comment lines (each prefixed "# "), then the documents separated by "---". */
export function yamlFile(header: readonly string[], docs: readonly unknown[]): string {
  const jsons: Json[] = [];
  let out = "";
  header.forEach((line, i) => {
    if (/[\r\n\u0085\u2028\u2029]/.test(line)) throw new Error(`header line ${i + 1} contains a line break`);
    out += line === "" ? "#\n" : `# ${line}\n`;
  });
  docs.forEach((doc, i) => {
    let json: Json;
    try {
      json = normalize(doc, [], new Set(), "");
    } catch (err) {
      throw new Error(`document ${i + 1}: ${(err as Error).message}`);
    }
    const ordered = isK8sObject(json) ? (orderK8sKeys(json) as Json) : json;
    jsons.push(ordered);
    out += `---\n${emit(ordered)}`;
  });
  if (jsons.length > 0) {
    if (emitted.size >= EMITTED_LIMIT) emitted.delete(emitted.keys().next().value as string);
    emitted.set(out, jsons);
  }
  return out;
}

/** Parse helpers for tests and checks: YAML 1.1 and 1.2 readers of a (multi-)document string. */
export function parseYaml(text: string, version: "1.1" | "1.2"): unknown[] {
  return parseAllDocuments(text, { version, merge: version === "1.1" }).map((doc) => {
    const first = doc.errors[0];
    if (first) throw new Error(`YAML ${version}: ${first.message}`);
    return doc.toJS({ maxAliasCount: -1 }) as unknown;
  });
}
