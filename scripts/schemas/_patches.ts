// Reviewed schema patches: `schemas/patches/<chart>.yaml`, a YAML list of { path, reason, mode, schema }.
import { parse } from "yaml";
import { clone, type JSONSchema } from "./_schema.js";

export interface Patch {
  /** Segments; `[]` steps into array items. */
  path: string[];
  reason: string;
  mode: "merge" | "replace";
  schema: JSONSchema;
}

const ENTRY_KEYS = new Set(["path", "reason", "mode", "schema"]);

/** `a.b[].c` → ["a", "b", "[]", "c"]; an array of segments is taken as is (a `x[]` segment also steps into items). */
export function splitPath(path: string | readonly string[]): string[] {
  const raw = typeof path === "string" ? path.split(".") : [...path];
  const out: string[] = [];
  for (const seg of raw) {
    let s = seg;
    const tail: string[] = [];
    while (s.endsWith("[]") && s !== "[]") {
      s = s.slice(0, -2);
      tail.push("[]");
    }
    out.push(s, ...tail);
  }
  return out;
}

export function formatPath(segs: readonly string[]): string {
  let out = "";
  for (const s of segs) {
    if (s === "[]") out += "[]";
    else out += out === "" ? s : `.${s}`;
  }
  return out === "" ? "(root)" : out;
}

/** Parses and checks a patch file; errors name the file and the entry index. */
export function parsePatches(text: string, file: string): Patch[] {
  const doc: unknown = parse(text);
  if (doc === null || doc === undefined) return [];
  if (!Array.isArray(doc)) throw new Error(`${file}: expected a YAML list of patch entries`);
  return doc.map((e: unknown, i): Patch => {
    const where = `${file}[${i}]`;
    if (e === null || typeof e !== "object" || Array.isArray(e)) throw new Error(`${where}: expected a map with path, reason, mode, schema`);
    const o = e as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!ENTRY_KEYS.has(k)) throw new Error(`${where}: unknown field "${k}"`);
    if (typeof o.reason !== "string" || o.reason.trim() === "") throw new Error(`${where}: missing a non-empty "reason"`);
    const p = o.path;
    const okPath = (typeof p === "string" && p !== "") || (Array.isArray(p) && p.length > 0 && p.every((s) => typeof s === "string" && s !== ""));
    if (!okPath) throw new Error(`${where}: "path" must be a dotted string or a list of segments`);
    const mode = o.mode ?? "merge";
    if (mode !== "merge" && mode !== "replace") throw new Error(`${where}: "mode" must be merge or replace, not ${JSON.stringify(mode)}`);
    if (o.schema === null || typeof o.schema !== "object" || Array.isArray(o.schema)) throw new Error(`${where}: "schema" must be a map (a JSON Schema fragment)`);
    return { path: splitPath(p as string | string[]), reason: o.reason, mode, schema: o.schema as JSONSchema };
  });
}

const MAP_KEYWORDS = new Set(["properties", "patternProperties"]);

/** Deep merge of a schema fragment into a node: property maps merge key by key, everything else is replaced. */
export function deepMerge(base: JSONSchema, frag: JSONSchema): JSONSchema {
  const out: JSONSchema = { ...base };
  for (const [k, v] of Object.entries(frag)) {
    const b = base[k];
    if (MAP_KEYWORDS.has(k) && b && typeof b === "object") {
      const m: Record<string, JSONSchema> = { ...(b as Record<string, JSONSchema>) };
      for (const [pk, pv] of Object.entries(v as Record<string, JSONSchema>)) m[pk] = m[pk] ? deepMerge(m[pk], pv) : clone(pv);
      out[k] = m;
    } else if ((k === "items" || k === "additionalProperties") && b && typeof b === "object" && v && typeof v === "object") {
      out[k] = deepMerge(b as JSONSchema, v as JSONSchema);
    } else {
      out[k] = clone(v);
    }
  }
  return out;
}

/** Applies patches in order to a copy of `root`. */
export function applyPatches(root: JSONSchema, patches: readonly Patch[], file: string): JSONSchema {
  let out = clone(root);
  patches.forEach((p, i) => {
    out = applyPatch(out, p, `${file}[${i}]`);
  });
  return out;
}

/** Applies one patch (`where` names it in errors) to `root`, returning a new schema. */
export function applyPatch(root: JSONSchema, p: Patch, where: string): JSONSchema {
  const set = (node: JSONSchema, segs: string[], depth: number): JSONSchema => {
    if (segs.length === 0) return p.mode === "replace" ? clone(p.schema) : deepMerge(node, p.schema);
    const [seg, ...rest] = segs as [string, ...string[]];
    const here = formatPath(p.path.slice(0, depth));
    if (seg === "[]") {
      if (node.items === undefined || Array.isArray(node.items)) {
        if (rest.length === 0 && (node.type === "array" || (Array.isArray(node.type) && node.type.includes("array")))) {
          return { ...node, items: set({}, rest, depth + 1) };
        }
        throw new Error(`${where}: path "${formatPath(p.path)}" not found: ${here} has no array items`);
      }
      return { ...node, items: set(node.items, rest, depth + 1) };
    }
    const child = node.properties?.[seg];
    if (child === undefined) {
      const isObject = node.type === "object" || (Array.isArray(node.type) && node.type.includes("object")) || node.properties !== undefined;
      if (rest.length === 0 && isObject) {
        return { ...node, properties: { ...(node.properties ?? {}), [seg]: clone(p.schema) } };
      }
      throw new Error(`${where}: path "${formatPath(p.path)}" not found: no "${seg}" under ${here}`);
    }
    return { ...node, properties: { ...node.properties, [seg]: set(child, rest, depth + 1) } };
  };
  return set(root, p.path, 0);
}
