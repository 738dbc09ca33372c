// Infers a strict JSON Schema from a chart's values.yaml: types from the defaults, descriptions from
// helm-docs (`# -- text`) and Bitnami (`## @param a.b.c text`) comments.
import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from "yaml";
import { union, type JSONSchema } from "./_schema.js";

/**
 * Helm reads values.yaml as YAML 1.1 (`yes`/`on` are booleans, `0755` is octal); timestamps stay strings, as
 * they do after Helm's YAML → JSON conversion.
 */
export function parseValues(src: string, origin: string): Document {
  const doc = parseDocument(src, {
    version: "1.1",
    merge: true,
    uniqueKeys: false,
    customTags: (tags) => tags.filter((t) => typeof t === "string" || t.tag !== "tag:yaml.org,2002:timestamp"),
  });
  if (doc.errors.length > 0) throw new Error(`${origin}: ${doc.errors[0]?.message ?? "YAML error"}`);
  return doc;
}

interface BitnamiParam {
  text: string;
  modifiers: string[];
}

/** `## @param path [modifiers] text` lines, keyed by the full dotted path. */
export function bitnamiParams(src: string): Map<string, BitnamiParam> {
  const out = new Map<string, BitnamiParam>();
  for (const line of src.split("\n")) {
    const m = /^\s*##?\s*@param\s+(\S+)\s*(?:\[([^\]]*)\])?\s*(.*)$/.exec(line);
    if (!m || m[1] === undefined) continue;
    const modifiers = (m[2] ?? "").split(",").map((x) => x.trim()).filter((x) => x !== "");
    out.set(m[1], { text: (m[3] ?? "").trim(), modifiers });
  }
  return out;
}

interface HelmDoc {
  text: string;
  typeHint?: string;
}

/**
 * The helm-docs comment for the key starting at `line`: the last `# --` line in the contiguous comment block
 * right above the key, plus its continuation lines (up to the key or a `# @...` annotation line).
 */
export function helmDocAbove(lines: readonly string[], line: number): HelmDoc | undefined {
  let start = line;
  while (start > 0 && /^\s*#/.test(lines[start - 1] ?? "")) start--;
  let docLine = -1;
  for (let i = line - 1; i >= start; i--) {
    if (/^\s*#\s*--(\s|$)/.test(lines[i] ?? "")) {
      docLine = i;
      break;
    }
  }
  if (docLine === -1) return undefined;
  const first = /^\s*#\s*--\s?(.*)$/.exec(lines[docLine] ?? "")?.[1] ?? "";
  const parts = [first.trim()];
  for (let i = docLine + 1; i < line; i++) {
    const l = lines[i] ?? "";
    if (/^\s*#\s*@/.test(l)) break;
    parts.push((/^\s*#\s?(.*)$/.exec(l)?.[1] ?? "").trimEnd());
  }
  let text = parts.join("\n").trim();
  let typeHint: string | undefined;
  const hint = /^\(([a-z/]+)\)\s*/.exec(text);
  if (hint) {
    typeHint = hint[1];
    text = text.slice(hint[0].length);
  }
  return typeHint === undefined ? { text } : { text, typeHint };
}

const HINT_TYPES: Record<string, string> = {
  string: "string", int: "number", integer: "number", float: "number", number: "number", bool: "boolean",
  boolean: "boolean", list: "array", array: "array", object: "object", dict: "object", map: "object",
};

interface Ctx {
  doc: Document;
  lines: string[];
  lineStarts: number[];
  bitnami: Map<string, BitnamiParam>;
}

function lineOf(ctx: Ctx, offset: number): number {
  let lo = 0;
  let hi = ctx.lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((ctx.lineStarts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function inferNode(node: unknown, path: string, ctx: Ctx): JSONSchema {
  if (isAlias(node)) return inferNode(node.resolve(ctx.doc), path, ctx);
  if (isMap(node)) {
    if (node.items.length === 0) return { type: "object", additionalProperties: true };
    const properties: Record<string, JSONSchema> = {};
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      if (isScalar(keyNode) && typeof keyNode.value === "symbol") {
        // YAML merge key: the merged map's entries become this map's entries.
        const merged = inferNode(pair.value, path, ctx);
        for (const [k, v] of Object.entries(merged.properties ?? {})) properties[k] = properties[k] ? union(properties[k], v) : v;
        continue;
      }
      // Keys as Helm sees them after YAML 1.1 → JSON (an `on:` key is "true").
      const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
      const childPath = path === "" ? key : `${path}.${key}`;
      let child = inferNode(pair.value, childPath, ctx);
      const offset = isScalar(keyNode) ? keyNode.range?.[0] : undefined;
      const helmDoc = offset === undefined ? undefined : helmDocAbove(ctx.lines, lineOf(ctx, offset));
      const bitnami = ctx.bitnami.get(childPath);
      child = applyHints(child, pair.value, helmDoc, bitnami);
      // Later duplicates win, as in Helm.
      properties[key] = child;
    }
    return { type: "object", properties, additionalProperties: false };
  }
  if (isSeq(node)) {
    if (node.items.length === 0) return { type: "array" };
    let items: JSONSchema | undefined;
    for (const item of node.items) {
      const s = inferNode(item, `${path}[]`, ctx);
      items = items ? union(items, s) : s;
    }
    return items ? { type: "array", items } : { type: "array" };
  }
  if (isScalar(node)) {
    const v = node.value;
    if (v === null || v === undefined) return {};
    if (typeof v === "boolean") return { type: "boolean" };
    if (typeof v === "number" || typeof v === "bigint") return { type: "number" };
    return { type: "string" };
  }
  if (node === null || node === undefined) return {};
  throw new Error(`unsupported YAML node at ${path}`);
}

function isNullNode(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && (node.value === null || node.value === undefined));
}

function applyHints(s: JSONSchema, valueNode: unknown, helmDoc: HelmDoc | undefined, bitnami: BitnamiParam | undefined): JSONSchema {
  let out = s;
  const text = helmDoc?.text || bitnami?.text;
  if (text) out = { description: text, ...out };
  const hinted = helmDoc?.typeHint ? HINT_TYPES[helmDoc.typeHint] : undefined;
  const bitnamiType = bitnami?.modifiers.map((m) => HINT_TYPES[m]).find((t) => t !== undefined);
  const nullable = bitnami?.modifiers.includes("nullable") === true;
  if (isNullNode(valueNode)) {
    // A null default with a documented type: that type, or null to keep the chart's default.
    const t = hinted ?? bitnamiType;
    if (t === "object") out = { ...out, type: ["object", "null"], additionalProperties: true };
    else if (t !== undefined) out = { ...out, type: [t, "null"] };
  } else if (nullable && typeof out.type === "string") {
    out = { ...out, type: [out.type, "null"] };
  }
  return out;
}

/** The schema of a values.yaml: a closed object listing every key the defaults show. */
export function inferValuesSchema(src: string, origin: string): JSONSchema {
  const doc = parseValues(src, origin);
  const lines = src.split("\n");
  const lineStarts: number[] = [];
  let pos = 0;
  for (const l of lines) {
    lineStarts.push(pos);
    pos += l.length + 1;
  }
  const ctx: Ctx = { doc, lines, lineStarts, bitnami: bitnamiParams(src) };
  if (doc.contents === null || isNullNode(doc.contents)) return { type: "object", additionalProperties: false };
  const root = inferNode(doc.contents, "", ctx);
  if (root.type !== "object") throw new Error(`${origin}: values.yaml is not a map`);
  return root;
}
