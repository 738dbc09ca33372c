// Merging a chart's own values.schema.json into the schema inferred from values.yaml.
import { clone, isAny, isObjectSchema, typesOf, type JSONSchema } from "./_schema.js";

/**
 * How far the chart's own schema is trusted:
 * - `prefer`: complete and strict (cert-manager); it is the base, values.yaml only adds keys it lacks.
 * - `merge`: correct but partial (loki's stub); it types `{}`/`null` defaults and adds the keys it names.
 * - `values-first`: partly stale (metallb); only keys values.yaml has are taken, and only where the
 *   upstream node does not contradict the default.
 */
export type UpstreamMode = "prefer" | "merge" | "values-first";

const DROPPED = new Set(["title", "required", "$schema", "$id", "$comment", "default", "examples", "definitions", "$defs"]);

/** Inlines local `$ref`s (`#/$defs/x`, `#/definitions/x`); fails on a recursive reference. */
export function derefLocal(root: JSONSchema, origin: string): JSONSchema {
  const resolve = (ref: string): JSONSchema => {
    if (!ref.startsWith("#/")) throw new Error(`${origin}: unsupported $ref ${ref}`);
    let cur: unknown = root;
    for (const seg of ref.slice(2).split("/")) {
      const key = decodeURIComponent(seg).replace(/~1/g, "/").replace(/~0/g, "~");
      cur = (cur as Record<string, unknown> | undefined)?.[key];
    }
    if (cur === undefined || cur === null || typeof cur !== "object") throw new Error(`${origin}: $ref ${ref} not found`);
    return cur as JSONSchema;
  };
  const walk = (s: unknown, stack: string[]): unknown => {
    if (Array.isArray(s)) return s.map((x) => walk(x, stack));
    if (s === null || typeof s !== "object") return s;
    const o = s as Record<string, unknown>;
    if (typeof o.$ref === "string") {
      const ref = o.$ref;
      if (stack.includes(ref)) throw new Error(`${origin}: recursive $ref ${ref}`);
      const { $ref: _r, ...siblings } = o;
      const target = walk(resolve(ref), [...stack, ref]) as Record<string, unknown>;
      return { ...target, ...(walk(siblings, stack) as Record<string, unknown>) };
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) {
      if (k === "$defs" || k === "definitions") continue;
      out[k] = walk(v, stack);
    }
    return out;
  };
  return walk(root, []) as JSONSchema;
}

/** Drops annotation keywords that do not type values (title, default, examples) and `required`. */
export function cleanUpstream(s: JSONSchema): JSONSchema {
  const out: JSONSchema = {};
  for (const [k, v] of Object.entries(s)) {
    if (DROPPED.has(k)) continue;
    if (k === "properties" || k === "patternProperties") {
      const m: Record<string, JSONSchema> = {};
      for (const [pk, pv] of Object.entries(v as Record<string, JSONSchema>)) m[pk] = cleanUpstream(pv);
      out[k] = m;
    } else if ((k === "items" || k === "additionalProperties" || k === "not") && v !== null && typeof v === "object" && !Array.isArray(v)) {
      out[k] = cleanUpstream(v as JSONSchema);
    } else if (k === "anyOf" || k === "oneOf" || k === "allOf") {
      out[k] = (v as JSONSchema[]).map(cleanUpstream);
    } else {
      out[k] = clone(v);
    }
  }
  return out;
}

function jsType(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  if (v instanceof Date) return "string";
  return typeof v === "object" ? "object" : typeof v;
}

function acceptsType(types: string[] | undefined, v: unknown): boolean {
  if (types === undefined) return true;
  const t = jsType(v);
  return types.includes(t) || (t === "integer" && types.includes("number"));
}

/** Overlays the upstream node `up` on the inferred node `inf` (the default value is `def`). */
function overlay(inf: JSONSchema, up: JSONSchema, mode: UpstreamMode, def: unknown): JSONSchema {
  if (up.anyOf || up.oneOf || up.allOf) {
    // Too rich to merge key by key: take it only where values.yaml says nothing (null default).
    if (isAny(inf)) return { ...cleanUpstream(up), ...(inf.description ? { description: inf.description } : {}) };
    return up.description && !inf.description ? { description: up.description, ...inf } : inf;
  }
  if (isAny(inf)) {
    const adopted = cleanUpstream(up);
    if (inf.description) adopted.description = inf.description;
    return adopted;
  }
  const out: JSONSchema = { ...inf };
  if (!out.description && typeof up.description === "string") out.description = up.description;
  const upTypes = typesOf(up);
  const infTypes = typesOf(inf);
  // Widen or narrow the type only where the upstream type still accepts the default.
  if (upTypes && infTypes && acceptsType(upTypes, def) && infTypes.every((t) => upTypes.includes(t) || (t === "number" && upTypes.includes("integer")))) {
    out.type = upTypes.length === 1 ? upTypes[0] : [...upTypes];
  }
  if (Array.isArray(up.enum) && (def === null || def === undefined || up.enum.includes(def))) out.enum = clone(up.enum);
  if (isObjectSchema(inf)) {
    const defObj = def !== null && typeof def === "object" ? (def as Record<string, unknown>) : {};
    const props: Record<string, JSONSchema> = {};
    for (const [k, v] of Object.entries(inf.properties ?? {})) {
      const u = up.properties?.[k];
      props[k] = u ? overlay(v, u, mode, defObj[k]) : v;
    }
    if (mode !== "values-first") {
      for (const [k, u] of Object.entries(up.properties ?? {})) if (!(k in props)) props[k] = cleanUpstream(u);
    }
    if (Object.keys(props).length > 0) out.properties = props;
    const infOpen = inf.additionalProperties !== false;
    if (infOpen && typeof up.additionalProperties === "object") out.additionalProperties = cleanUpstream(up.additionalProperties);
    if (infOpen && inf.properties === undefined && up.additionalProperties === false && mode !== "values-first") out.additionalProperties = false;
  }
  if (typesOf(inf)?.includes("array") && up.items && !Array.isArray(up.items)) {
    const first = Array.isArray(def) ? def[0] : undefined;
    out.items = inf.items ? overlay(inf.items, up.items, mode, first) : cleanUpstream(up.items);
  }
  return out;
}

/** `prefer`: the upstream schema is the base; values.yaml adds only keys it does not know. */
function preferUpstream(inf: JSONSchema, up: JSONSchema): JSONSchema {
  if (isAny(up)) return inf;
  const out = cleanUpstream(up);
  if (!out.description && inf.description) out.description = inf.description;
  if (inf.properties && (out.properties || isObjectSchema(out))) {
    const upProps = out.properties ?? {};
    const props: Record<string, JSONSchema> = {};
    // values.yaml order first, then keys only the upstream schema names.
    for (const [k, v] of Object.entries(inf.properties)) props[k] = upProps[k] ? preferUpstream(v, upProps[k]) : v;
    for (const [k, v] of Object.entries(upProps)) if (!(k in props)) props[k] = v;
    out.properties = props;
  }
  if (inf.items && out.items && !Array.isArray(out.items)) out.items = preferUpstream(inf.items, out.items);
  return out;
}

export function mergeUpstream(inferred: JSONSchema, upstreamRaw: JSONSchema, mode: UpstreamMode, defaults: unknown, origin: string): JSONSchema {
  const up = derefLocal(upstreamRaw, origin);
  if (mode === "prefer") return preferUpstream(inferred, up);
  return overlay(inferred, up, mode, defaults);
}

/** Value keywords of the shipped schema that are copied where our node has none (Helm enforces them). */
const CONSTRAINTS = ["pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "minItems", "maxItems", "multipleOf"] as const;

/** The types a node allows when that is all it says (`type`, or an anyOf/oneOf of bare `{type}`s); else undefined. */
function plainTypes(s: JSONSchema): string[] | undefined {
  const t = typesOf(s);
  if (t) return t;
  const alts = (s.anyOf ?? s.oneOf) as JSONSchema[] | undefined;
  if (!Array.isArray(alts) || alts.length === 0) return undefined;
  const out: string[] = [];
  for (const a of alts) {
    const at = typesOf(a);
    if (!at || Object.keys(a).some((k) => k !== "type" && k !== "description")) return undefined;
    out.push(...at);
  }
  return out;
}

function allows(types: readonly string[], t: string): boolean {
  return types.includes(t) || (t === "integer" && types.includes("number"));
}

/**
 * Narrows `ours` (inferred, merged and patched) so it accepts nothing the chart's shipped values.schema.json
 * refuses, since Helm validates every render against that file whatever our trust mode says: types are
 * intersected, enums and value constraints (pattern, bounds) carried over, keys the shipped schema closes out
 * (`additionalProperties: false`) dropped. Returns the narrowed schema and one line per narrowing that took
 * something away we had allowed (update-schemas prints them: a patch that contradicts the chart is a mistake).
 * A node where nothing would be left is an error: the values we type could never render.
 */
export function constrainToUpstream(ours: JSONSchema, upstreamRaw: JSONSchema, origin: string): { schema: JSONSchema; narrowed: string[] } {
  const up = derefLocal(upstreamRaw, origin);
  const narrowed: string[] = [];
  const walk = (o: JSONSchema, u: JSONSchema, path: string): JSONSchema => {
    const out: JSONSchema = { ...o };
    const uTypes = plainTypes(u);
    if (uTypes) {
      const oTypes = plainTypes(o);
      if (oTypes === undefined) {
        if (isAny(o)) out.type = uTypes.length === 1 ? uTypes[0] : [...uTypes];
      } else {
        const unique: string[] = [];
        for (const t of oTypes) {
          const k = allows(uTypes, t) ? t : t === "number" && uTypes.includes("integer") ? "integer" : undefined;
          if (k !== undefined && !unique.includes(k)) unique.push(k);
        }
        if (unique.length === 0) throw new Error(`${origin}: ${path || "/"}: our schema allows ${oTypes.join("|")}, the chart's values.schema.json only ${uTypes.join("|")}: nothing we type would render`);
        if (unique.length < oTypes.length || unique.some((t) => !oTypes.includes(t))) {
          narrowed.push(`${path || "/"}: ${oTypes.join("|")} → ${unique.join("|")} (the chart's values.schema.json allows ${uTypes.join("|")})`);
          delete out.anyOf;
          delete out.oneOf;
          out.type = unique.length === 1 ? unique[0] : unique;
          if (!unique.includes("string")) for (const k of ["pattern", "minLength", "maxLength", "format"]) delete out[k];
        }
      }
    }
    if (Array.isArray(u.enum)) {
      const prev = Array.isArray(out.enum) ? (out.enum as unknown[]) : undefined;
      const next = prev ? prev.filter((v) => (u.enum as unknown[]).some((x) => JSON.stringify(x) === JSON.stringify(v))) : clone(u.enum);
      if (prev && next.length < prev.length) narrowed.push(`${path || "/"}: enum narrowed to the chart's values.schema.json`);
      out.enum = next;
    }
    for (const k of CONSTRAINTS) if (u[k] !== undefined && out[k] === undefined) out[k] = clone(u[k]);
    if (out.properties && u.properties) {
      const props: Record<string, JSONSchema> = {};
      for (const [k, v] of Object.entries(out.properties)) {
        const uk = u.properties[k];
        if (uk) props[k] = walk(v, uk, `${path}/${k}`);
        else if (u.additionalProperties === false && !(u.patternProperties && Object.keys(u.patternProperties).some((re) => new RegExp(re, "u").test(k)))) {
          narrowed.push(`${path}/${k}: dropped (the chart's values.schema.json allows no such key)`);
        } else props[k] = v;
      }
      out.properties = props;
    }
    if (out.items && !Array.isArray(out.items) && u.items && !Array.isArray(u.items)) out.items = walk(out.items, u.items, `${path}[]`);
    return out;
  };
  return { schema: walk(ours, up, ""), narrowed };
}
