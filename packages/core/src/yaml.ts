/**
 * Deterministic YAML emitter for everything core writes (Kubernetes manifests, ArgoCD Applications, Helm
 * values, extra files). It writes the normalised JSON-like tree straight into a string (block style only);
 * the `yaml` package only reads YAML here (`parseYaml`, and `plainIsSafe`'s read-back). What it writes is
 * byte-for-byte what the `yaml` package's Document.toString wrote with our scalar rules before (indent 2,
 * indentSeq, lineWidth 0, literal block scalars; test/yaml-emitter.test.ts keeps that emitter as the
 * reference and compares them on generated values):
 *
 * - keys keep insertion order (Kubernetes objects get `orderK8sKeys` in `yamlFile`), no anchors/aliases,
 *   no line folding, 2-space indent, sequences indented under their key (`key:\n  - item`), items'
 *   content after `- ` (`- - a`, `- a: 1\n  b: 2`), a non-empty collection value on the lines after its
 *   key, empty collections as `{}`/`[]`;
 * - keys are plain or double-quoted by the same rule as values (never block literals); a key longer than
 *   1024 characters as written (YAML's limit for implicit keys) is an explicit `? key` with `: value` on
 *   the next line;
 * - a string is written plain only if YAML 1.1 and YAML 1.2 (core schema) readers both read the plain
 *   form back as the same string, and it does not look like something go-yaml or other 1.1 readers
 *   resolve differently; otherwise it is double-quoted with JSON-style escapes;
 * - multi-line strings are block literals (`|`, `|-`, `|+`) unless that is unsafe (trailing whitespace on a
 *   line, leading whitespace on the first line, characters that need escaping), then double-quoted; the
 *   content is indented one level below the key or `- ` (two spaces at the root too), empty lines inside
 *   stay empty, and `|+`'s extra line breaks are written as empty lines before whatever follows;
 * - numbers in the shortest round-trip form (an exponent always gets a `.0` mantissa so strict YAML 1.1
 *   readers see a float), booleans `true`/`false`, `null`;
 * - `undefined` object properties are omitted; anything that is not JSON-like data is rejected with an
 *   error naming the path; objects with `toJSON` (kubernetes-models instances) are serialised via it;
 * - a document ends with exactly one line break after its last line.
 */
import { fieldPath } from "@o11y-gitops/schema-errors";
import { Document, isScalar, parseAllDocuments, parseDocument, Scalar } from "yaml";
import { BoundedMap } from "./bounded-map.js";

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

/** Whether a string has no lone surrogate: `String#isWellFormed` (ES2024, in Node 20; O(1) for a one-byte string). */
const wellFormed = (s: string): boolean => (s as string & { isWellFormed(): boolean }).isWellFormed();

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * `value` as plain JSON (a fresh copy; undefined-valued keys left out). `ancestors`: the objects and arrays
 * being copied above this one (a short list: an `includes` on it costs less than a Set's identity hashing).
 * `key`: the key or index `value` sits at, handed to a `toJSON` as JSON.stringify does.
 */
function normalize(value: unknown, path: PathSegment[], ancestors: object[], key: string | number): Json {
  if (value === null || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`non-finite number at ${formatPath(path)}: ${value}`);
    return value;
  }
  if (typeof value === "string") {
    if (!wellFormed(value)) throw new Error(`unpaired surrogate in string at ${formatPath(path)}`);
    return value;
  }
  if (typeof value !== "object") throw new Error(`unsupported value at ${formatPath(path)}: ${describe(value)}`);
  if (ancestors.includes(value)) throw new Error(`circular reference at ${formatPath(path)}`);
  if (Array.isArray(value)) {
    ancestors.push(value);
    const out: Json[] = [];
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      // holes and undefined items are errors (JSON would silently turn them into null)
      out.push(normalize(value[i], path, ancestors, i));
      path.pop();
    }
    ancestors.pop();
    return out;
  }
  if (value instanceof Date || value instanceof Map || value instanceof Set) {
    throw new Error(`unsupported value at ${formatPath(path)}: ${describe(value)}`);
  }
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") {
    const replaced: unknown = toJSON.call(value, String(key));
    if (replaced === value) throw new Error(`unsupported value at ${formatPath(path)}: ${describe(value)}`);
    ancestors.push(value);
    const out = normalize(replaced, path, ancestors, key);
    ancestors.pop();
    return out;
  }
  if (!isPlainObject(value)) throw new Error(`unsupported value at ${formatPath(path)}: ${describe(value)}`);
  ancestors.push(value);
  const out: { [key: string]: Json } = {};
  for (const k of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[k];
    if (v === undefined) continue;
    if (!wellFormed(k)) throw new Error(`unpaired surrogate in key at ${formatPath(path)}`);
    path.push(k);
    const n = normalize(v, path, ancestors, k);
    path.pop();
    // a key named "__proto__" must stay an own data property (assignment would set the prototype)
    if (k === "__proto__") Object.defineProperty(out, k, { value: n, enumerable: true, writable: true, configurable: true });
    else out[k] = n;
  }
  ancestors.pop();
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
 * Where a plain scalar could not start or would end early (tabs and line breaks are rejected before): an
 * indicator first (`, [ ] { } # & * ! | > ' " % @ \``, or a space), `-` or `?` alone or before a space, `: ` or
 * ` #` inside, a space or `:` last. The `yaml` package's own plain-scalar test rejects the same (the
 * library-based emitter applied it after this one), so these never need the read-back.
 */
const PLAIN_BREAK = /^[ ,[\]{}#&*!|>'"%@`]|^[?-](?: |$)|: | #|[ :]$/;

/**
 * Single-line printable ASCII text that no YAML 1.1/1.2 reader resolves to anything but itself once
 * EXTRA_NON_STRINGS and PLAIN_BREAK are excluded: it starts with a letter, `/` or `$`, so the only tags of either
 * schema it could match are the booleans and nulls excluded there and the 1.1 floats `e3`/`E-0` (hence `e`/`E`
 * only before another letter); or it is a number with a unit (`30s`, `1Gi`: digits, then letters other than
 * the `b e o t x` of number and timestamp forms, in either case). A probe of the read-back under 1.1 and 1.2
 * found no exception: every such string of up to 3 characters, and up to 4 starting with `a`, `e`, `E`, `/`
 * or `$`, over printable ASCII; up to 5 starting with `a`, `Z`, `e`, `E`, `/` or `$` over YAML's special
 * characters; 1.3 million random letter-first ones of up to 41 characters; every 1-3 digit number with a unit
 * of 1-2 letters.
 * test/yaml-emitter.test.ts checks the read-back on generated ones.
 */
const PLAIN_TEXT = /^(?:(?:[A-DF-Za-df-z/$]|[Ee][A-Za-z])[\x20-\x7E]*|[0-9]+[ACDF-NP-SU-WYZacdf-np-su-wyz]+)$/;

const plainCache = new BoundedMap<string, boolean>(100_000);

/** The read-back: whether the `yaml` package reads `s` as a plain scalar that is the string `s` itself. */
function readsBackAsPlain(s: string, version: "1.1" | "1.2"): boolean {
  const doc = parseDocument(s, { version, uniqueKeys: false });
  if (doc.errors.length > 0 || doc.warnings.length > 0) return false;
  const node = doc.contents;
  return isScalar(node) && node.type === Scalar.PLAIN && node.value === s && !node.tag && !node.anchor;
}

/**
 * The patterns by which the `yaml` package resolves a plain scalar in a value to something other than a
 * string, taken from the package itself: the tags of its YAML 1.1 and 1.2 (core) schemas that it tries on
 * an untagged plain value (`default: true` with a `test`; the composer takes the first that matches, else
 * the string tag).
 */
const NON_STRING_PLAIN: Record<"1.1" | "1.2", readonly RegExp[]> = {
  "1.1": nonStringPatterns("1.1"),
  "1.2": nonStringPatterns("1.2"),
};
function nonStringPatterns(version: "1.1" | "1.2"): RegExp[] {
  const tags = new Document(null, { version }).schema.tags as readonly { default?: unknown; test?: unknown }[];
  return tags.flatMap((t) => (t.default === true && t.test instanceof RegExp ? [new RegExp(t.test.source, t.test.flags.replace(/[gy]/g, ""))] : []));
}

/**
 * The read-back's answer without the parser, for single-line printable ASCII that passed `plainRulesAllow`:
 * such a text is read as one plain scalar whose value is the text (the rules leave no indicator, comment,
 * document marker, `: ` or surrounding space in it), so only the schema's tag patterns decide.
 * test/yaml-emitter.test.ts holds it equal to the read-back: exhaustively up to two characters, and on
 * generated strings.
 */
function plainResolvesToItself(s: string, version: "1.1" | "1.2"): boolean {
  for (const re of NON_STRING_PLAIN[version]) if (re.test(s)) return false;
  return true;
}
const PRINTABLE_ASCII = /^[\x20-\x7E]+$/;

/**
 * Whether `s` may be written as a plain scalar (single line, no escapes, same string for every reader). At least
 * as strict as the `yaml` package's own plain-scalar test, which the library-based emitter applied after it.
 */
function plainIsSafe(s: string): boolean {
  const cached = plainCache.get(s);
  if (cached !== undefined) return cached;
  // Fast paths: ASCII text starting with a letter, `/` or `$`, or a number with a unit (PLAIN_TEXT) that passed the
  // rules is a plain string for every reader; other printable ASCII is decided by the schemas' tag patterns. Only
  // the rest (non-ASCII) needs the slower read-back through both schemas.
  const ok =
    plainRulesAllow(s) &&
    (PLAIN_TEXT.test(s) ||
      (PRINTABLE_ASCII.test(s)
        ? plainResolvesToItself(s, "1.1") && plainResolvesToItself(s, "1.2")
        : readsBackAsPlain(s, "1.1") && readsBackAsPlain(s, "1.2")));
  plainCache.set(s, ok);
  return ok;
}

/** The rules a plain scalar must pass before any reader is asked (syntax, and what other readers resolve). */
function plainRulesAllow(s: string): boolean {
  let ok =
    s !== "" &&
    !/[\t\n]/.test(s) &&
    !NEEDS_ESCAPE.test(s) &&
    !/^[?:]/.test(s) && // allowed by the spec when followed by a non-space, but rare and confusing
    !/^(?:---|\.\.\.)/.test(s) && // document markers at the start of a line in some contexts
    !PLAIN_BREAK.test(s) &&
    !EXTRA_NON_STRINGS.some((re) => re.test(s));
  if (ok) {
    const noUnderscore = s.replace(/_/g, "");
    ok = !GO_INT.test(noUnderscore) && !GO_FLOAT.test(noUnderscore);
  }
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
const NEEDS_ESCAPE_ALL = new RegExp(NEEDS_ESCAPE.source, "gu");
function doubleQuoted(s: string): string {
  return JSON.stringify(s).replace(
    NEEDS_ESCAPE_ALL,
    (ch) => `\\u${ch.codePointAt(0)!.toString(16).padStart(4, "0")}`,
  );
}

/** Shortest round-trip form; `1e+21` becomes `1.0e+21` (YAML 1.1's float pattern needs the dot). */
function formatNumber(n: number): string {
  if (Object.is(n, -0)) return "0";
  const s = String(n);
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return s; // no exponent in String() below 1e21
  const m = /^(-?\d+)(\.\d+)?e([+-]\d+)$/.exec(s);
  return m ? `${m[1]}${m[2] ?? ".0"}e${m[3]}` : s;
}

// ---------------------------------------------------------------------------------------------------------
// The emitter: block style only, written straight from the normalised tree into one string.

/** Indentation by depth (two spaces a level), built once. */
const INDENTS: string[] = [""];
function indentAt(depth: number): string {
  while (INDENTS.length <= depth) INDENTS.push(`${INDENTS[INDENTS.length - 1]!}  `);
  return INDENTS[depth]!;
}

/**
 * A block literal whose content lines are indented by `indent`. The caller has checked `literalIsSafe`, so
 * the string has a non-blank first line and no whitespace before a line break or at its end: its only
 * trailing whitespace is line breaks. None gives `|-` (strip), one gives `|` (clip), more give `|+` (keep,
 * the extra ones written as empty lines). Empty lines inside get no indentation.
 */
function blockLiteral(s: string, indent: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 10) end--;
  const breaks = s.length - end;
  const chomp = breaks === 0 ? "-" : breaks === 1 ? "" : "+";
  const body = s.slice(0, end).replace(/\n+/g, `$&${indent}`);
  return `|${chomp}\n${indent}${body}${breaks > 1 ? "\n".repeat(breaks - 1) : ""}`;
}

/** A string in value position, `depth` being the indentation of its node: block literal, plain or quoted. */
function valueString(s: string, depth: number): string {
  // depth 0 (a root scalar) still indents a literal's content: libyaml requires at least one space
  if (literalIsSafe(s)) return blockLiteral(s, depth === 0 ? "  " : indentAt(depth));
  return lineString(s);
}

/** A string on one line (a mapping key, or a value that is not a block literal): plain or double-quoted. */
function lineString(s: string): string {
  return plainIsSafe(s) ? s : doubleQuoted(s);
}

/** An implicit key may be at most 1024 characters long; a longer one is written as `? key` then `: value`. */
const MAX_IMPLICIT_KEY = 1024;

function isNonEmptyCollection(value: Json): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (Array.isArray(value)) return value.length > 0;
  for (const _ in value) return true;
  return false;
}

/** The output being written by `emit` (one document at a time; nothing can call back in during a write). */
let out = "";

/**
 * Append `value`, whose first line continues the current one. `depth` is the node's indentation: the level
 * its following lines start at (mapping entries, `- ` items) and a block literal's content is indented to.
 */
function write(value: Json, depth: number): void {
  if (value === null) {
    out += "null";
  } else if (typeof value === "string") {
    out += valueString(value, depth);
  } else if (typeof value === "number") {
    out += formatNumber(value);
  } else if (typeof value === "boolean") {
    out += value ? "true" : "false";
  } else if (Array.isArray(value)) {
    if (value.length === 0) {
      out += "[]";
      return;
    }
    // items at this node's indentation, their content one level deeper (`- - a`, `- a: 1\n  b: 2`)
    const next = `\n${indentAt(depth)}- `;
    for (let i = 0; i < value.length; i++) {
      out += i === 0 ? "- " : next;
      write(value[i]!, depth + 1);
    }
  } else {
    let first = true;
    const newline = `\n${indentAt(depth)}`;
    for (const k of Object.keys(value)) {
      if (!first) out += newline;
      first = false;
      const v = value[k]!;
      const key = lineString(k);
      if (key.length > MAX_IMPLICIT_KEY) {
        // explicit key: the value follows `: ` on the next line, a collection starting on that line too
        out += `? ${key}${newline}: `;
      } else if (isNonEmptyCollection(v)) {
        // a block collection starts on its own line, one level deeper (sequences too: indentSeq)
        out += `${key}:\n${indentAt(depth + 1)}`;
      } else {
        out += `${key}: `;
      }
      write(v, depth + 1);
    }
    if (first) out += "{}";
  }
}

/** One document body, ending with exactly one line break after the last line (a `|+` literal's own empty
 * lines come before it). */
function emit(value: Json): string {
  out = "";
  try {
    write(value, 0);
    return `${out}\n`;
  } finally {
    out = "";
  }
}


// ---------------------------------------------------------------------------------------------------------
// Public API.

/**
 * Serialise one value as a YAML document body (no '---'), deterministic, ends with "\n". Like `yamlFile`'s,
 * the text is remembered with its value (`emittedDocuments`: one document).
 */
export function toYaml(value: unknown): string {
  const json = normalize(value, [], [], "");
  const text = emit(json);
  emitted.set(text, [json]);
  return text;
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
 * The documents of the files `yamlFile` (and the bodies `toYaml`) produced recently, keyed by the exact text:
 * a YAML 1.1 (or 1.2) reader of that text reads back exactly these values (the emitter's guarantee: plain
 * scalars only when both readers read them back unchanged, everything else quoted or a byte-exact block
 * literal), so a check of the rendered tree may walk them instead of parsing the text again. Bounded: a miss
 * means "parse the text".
 */
const emitted = new BoundedMap<string, readonly Json[]>(512);

/**
 * The documents `yamlFile` (or `toYaml`: one) wrote as exactly `content` (fresh plain values, keys in file
 * order; never mutate them), or undefined when this text did not come from them recently.
 */
export function emittedDocuments(content: string): readonly unknown[] | undefined {
  return emitted.get(content);
}

/** A whole file: header comment lines (each prefixed "# "), then the documents separated by "---". */
export function yamlFile(header: readonly string[], docs: readonly unknown[]): string {
  return yamlFileDocuments(header, docs).text;
}

/**
 * `yamlFile`, with the documents its text reads back as (what `emittedDocuments` gives for that text): plain
 * JSON values, no `undefined`, keys in file order. Never mutate them.
 */
export function yamlFileDocuments(header: readonly string[], docs: readonly unknown[]): { text: string; documents: readonly Json[] } {
  const jsons: Json[] = [];
  let out = "";
  header.forEach((line, i) => {
    if (/[\r\n\u0085\u2028\u2029]/.test(line)) throw new Error(`header line ${i + 1} contains a line break`);
    out += line === "" ? "#\n" : `# ${line}\n`;
  });
  docs.forEach((doc, i) => {
    let json: Json;
    try {
      json = normalize(doc, [], [], "");
    } catch (err) {
      throw new Error(`document ${i + 1}: ${(err as Error).message}`);
    }
    const ordered = isK8sObject(json) ? (orderK8sKeys(json) as Json) : json;
    jsons.push(ordered);
    out += `---\n${emit(ordered)}`;
  });
  if (jsons.length > 0) {
    emitted.set(out, jsons);
  }
  return { text: out, documents: jsons };
}

/** Parse helpers for tests and checks: YAML 1.1 and 1.2 readers of a (multi-)document string. */
export function parseYaml(text: string, version: "1.1" | "1.2"): unknown[] {
  return parseAllDocuments(text, { version, merge: version === "1.1" }).map((doc) => {
    const first = doc.errors[0];
    if (first) throw new Error(`YAML ${version}: ${first.message}`);
    return doc.toJS({ maxAliasCount: -1 }) as unknown;
  });
}

/** The scalar rules, for the emitter's test: its reference emitter (the `yaml` package configured with them,
 * which this module used before) must write what `toYaml` writes. Not part of the package's API. */
export const scalarRulesForTest = { plainIsSafe, plainRulesAllow, plainResolvesToItself, literalIsSafe, readsBackAsPlain } as const;
