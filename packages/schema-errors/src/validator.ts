// The chart values validator: it walks a values object alongside the chart's strict JSON schema (the table
// scripts/schemas/codegen.ts writes to generated/src/<chart>.schema.json) and reports ajv's errors.
//
// It implements the JSON-schema keywords the pinned charts' schemas use, and a few close relatives, with the
// semantics, order and error objects of ajv 8 as scripts/schemas/_ajv.ts configures it (draft-07, all errors,
// strict numbers, union types, no coercion or defaults); scripts/test/schema-validator.test.ts holds it equal
// to ajv on every committed schema and on random schemas. A schema with any other keyword is refused: by
// `validationSchema` at codegen time, and here the first time a schema node is visited, so nothing is skipped
// silently. It replaces ajv's standalone code (5.4 MB for 15 charts, a third of a cold `pnpm generate`) with
// the schemas themselves (0.4 MB of JSON). A table keeps each large subschema as a JSON text of its own
// (`validationTable`), parsed the first time the walk reaches it: values touch a small part of a chart's
// schema, and parsing all of it was half the cost of validating in a cold run.
import type { AllowedKeys, SchemaError, Validator } from "./index.js";

/** A JSON schema node: `true` / `false` or an object of keywords. */
export type SchemaNode = boolean | { readonly [keyword: string]: unknown };

/** Keywords that only annotate: dropped by `validationSchema`, ignored by the validator. */
export const ANNOTATIONS: readonly string[] = ["$schema", "$comment", "title", "description", "default", "examples", "tsType"];

const NUMBER_KEYWORDS = ["maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum"] as const;
const STRING_KEYWORDS = ["maxLength", "minLength", "pattern"] as const;
const ARRAY_KEYWORDS = ["maxItems", "minItems", "items"] as const;
const OBJECT_KEYWORDS = ["maxProperties", "minProperties", "required", "additionalProperties", "properties"] as const;
/** The keywords whose value must be a finite number. */
const LIMIT_KEYWORDS = [...NUMBER_KEYWORDS, "maxLength", "minLength", "maxItems", "minItems", "maxProperties", "minProperties"] as const;
const ANY_KEYWORDS = ["type", "const", "enum", "not", "anyOf", "allOf", "if", "then", "else"] as const;

/** Every keyword the validator checks. */
export const VALIDATED_KEYWORDS: readonly string[] = [...ANY_KEYWORDS, ...NUMBER_KEYWORDS, ...STRING_KEYWORDS, ...ARRAY_KEYWORDS, ...OBJECT_KEYWORDS];

const KNOWN = new Set([...ANNOTATIONS, ...VALIDATED_KEYWORDS]);
/** Keywords whose value is one subschema. */
const SUBSCHEMA_KEYWORDS: readonly string[] = ["not", "if", "then", "else", "items", "additionalProperties"];
const TYPES = new Set(["null", "boolean", "object", "array", "number", "integer", "string"]);
const COMPARISON: Record<(typeof NUMBER_KEYWORDS)[number], string> = { maximum: "<=", minimum: ">=", exclusiveMaximum: "<", exclusiveMinimum: ">" };

/** `~` and `/` escaped as in a JSON pointer (RFC 6901). */
function pointerSegment(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** A property name as ajv writes it in a `schemaPath` (a URI fragment). */
export function schemaPathSegment(key: string): string {
  return encodeURIComponent(pointerSegment(key));
}

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Why `node` (at `at`, a schema path) cannot be validated here; undefined when it can. Its subschemas are not looked at. */
function nodeProblem(node: unknown, at: string): string | undefined {
  if (typeof node === "boolean") return undefined;
  if (!isObject(node)) return `${at}: a schema must be an object or a boolean`;
  const s = node;
  for (const k of Object.keys(s)) if (!KNOWN.has(k)) return `${at}: keyword "${k}" is not supported by the chart validator`;
  const t = s.type;
  if (t !== undefined) {
    const list = Array.isArray(t) ? t : [t];
    if (list.length === 0 || !list.every((x) => typeof x === "string" && TYPES.has(x))) return `${at}/type: must be a JSON type or a non-empty list of them`;
  }
  for (const k of LIMIT_KEYWORDS)
    if (s[k] !== undefined && (typeof s[k] !== "number" || !Number.isFinite(s[k]))) return `${at}/${k}: must be a number`;
  if (s.pattern !== undefined) {
    if (typeof s.pattern !== "string") return `${at}/pattern: must be a string`;
    try {
      new RegExp(s.pattern, "u");
    } catch {
      return `${at}/pattern: not a valid regular expression`;
    }
  }
  if (s.enum !== undefined && !Array.isArray(s.enum)) return `${at}/enum: must be a list`;
  if (s.required !== undefined && !(Array.isArray(s.required) && s.required.every((r) => typeof r === "string"))) return `${at}/required: must be a list of names`;
  for (const k of ["anyOf", "allOf"]) if (s[k] !== undefined && !(Array.isArray(s[k]) && (s[k] as unknown[]).length > 0)) return `${at}/${k}: must be a non-empty list of schemas`;
  if (s.items !== undefined && Array.isArray(s.items)) return `${at}/items: a list of schemas (tuple items) is not supported by the chart validator`;
  if (s.properties !== undefined && !isObject(s.properties)) return `${at}/properties: must be an object of schemas`;
  if ((s.then !== undefined || s.else !== undefined) && s.if === undefined) return `${at}: "then"/"else" without "if"`;
  if (s.if !== undefined && s.then === undefined && s.else === undefined) return `${at}: "if" without "then" or "else"`;
  return undefined;
}

/**
 * A copy of node `s` (at schema path `at`) with each subschema replaced by `f(subschema, its schema path)`: the
 * one place that knows where subschemas are (`properties` values, `anyOf`/`allOf` items, the one-schema keywords).
 */
function mapSubschemas(s: Obj, at: string, f: (sub: unknown, path: string) => unknown): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === "properties" && isObject(v)) out[k] = Object.fromEntries(Object.entries(v).map(([name, sub]) => [name, f(sub, `${at}/properties/${schemaPathSegment(name)}`)]));
    else if ((k === "anyOf" || k === "allOf") && Array.isArray(v)) out[k] = v.map((sub, i) => f(sub, `${at}/${k}/${i}`));
    else if (SUBSCHEMA_KEYWORDS.includes(k)) out[k] = f(v, `${at}/${k}`);
    else out[k] = v;
  }
  return out;
}

/**
 * The schema as the chart validator reads it: annotations dropped, every keyword checked. Throws, naming the
 * schema path, for a keyword or a form the validator does not implement. Used by codegen.
 */
export function validationSchema(schema: unknown, at = "#"): SchemaNode {
  const problem = nodeProblem(schema, at);
  if (problem !== undefined) throw new Error(problem);
  if (typeof schema === "boolean") return schema;
  const kept = Object.fromEntries(Object.entries(schema as Obj).filter(([k]) => !ANNOTATIONS.includes(k)));
  return mapSubschemas(kept, at, validationSchema);
}

/** A subschema kept apart in a table: `{ "$part": n }` stands for the schema whose JSON text is `parts[n]`. */
interface PartRef {
  readonly $part: number;
}

/** A chart's schema as codegen writes it: the root, and the large subschemas as JSON texts (`PartRef`). */
export interface ValidationTable {
  readonly root: SchemaNode;
  readonly parts: readonly string[];
}

/** Subschemas whose JSON text is at least this long become parts of a table. */
const PART_BYTES = 256;

/**
 * `validationSchema(schema)` as a table: every subschema whose JSON is at least `partBytes` long (deepest
 * first, so a part's text refers to smaller parts by number and no text is escaped twice) is replaced by a
 * `{ "$part": n }` reference to its text in `parts`.
 */
export function validationTable(schema: unknown, partBytes = PART_BYTES): ValidationTable {
  const parts: string[] = [];
  const split = (node: SchemaNode): SchemaNode => {
    if (typeof node === "boolean") return node;
    return mapSubschemas(node, "", (v) => {
      const inner = split(v as SchemaNode);
      const text = JSON.stringify(inner);
      if (typeof inner === "boolean" || text.length < partBytes) return inner;
      parts.push(text);
      return { $part: parts.length - 1 };
    });
  };
  const root = split(validationSchema(schema));
  return { root, parts };
}

/** Resolves the `PartRef`s of a table, each part parsed once. */
class Parts {
  private readonly parsed: (SchemaNode | undefined)[] = [];
  constructor(private readonly texts: readonly string[]) {}

  /** `node` itself, or the schema it refers to. */
  resolve(node: unknown): unknown {
    if (node === null || typeof node !== "object") return node;
    const n = (node as Partial<PartRef>).$part;
    if (n === undefined) return node;
    if (!Number.isInteger(n) || n < 0 || n >= this.texts.length) throw new Error(`part ${String(n)} is not in the table`);
    let schema = this.parsed[n];
    if (schema === undefined) {
      schema = JSON.parse(this.texts[n] as string) as SchemaNode;
      this.parsed[n] = schema;
    }
    return schema;
  }
}

const NO_PARTS = new Parts([]);

/**
 * The property names of every closed object (`additionalProperties: false`), keyed by the `schemaPath` of its
 * `additionalProperties` errors (`#/properties/loki/additionalProperties`): where "did you mean" looks.
 */
export function allowedKeys(schema: unknown, parts: readonly string[] = []): Record<string, string[]> {
  const table = new Parts(parts);
  const out: Record<string, string[]> = {};
  const walk = (node: unknown, at: string): void => {
    const s = table.resolve(node);
    if (!isObject(s)) return;
    if (s.additionalProperties === false) out[`${at}/additionalProperties`] = Object.keys(isObject(s.properties) ? s.properties : {});
    mapSubschemas(s, at, (sub, path) => walk(sub, path));
  };
  walk(schema, "#");
  return out;
}

/**
 * Equality as ajv's `enum` and `const` compare (`fast-deep-equal`, data first): `===`, else two objects with the
 * same `constructor` (so an own `constructor` key counts), arrays item by item, regular expressions by source
 * and flags, objects with their own `valueOf`/`toString` functions by those, others key by key; NaN equals NaN.
 * One difference: where that comparison would call a `valueOf` or `toString` that is not a function (a data
 * key of that name) and throw, this one compares the objects key by key.
 */
function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object") {
    const x = a as Obj;
    const y = b as Obj;
    if (x.constructor !== y.constructor) return false;
    if (Array.isArray(x)) {
      const ys = y as unknown as unknown[];
      if (x.length !== ys.length) return false;
      for (let i = x.length - 1; i >= 0; i--) if (!equal(x[i], ys[i])) return false;
      return true;
    }
    if (x.constructor === RegExp) return (x as unknown as RegExp).source === (y as unknown as RegExp).source && (x as unknown as RegExp).flags === (y as unknown as RegExp).flags;
    if (x.valueOf !== Object.prototype.valueOf && typeof x.valueOf === "function" && typeof y.valueOf === "function") return x.valueOf() === y.valueOf();
    if (x.toString !== Object.prototype.toString && typeof x.toString === "function" && typeof y.toString === "function") return x.toString() === y.toString();
    const keys = Object.keys(x);
    if (keys.length !== Object.keys(y).length) return false;
    for (let i = keys.length - 1; i >= 0; i--) if (!Object.prototype.hasOwnProperty.call(y, keys[i] as string)) return false;
    for (let i = keys.length - 1; i >= 0; i--) if (!equal(x[keys[i] as string], y[keys[i] as string])) return false;
    return true;
  }
  return a !== a && b !== b;
}

/** A schema number as ajv writes it into an error's params (a literal in its generated code: `-0` is `0`). */
function literal(v: unknown): unknown {
  return typeof v === "number" && Object.is(v, -0) ? 0 : v;
}

function hasType(type: string, v: unknown): boolean {
  switch (type) {
    case "null":
      return v === null;
    case "number":
      return typeof v === "number" && Number.isFinite(v);
    case "integer":
      return typeof v === "number" && Number.isFinite(v) && v % 1 === 0;
    case "array":
      return Array.isArray(v);
    case "object":
      return isObject(v);
    default:
      return typeof v === type;
  }
}

/** Characters as JSON schema counts them: code points. */
function length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++, n++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
  }
  return n;
}

function usesAny(s: Obj, keywords: readonly string[]): boolean {
  for (const k of keywords) if (s[k] !== undefined) return true;
  return false;
}

/** A property's JSON pointer segment, and its schema path below the node (most names need no escape). */
function propertyPaths(name: string): [pointer: string, schemaPath: string] {
  if (/^[\w.!*'()-]*$/.test(name)) return [name, `/properties/${name}`];
  return [pointerSegment(name), `/properties/${schemaPathSegment(name)}`];
}

/** What a schema node's walk needs, worked out (and the node checked) the first time it is reached. */
interface NodeInfo {
  readonly s: Obj;
  /** Its `type` as a list (empty when it has none). */
  readonly types: readonly string[];
  /** Whether a type error is reported before the other keywords (else where its keyword group runs). */
  readonly typeFirst: boolean;
  /** The one type whose keyword group reports the type error (undefined when `typeFirst` or no group). */
  readonly groupType: string | undefined;
  readonly numbers: boolean;
  readonly strings: boolean;
  readonly arrays: boolean;
  readonly objects: boolean;
  /** Whether it has any of const, enum, not, anyOf, allOf, if (most nodes have none). */
  readonly applies: boolean;
  readonly pattern: RegExp | undefined;
  readonly required: readonly string[] | undefined;
  /** `additionalProperties` when it restricts anything (not absent, not `true`). */
  readonly extra: unknown;
  /** `properties`: names (without `__proto__`), as a set, and their schemas. */
  readonly names: readonly string[];
  /** Each name's index in `names`. */
  readonly named: ReadonlyMap<string, number>;
  /**
   * The indices of the names a plain object inherits from Object.prototype (`constructor`, `toString`, …):
   * `data[name]` finds those without an own key.
   */
  readonly inherited: readonly number[];
  readonly subschemas: readonly unknown[];
  /**
   * Each name's instance path segment and schema path, worked out when data first has that property: values
   * reach a few of a node's properties (the Prometheus spec names over a hundred).
   */
  readonly paths: ([pointer: string, schemaPath: string] | undefined)[];
  /**
   * Whether a `__proto__` key of the data counts as named by `properties`: ajv tests names one by one when
   * there are at most 8 (never `__proto__`), and with `hasOwnProperty` on `properties` beyond that.
   */
  readonly protoNamed: boolean;
}

function nodeInfo(s: Obj, at: string): NodeInfo {
  const problem = nodeProblem(s, at);
  if (problem !== undefined) throw new Error(problem);
  const types = s.type === undefined ? [] : typeof s.type === "string" ? [s.type] : (s.type as string[]);
  const single = types.length === 1 ? types[0] : undefined;
  const numbers = usesAny(s, NUMBER_KEYWORDS);
  const strings = usesAny(s, STRING_KEYWORDS);
  const arrays = usesAny(s, ARRAY_KEYWORDS);
  const objects = usesAny(s, OBJECT_KEYWORDS);
  // ajv reports a single type whose keyword group the node uses where that group runs, any other up front.
  const grouped = (single === "number" && numbers) || (single === "string" && strings) || (single === "array" && arrays) || (single === "object" && objects);
  const props = (s.properties ?? {}) as Obj;
  const names = Object.keys(props).filter((n) => n !== "__proto__");
  return {
    s,
    types,
    typeFirst: types.length > 0 && !grouped,
    groupType: grouped ? single : undefined,
    numbers,
    strings,
    arrays,
    objects,
    applies: usesAny(s, ["const", "enum", "not", "anyOf", "allOf", "if"]),
    pattern: typeof s.pattern === "string" ? new RegExp(s.pattern, "u") : undefined,
    required: s.required as string[] | undefined,
    extra: s.additionalProperties === true ? undefined : s.additionalProperties,
    names,
    named: new Map(names.map((n, i) => [n, i])),
    inherited: names.flatMap((n, i) => (n in Object.prototype ? [i] : [])),
    subschemas: names.map((n) => props[n]),
    paths: new Array(names.length),
    protoNamed: names.length > 8 && Object.hasOwn(props, "__proto__"),
  };
}

/** Walks values and schema together, pushing ajv's errors in ajv's order. */
class Walk {
  readonly errors: SchemaError[] = [];
  /** `infos`: the nodes this validator has reached (per validator); `parts`: its table's parts. */
  constructor(
    private readonly infos: WeakMap<object, NodeInfo>,
    private readonly parts: Parts,
  ) {}

  private error(instancePath: string, schemaPath: string, keyword: string, params: Record<string, unknown>, message: string): void {
    this.errors.push({ instancePath, schemaPath, keyword, params, message });
  }

  private typeError(s: Obj, ip: string, sp: string): void {
    this.error(ip, `${sp}/type`, "type", { type: s.type }, `must be ${String(s.type)}`);
  }

  /** Validates without reporting: whether `data` matches `s`. */
  private passes(s: unknown, data: unknown, ip: string, sp: string): boolean {
    const before = this.errors.length;
    this.node(s, data, ip, sp);
    const ok = this.errors.length === before;
    this.errors.length = before;
    return ok;
  }

  node(ref: unknown, data: unknown, ip: string, sp: string): void {
    const schema = this.parts.resolve(ref);
    if (schema === true) return;
    if (schema === false) {
      this.error(ip, `${sp}/false schema`, "false schema", {}, "boolean schema is false");
      return;
    }
    let info = this.infos.get(schema as Obj);
    if (info === undefined) {
      info = nodeInfo(schema as Obj, sp);
      this.infos.set(schema as Obj, info);
    }
    const s = info.s;
    if (info.typeFirst) {
      let ok = false;
      for (const t of info.types) if (hasType(t, data)) ok = true;
      if (!ok) this.typeError(s, ip, sp);
    }

    if (info.applies) this.applicators(s, data, ip, sp);
    if (info.numbers) {
      if (typeof data === "number" && Number.isFinite(data)) {
        for (const k of NUMBER_KEYWORDS) {
          const limit = s[k] as number | undefined;
          if (limit === undefined) continue;
          const fails = k === "maximum" ? data > limit : k === "minimum" ? data < limit : k === "exclusiveMaximum" ? data >= limit : data <= limit;
          if (fails) this.error(ip, `${sp}/${k}`, k, { comparison: COMPARISON[k], limit: literal(limit) }, `must be ${COMPARISON[k]} ${limit}`);
        }
      } else if (info.groupType === "number") this.typeError(s, ip, sp);
    }

    if (info.strings) {
      if (typeof data === "string") {
        if (s.maxLength !== undefined && length(data) > (s.maxLength as number))
          this.error(ip, `${sp}/maxLength`, "maxLength", { limit: literal(s.maxLength) }, `must NOT have more than ${s.maxLength} characters`);
        if (s.minLength !== undefined && length(data) < (s.minLength as number))
          this.error(ip, `${sp}/minLength`, "minLength", { limit: literal(s.minLength) }, `must NOT have fewer than ${s.minLength} characters`);
        if (info.pattern !== undefined && !info.pattern.test(data)) this.error(ip, `${sp}/pattern`, "pattern", { pattern: s.pattern }, `must match pattern "${s.pattern}"`);
      } else if (info.groupType === "string") this.typeError(s, ip, sp);
    }

    if (info.arrays) {
      if (Array.isArray(data)) {
        if (s.maxItems !== undefined && data.length > (s.maxItems as number))
          this.error(ip, `${sp}/maxItems`, "maxItems", { limit: literal(s.maxItems) }, `must NOT have more than ${s.maxItems} items`);
        if (s.minItems !== undefined && data.length < (s.minItems as number))
          this.error(ip, `${sp}/minItems`, "minItems", { limit: literal(s.minItems) }, `must NOT have fewer than ${s.minItems} items`);
        if (s.items !== undefined) for (let i = 0; i < data.length; i++) this.node(s.items, data[i], `${ip}/${i}`, `${sp}/items`);
      } else if (info.groupType === "array") this.typeError(s, ip, sp);
    }

    if (info.objects) {
      if (isObject(data)) this.object(info, data, ip, sp);
      else if (info.groupType === "object") this.typeError(s, ip, sp);
    }
  }

  /** const, enum, not, anyOf, allOf and if/then/else, in ajv's order. */
  private applicators(s: Obj, data: unknown, ip: string, sp: string): void {
    if (s.const !== undefined && !equal(data, s.const)) this.error(ip, `${sp}/const`, "const", { allowedValue: literal(s.const) }, "must be equal to constant");
    if (s.enum !== undefined && !(s.enum as unknown[]).some((v) => equal(data, v)))
      this.error(ip, `${sp}/enum`, "enum", { allowedValues: s.enum }, "must be equal to one of the allowed values");
    if (s.not !== undefined && this.passes(s.not, data, ip, `${sp}/not`)) this.error(ip, `${sp}/not`, "not", {}, "must NOT be valid");
    if (s.anyOf !== undefined) {
      const before = this.errors.length;
      const branches = s.anyOf as unknown[];
      let ok = false;
      for (let i = 0; i < branches.length && !ok; i++) {
        const start = this.errors.length;
        this.node(branches[i], data, ip, `${sp}/anyOf/${i}`);
        ok = this.errors.length === start;
      }
      if (ok) this.errors.length = before;
      else this.error(ip, `${sp}/anyOf`, "anyOf", {}, "must match a schema in anyOf");
    }
    if (s.allOf !== undefined) (s.allOf as unknown[]).forEach((branch, i) => this.node(branch, data, ip, `${sp}/allOf/${i}`));
    if (s.if !== undefined) {
      const clause = this.passes(s.if, data, ip, `${sp}/if`) ? "then" : "else";
      if (s[clause] !== undefined) {
        const before = this.errors.length;
        this.node(s[clause], data, ip, `${sp}/${clause}`);
        if (this.errors.length > before) this.error(ip, `${sp}/if`, "if", { failingKeyword: clause }, `must match "${clause}" schema`);
      }
    }
  }

  private object(info: NodeInfo, data: Obj, ip: string, sp: string): void {
    const s = info.s;
    if (s.maxProperties !== undefined || s.minProperties !== undefined) {
      const n = Object.keys(data).length;
      if (s.maxProperties !== undefined && n > (s.maxProperties as number))
        this.error(ip, `${sp}/maxProperties`, "maxProperties", { limit: literal(s.maxProperties) }, `must NOT have more than ${s.maxProperties} properties`);
      if (s.minProperties !== undefined && n < (s.minProperties as number))
        this.error(ip, `${sp}/minProperties`, "minProperties", { limit: literal(s.minProperties) }, `must NOT have fewer than ${s.minProperties} properties`);
    }
    // As ajv reads a property: `data[name] !== undefined` (own or inherited, enumerable or not); an extra key
    // is any key `for…in` yields that `properties` does not name.
    if (info.required !== undefined)
      for (const name of info.required)
        if (data[name] === undefined) this.error(ip, `${sp}/required`, "required", { missingProperty: name }, `must have required property '${name}'`);
    const extra = info.extra;
    if (extra !== undefined)
      for (const key in data) {
        if (info.named.has(key) || (key === "__proto__" && info.protoNamed)) continue;
        if (extra === false) this.error(ip, `${sp}/additionalProperties`, "additionalProperties", { additionalProperty: key }, "must NOT have additional properties");
        else this.node(extra, data[key], `${ip}/${pointerSegment(key)}`, `${sp}/additionalProperties`);
      }
    const { names } = info;
    const present = names.length > FEW_NAMES ? presentNames(info, data) : undefined;
    if (present === undefined) for (let i = 0; i < names.length; i++) this.property(info, i, data, ip, sp);
    else for (const i of present) this.property(info, i, data, ip, sp);
  }

  private property(info: NodeInfo, i: number, data: Obj, ip: string, sp: string): void {
    const value = data[info.names[i] as string];
    if (value === undefined) return;
    const [pointer, schemaPath] = (info.paths[i] ??= propertyPaths(info.names[i] as string));
    this.node(info.subschemas[i], value, `${ip}/${pointer}`, `${sp}${schemaPath}`);
  }
}

/** Up to this many `properties`, a node's names are simply tried one by one on the data. */
const FEW_NAMES = 16;

/**
 * For a plain object with far fewer keys than the node names (a values object sets a few of a chart's
 * hundreds of keys): the indices, in schema order, of the names `data[name]` can find, which are its own keys
 * (enumerable or not) and the names it inherits from Object.prototype. Undefined for any other object, or when
 * trying every name is no more work.
 */
function presentNames(info: NodeInfo, data: Obj): number[] | undefined {
  const proto: unknown = Object.getPrototypeOf(data);
  if (proto !== Object.prototype && proto !== null) return undefined;
  const own = Object.getOwnPropertyNames(data);
  if (own.length * 4 > info.names.length) return undefined;
  const found = new Set(proto === null ? [] : info.inherited);
  for (const key of own) {
    const i = info.named.get(key);
    if (i !== undefined) found.add(i);
  }
  return [...found].sort((a, b) => a - b);
}

/**
 * A validator for `schema` (any schema `validationSchema` accepts, or the root of a table with its `parts`,
 * e.g. a chart's `<chart>.schema.json`): called with a values object it returns whether it is valid and leaves
 * ajv's errors in `.errors`; `.allowedKeys` (for "did you mean") is worked out on first use.
 */
export function schemaValidator(schema: SchemaNode, parts: readonly string[] = []): Validator {
  const infos = new WeakMap<object, NodeInfo>();
  const table = parts.length === 0 ? NO_PARTS : new Parts(parts);
  let keys: AllowedKeys | undefined;
  const validate = ((data: unknown): boolean => {
    const walk = new Walk(infos, table);
    walk.node(schema, data, "", "#");
    validate.errors = walk.errors.length === 0 ? null : walk.errors;
    return walk.errors.length === 0;
  }) as Validator;
  validate.errors = null;
  Object.defineProperty(validate, "allowedKeys", { get: () => (keys ??= allowedKeys(schema, parts)), enumerable: true });
  return validate;
}
