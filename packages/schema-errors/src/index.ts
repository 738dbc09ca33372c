// Readable messages for JSON-schema errors, the chart values validator and the registry of chart schemas.
//
// Hand-written: the generated registry (`@o11y-gitops/chart-values`, written by scripts/schemas/codegen.ts) holds
// only data (chart pins, the validation schema of each chart) and calls `validatorRegistry` from here;
// `@o11y-gitops/core` describes kubernetes-models' errors with `describeSchemaErrors`.
import { schemaValidator, type ValidationTable } from "./validator.js";

export {
  allowedKeys,
  ANNOTATIONS,
  schemaPathSegment,
  schemaValidator,
  validationSchema,
  validationTable,
  VALIDATED_KEYWORDS,
  type SchemaNode,
  type ValidationTable,
} from "./validator.js";

/** A pinned Helm chart: what an ArgoCD Application installs. */
export interface ChartPin {
  /** Chart name in its repository. */
  chart: string;
  /** Chart version (the Application's `targetRevision`). */
  version: string;
  /** The app version the chart ships (informational). */
  appVersion: string;
  /** Helm repository URL, or `oci://` registry path. */
  repository: string;
}

/** One schema violation in a values object. */
export interface ValuesError {
  /** Dotted path into the values (`loki.storage.bucketNames`, `extraEnv[0].name`), `(root)` for the root. */
  path: string;
  /**
   * What was expected and what was found, e.g. `must be number, found string "3"` or
   * `must NOT have additional property "bukcetNames" (did you mean "bucketNames"?)`.
   */
  message: string;
}

/** One raw ajv error: what the chart validator (`schemaValidator`, ajv's errors) and kubernetes-models report. */
export interface SchemaError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** Property names each closed object (`additionalProperties: false`) allows, keyed by the error's `schemaPath`. */
export type AllowedKeys = Readonly<Record<string, readonly string[]>>;

/** A validator in ajv's shape (`schemaValidator`): `errors` of the last call, the keys of its closed objects. */
export type Validator = ((data: unknown) => boolean) & { errors?: SchemaError[] | null; allowedKeys?: AllowedKeys };

/**
 * The `validateValues` of a set of charts: `load(chart)` returns that chart's validation table (its
 * `<chart>.schema.json` read and parsed, `validationTable`'s output), called once per chart on first use.
 * Throws for a chart that is not in `charts`.
 */
export function validatorRegistry<C extends string>(
  charts: Readonly<Record<C, ChartPin>>,
  load: (chart: C) => unknown,
): (chart: C, values: unknown) => ValuesError[] {
  const validators = new Map<C, Validator>();
  return (chart, values) => {
    let validate = validators.get(chart);
    if (!validate) {
      if (!Object.hasOwn(charts, chart)) throw new Error(`unknown chart ${String(chart)}`);
      const table = load(chart) as ValidationTable;
      validate = schemaValidator(table.root, table.parts);
      validators.set(chart, validate);
    }
    if (validate(values)) return [];
    return describeSchemaErrors(validate.errors ?? [], values, validate.allowedKeys);
  };
}

/** `/loki/storage/0/x.y` → `loki.storage[0]["x.y"]`; `` → `(root)`. */
export function valuesPath(instancePath: string): string {
  if (instancePath === "") return "(root)";
  return fieldPath(
    instancePath
      .slice(1)
      .split("/")
      .map((raw) => raw.replace(/~1/g, "/").replace(/~0/g, "~"))
      .map((seg) => (/^(0|[1-9][0-9]*)$/.test(seg) ? Number(seg) : seg)),
  );
}

/**
 * A path as the messages write it: `a.b[0]["x.y"]` (numbers are list indexes; keys that are not plain
 * identifiers are quoted). The one spelling of a field path across values, YAML and policy messages.
 */
export function fieldPath(segments: readonly (string | number)[]): string {
  let out = "";
  for (const seg of segments) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out === "" ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** The value a JSON pointer (`/a/0/b`) names in `data`, undefined when there is none. */
function valueAt(data: unknown, pointer: string): unknown {
  let v = data;
  if (pointer === "") return v;
  for (const raw of pointer.slice(1).split("/")) {
    const seg = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (v === null || typeof v !== "object" || !Object.hasOwn(v, seg)) return undefined;
    v = (v as Record<string, unknown>)[seg];
  }
  return v;
}

const SHOWN = 40;

/** A value as JSON, cut after ~40 characters: `"text"`, `3`, `null`, `{"a":1,…`. */
export function showValue(v: unknown): string {
  if (typeof v === "number" && !Number.isFinite(v)) return String(v);
  if (typeof v === "string") {
    const chars = [...v];
    return JSON.stringify(chars.length > SHOWN ? `${chars.slice(0, SHOWN).join("")}…` : v);
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(v);
  } catch {
    json = undefined;
  }
  json ??= String(v);
  return json.length > SHOWN ? `${json.slice(0, SHOWN)}…` : json;
}

/** `found string "3"` (with the JSON type, for type errors) or `found "3"`. */
function found(v: unknown, withType: boolean): string {
  if (v === null) return "found null";
  if (!withType) return `found ${showValue(v)}`;
  return `found ${Array.isArray(v) ? "array" : typeof v} ${showValue(v)}`;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps each cost 1. */
export function editDistance(a: string, b: string): number {
  const s = [...a];
  const t = [...b];
  let prev2: number[] = [];
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, (prev2[j - 2] as number) + 1);
      cur.push(d);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[t.length] as number;
}

/**
 * The allowed key closest to a rejected one: within edit distance 2, and at most a third of the shorter
 * key's length (so `tls` does not suggest `ttl`). The first of equally close keys wins.
 */
export function closestKey(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of allowed) {
    const d = editDistance(key, k);
    if (d < bestDistance && d * 3 <= Math.min([...key].length, [...k].length)) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

function typeNames(t: unknown): string[] {
  return Array.isArray(t) ? t.map(String) : String(t).split(",");
}

function quoted(v: unknown): string {
  return JSON.stringify(String(v));
}

/** One error as text: what was expected and, where there is one, what was found. */
function describe(e: SchemaError, data: unknown, allowedKeys: AllowedKeys | undefined): string {
  const p = e.params;
  const v = (): unknown => valueAt(data, e.instancePath);
  const more = (k: string): string => (k.startsWith("max") ? "more" : "fewer");
  switch (e.keyword) {
    case "type":
      return `must be ${typeNames(p.type).join(" or ")}, ${found(v(), true)}`;
    case "enum":
      if (!Array.isArray(p.allowedValues)) return e.message ?? "must be one of the allowed values";
      return `must be one of ${p.allowedValues.map(showValue).join(", ")}, ${found(v(), false)}`;
    case "const":
      return `must be ${showValue(p.allowedValue)}, ${found(v(), false)}`;
    case "additionalProperties": {
      const key = String(p.additionalProperty);
      const hint = closestKey(key, allowedKeys?.[e.schemaPath] ?? []);
      return `must NOT have additional property ${quoted(key)}${hint === undefined ? "" : ` (did you mean ${quoted(hint)}?)`}`;
    }
    case "required":
      return `must have required property ${quoted(p.missingProperty)}`;
    case "pattern":
      return `must match pattern "${String(p.pattern)}", ${found(v(), false)}`;
    case "format":
      return `must match format "${String(p.format)}", ${found(v(), false)}`;
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return `must be ${String(p.comparison)} ${String(p.limit)}, ${found(v(), false)}`;
    case "multipleOf":
      return `must be a multiple of ${String(p.multipleOf)}, ${found(v(), false)}`;
    case "minLength":
    case "maxLength": {
      const s = v();
      const n = typeof s === "string" ? ` (${[...s].length} characters)` : "";
      return `must NOT have ${more(e.keyword)} than ${String(p.limit)} characters, ${found(s, false)}${n}`;
    }
    case "minItems":
    case "maxItems": {
      const a = v();
      return `must NOT have ${more(e.keyword)} than ${String(p.limit)} items, found ${Array.isArray(a) ? a.length : showValue(a)}`;
    }
    case "minProperties":
    case "maxProperties": {
      const o = v();
      return `must NOT have ${more(e.keyword)} than ${String(p.limit)} properties, found ${o !== null && typeof o === "object" ? Object.keys(o).length : showValue(o)}`;
    }
    default:
      return e.message ?? e.keyword;
  }
}

/**
 * The errors an `anyOf`/`oneOf` failure stands for: those under its schema path; for validators that
 * compile each definition apart (kubernetes-models: every path starts at `#/`), the type errors at the
 * same value just before it.
 */
function branchErrors(errors: readonly SchemaError[], i: number): SchemaError[] {
  const w = errors[i] as SchemaError;
  const prefix = `${w.schemaPath}/`;
  const nested = errors.slice(0, i).filter((n) => n.schemaPath.startsWith(prefix));
  if (nested.length > 0 || w.schemaPath.lastIndexOf("/") > 1) return nested;
  const run: SchemaError[] = [];
  for (let j = i - 1; j >= 0; j--) {
    const n = errors[j] as SchemaError;
    if (n.keyword !== "type" || n.instancePath !== w.instancePath) break;
    run.unshift(n);
  }
  return run;
}

/**
 * Turns raw ajv errors into one `{ path, message }` per problem: the dotted path, what was expected and
 * what was found. An `anyOf`/`oneOf` that failed becomes one line naming its alternatives
 * (`must be integer or null, found string "x"`); an `if`/`then` wrapper whose branch errors are reported
 * is dropped. `allowedKeys` adds "did you mean" to a rejected key close to an allowed one.
 */
export function describeSchemaErrors(errors: readonly SchemaError[], data: unknown, allowedKeys?: AllowedKeys): ValuesError[] {
  const consumed = new Set<SchemaError>();
  const merged = new Map<SchemaError, string>();
  const text = (e: SchemaError): string => merged.get(e) ?? describe(e, data, allowedKeys);
  errors.forEach((e, i) => {
    if (e.keyword === "if") {
      const branch = `${e.schemaPath.replace(/\/if$/, "")}/${String(e.params.failingKeyword)}/`;
      if (errors.some((n) => n.schemaPath.startsWith(branch))) consumed.add(e);
      return;
    }
    if (e.keyword !== "anyOf" && e.keyword !== "oneOf") return;
    const nested = branchErrors(errors, i).filter((n) => !consumed.has(n) || merged.has(n));
    if (nested.length === 0) return;
    for (const n of nested) consumed.add(n);
    const here = nested.filter((n) => n.instancePath === e.instancePath);
    if (here.length === nested.length && nested.every((n) => n.keyword === "type")) {
      const types = [...new Set(nested.flatMap((n) => typeNames(n.params.type)))];
      merged.set(e, `must be ${types.join(" or ")}, ${found(valueAt(data, e.instancePath), true)}`);
    } else if (here.length === nested.length && nested.every((n) => n.keyword === "required")) {
      merged.set(e, `must have required property ${nested.map((n) => quoted(n.params.missingProperty)).join(" or ")}`);
    } else {
      // Group by alternative (the index after the wrapper's path) and name each one's failures.
      const byBranch = new Map<string, string[]>();
      for (const n of nested) {
        const alt = n.schemaPath.startsWith(`${e.schemaPath}/`) ? (n.schemaPath.slice(e.schemaPath.length + 1).split("/")[0] as string) : "";
        const rel = n.instancePath.slice(e.instancePath.length);
        const where = rel === "" ? "" : `${valuesPath(rel)} `;
        byBranch.set(alt, [...(byBranch.get(alt) ?? []), `${where}${text(n)}`]);
      }
      merged.set(e, [...byBranch.values()].map((parts) => parts.join(" and ")).join(", or "));
    }
  });
  const out: ValuesError[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (consumed.has(e)) continue;
    const err = { path: valuesPath(e.instancePath), message: text(e) };
    const key = `${err.path}\u0000${err.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(err);
    }
  }
  return out;
}
