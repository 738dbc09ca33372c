// JSON Schema helpers shared by update-schemas and codegen: the node type, union of shapes,
// deterministic serialisation and object counting.

export interface JSONSchema {
  $schema?: string;
  type?: string | string[];
  description?: string;
  properties?: Record<string, JSONSchema>;
  additionalProperties?: boolean | JSONSchema;
  items?: JSONSchema;
  anyOf?: JSONSchema[];
  oneOf?: JSONSchema[];
  allOf?: JSONSchema[];
  enum?: unknown[];
  tsType?: string;
  [keyword: string]: unknown;
}

export const DRAFT_07 = "http://json-schema.org/draft-07/schema#";

const KEYWORD_ORDER = [
  "$schema", "$id", "$ref", "type", "description", "tsType", "enum", "const", "default", "format", "pattern",
  "minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum", "minLength", "maxLength", "minItems", "maxItems",
  "uniqueItems", "minProperties", "maxProperties", "required", "properties", "patternProperties",
  "additionalProperties", "propertyNames", "items", "additionalItems", "contains", "anyOf", "oneOf", "allOf",
  "not", "if", "then", "else", "$defs", "definitions",
];
const SCHEMA_MAP_KEYWORDS = new Set(["properties", "patternProperties", "$defs", "definitions"]);
const SCHEMA_KEYWORDS = new Set(["additionalProperties", "items", "additionalItems", "contains", "not", "if", "then", "else", "propertyNames"]);
const SCHEMA_LIST_KEYWORDS = new Set(["anyOf", "oneOf", "allOf"]);

function keywordRank(k: string): number {
  const i = KEYWORD_ORDER.indexOf(k);
  return i === -1 ? KEYWORD_ORDER.length : i;
}

/** Copy of a schema with keywords in a fixed order; property maps keep their (values.yaml) order. */
export function canonical(s: JSONSchema | boolean): JSONSchema | boolean {
  if (typeof s === "boolean") return s;
  const keys = Object.keys(s).sort((a, b) => keywordRank(a) - keywordRank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const out: JSONSchema = {};
  for (const k of keys) {
    const v = s[k];
    if (SCHEMA_MAP_KEYWORDS.has(k)) {
      const m: Record<string, JSONSchema> = {};
      for (const [pk, pv] of Object.entries(v as Record<string, JSONSchema>)) m[pk] = canonical(pv) as JSONSchema;
      out[k] = m;
    } else if (SCHEMA_KEYWORDS.has(k) && v !== null && typeof v === "object" && !Array.isArray(v)) {
      out[k] = canonical(v as JSONSchema);
    } else if (SCHEMA_KEYWORDS.has(k) && Array.isArray(v)) {
      out[k] = v.map((x) => canonical(x as JSONSchema));
    } else if (SCHEMA_LIST_KEYWORDS.has(k)) {
      out[k] = (v as JSONSchema[]).map((x) => canonical(x));
    } else {
      out[k] = v;
    }
  }
  return out;
}

/** 2-space JSON with a trailing newline. */
export function serialize(s: JSONSchema): string {
  return `${JSON.stringify(canonical(s), null, 2)}\n`;
}

export function clone<T>(v: T): T {
  return structuredClone(v);
}

export function typesOf(s: JSONSchema): string[] | undefined {
  if (s.type === undefined) return undefined;
  return Array.isArray(s.type) ? s.type : [s.type];
}

export function isObjectSchema(s: JSONSchema): boolean {
  return typesOf(s)?.includes("object") === true || s.properties !== undefined;
}

/** `{}` (any value) — what a `null` default infers to. */
export function isAny(s: JSONSchema): boolean {
  return Object.keys(s).filter((k) => k !== "description").length === 0;
}

function hasStructure(s: JSONSchema): boolean {
  return s.properties !== undefined || s.items !== undefined || s.anyOf !== undefined || typeof s.additionalProperties === "object";
}

/**
 * Union of two inferred shapes: what a value matching either may look like. Objects merge their properties
 * (closed only when both are closed), arrays merge item shapes, differing scalars become a type list, and a
 * structured shape next to a different type becomes `anyOf`.
 */
export function union(a: JSONSchema, b: JSONSchema): JSONSchema {
  const description = a.description ?? b.description;
  const withDesc = (s: JSONSchema): JSONSchema => (description === undefined ? s : { ...s, description });
  if (isAny(a) || isAny(b)) return withDesc({});
  const ta = typesOf(a);
  const tb = typesOf(b);
  if (ta?.length === 1 && tb?.length === 1 && ta[0] === tb[0]) {
    const t = ta[0];
    if (t === "object") {
      const props: Record<string, JSONSchema> = {};
      for (const [k, v] of Object.entries(a.properties ?? {})) props[k] = v;
      for (const [k, v] of Object.entries(b.properties ?? {})) props[k] = props[k] ? union(props[k], v) : v;
      const out: JSONSchema = { type: "object" };
      if (Object.keys(props).length > 0) out.properties = props;
      const closed = a.additionalProperties === false && b.additionalProperties === false;
      if (closed) out.additionalProperties = false;
      else if (typeof a.additionalProperties === "object" && typeof b.additionalProperties === "object")
        out.additionalProperties = union(a.additionalProperties, b.additionalProperties);
      else if (typeof a.additionalProperties === "object" && b.additionalProperties === false) out.additionalProperties = a.additionalProperties;
      else if (typeof b.additionalProperties === "object" && a.additionalProperties === false) out.additionalProperties = b.additionalProperties;
      else out.additionalProperties = true;
      return withDesc(out);
    }
    if (t === "array") {
      const out: JSONSchema = { type: "array" };
      if (a.items && b.items) out.items = union(a.items, b.items);
      return withDesc(out);
    }
    const out: JSONSchema = { ...a };
    if (a.enum && b.enum) out.enum = [...new Set([...a.enum, ...b.enum])];
    else delete out.enum;
    return withDesc(out);
  }
  if (ta && tb && !hasStructure(a) && !hasStructure(b) && !a.enum && !b.enum) {
    return withDesc({ type: [...new Set([...ta, ...tb])] });
  }
  const strip = (s: JSONSchema): JSONSchema => {
    const { description: _d, ...rest } = s;
    return rest;
  };
  const branches = [...(a.anyOf ?? [strip(a)]), ...(b.anyOf ?? [strip(b)])];
  return withDesc({ anyOf: branches });
}

export interface ObjectCounts {
  closed: number;
  open: number;
}

/** Counts object nodes: closed = `additionalProperties: false`, open = any other object node. */
export function countObjects(s: JSONSchema | boolean, acc: ObjectCounts = { closed: 0, open: 0 }): ObjectCounts {
  if (typeof s === "boolean") return acc;
  if (isObjectSchema(s)) {
    if (s.additionalProperties === false) acc.closed++;
    else acc.open++;
  }
  for (const v of Object.values(s.properties ?? {})) countObjects(v, acc);
  if (typeof s.additionalProperties === "object") countObjects(s.additionalProperties, acc);
  if (s.items) countObjects(s.items, acc);
  for (const k of ["anyOf", "oneOf", "allOf"] as const) for (const v of s[k] ?? []) countObjects(v, acc);
  return acc;
}

/** Removes `title` keywords (json-schema-to-typescript would turn each into a named, exported type). */
export function stripTitles(s: JSONSchema): JSONSchema {
  const out: JSONSchema = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === "title") continue;
    if (SCHEMA_MAP_KEYWORDS.has(k)) {
      out[k] = Object.fromEntries(Object.entries(v as Record<string, JSONSchema>).map(([pk, pv]) => [pk, stripTitles(pv)]));
    } else if ((SCHEMA_KEYWORDS.has(k) || SCHEMA_LIST_KEYWORDS.has(k)) && v !== null && typeof v === "object") {
      out[k] = Array.isArray(v) ? v.map((x: JSONSchema | boolean) => (typeof x === "boolean" ? x : stripTitles(x))) : stripTitles(v as JSONSchema);
    } else {
      out[k] = v;
    }
  }
  return out;
}
