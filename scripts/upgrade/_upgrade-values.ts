// The upgrade report's values comparison: what we set against the target schema (breaks), and the chart
// defaults that moved under keys we leave alone.
import { isDeepStrictEqual } from "node:util";
import { diffLines } from "diff";
import { newAjv, usesFormat } from "../schemas/_ajv.js";
import { formatPath } from "../schemas/_patches.js";
import { typesOf, type JSONSchema } from "../schemas/_schema.js";

export type Path = readonly string[];

export function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Leaves of a values object: scalars, lists and empty maps (maps are descended into, lists are not). */
export function leaves(v: unknown, path: string[] = [], out: { path: string[]; value: unknown }[] = []): { path: string[]; value: unknown }[] {
  if (isMap(v) && Object.keys(v).length > 0) {
    for (const [k, c] of Object.entries(v)) leaves(c, [...path, k], out);
  } else if (path.length > 0) {
    out.push({ path, value: v });
  }
  return out;
}

export function at(v: unknown, path: Path): unknown {
  let cur = v;
  for (const k of path) {
    if (!isMap(cur) || !Object.hasOwn(cur, k)) return undefined;
    cur = cur[k];
  }
  return cur;
}

export function showPath(path: Path): string {
  return formatPath(path.map((k) => (/^[\w-]+$/.test(k) ? k : `"${k}"`)));
}

export function jsType(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v === "object" ? "object" : typeof v;
}

function branches(s: JSONSchema): JSONSchema[] {
  const alts = s.anyOf ?? s.oneOf;
  return alts ? alts : [s];
}

/** The types a node accepts (undefined = any), across anyOf/oneOf branches. */
export function nodeTypes(s: JSONSchema): string[] | undefined {
  const out = new Set<string>();
  for (const b of branches(s)) {
    const t = typesOf(b) ?? (b.properties ? ["object"] : b.items ? ["array"] : b.enum ? [...new Set(b.enum.map(jsType))] : undefined);
    if (t === undefined) return undefined;
    for (const x of t) out.add(x);
  }
  return [...out].sort();
}

function accepts(types: string[] | undefined, v: unknown): boolean {
  if (types === undefined) return true;
  const t = jsType(v);
  return types.includes(t) || (t === "integer" && types.includes("number"));
}

export type Resolved =
  | { kind: "node"; node: JSONSchema }
  | { kind: "open"; depth: number }
  | { kind: "removed"; depth: number }
  | { kind: "retyped"; depth: number; types: string[] };

/** Walks the schema along `path`: the node there, or where the walk stopped and why. */
export function resolve(schema: JSONSchema, path: Path): Resolved {
  let node = schema;
  for (const [i, seg] of path.entries()) {
    const alts = branches(node);
    const withProp = alts.find((b) => b.properties && Object.hasOwn(b.properties, seg));
    if (withProp) {
      node = (withProp.properties as Record<string, JSONSchema>)[seg] as JSONSchema;
      continue;
    }
    const objectAlts = alts.filter((b) => {
      const t = typesOf(b);
      return t === undefined || t.includes("object") || b.properties !== undefined;
    });
    if (objectAlts.length === 0) return { kind: "retyped", depth: i, types: nodeTypes(node) ?? [] };
    const mapAlt = objectAlts.find((b) => typeof b.additionalProperties === "object");
    if (mapAlt) {
      node = mapAlt.additionalProperties as JSONSchema;
      continue;
    }
    if (objectAlts.every((b) => b.additionalProperties === false)) return { kind: "removed", depth: i };
    return { kind: "open", depth: i };
  }
  return { kind: "node", node };
}

export type BreakKind = "removed" | "parent retyped" | "type changed" | "rejected";

export interface ValueFinding {
  path: string;
  segments: string[];
  kind: BreakKind | "type changed (still fits)";
  value: unknown;
  detail: string;
}

function showTypes(t: string[] | undefined): string {
  return t === undefined ? "any" : t.join(" | ");
}

function short(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? "undefined" : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

const compiled = new WeakMap<JSONSchema, ReturnType<ReturnType<typeof newAjv>["compile"]>>();

function ajvErrors(schema: JSONSchema, values: unknown): AjvError[] {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = newAjv(usesFormat(schema)).compile(schema);
    compiled.set(schema, validate);
  }
  return validate(values) ? [] : ((validate.errors ?? []) as AjvError[]);
}

function pointerPath(p: string): string[] {
  return p === "" ? [] : p.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

const STRUCTURAL = new Set(["additionalProperties", "type", "anyOf", "oneOf", "if", "then", "else", "not", "allOf", "false schema"]);

/**
 * Every value we set, checked against the old and the new schema: removed keys (a closed parent no longer
 * lists them), parents that are no longer objects, leaves whose type changed, and values the new schema's
 * constraints (enum, const, pattern, bounds, required, conditionals) reject although the old one took them.
 */
export function compareValues(values: Record<string, unknown>, oldSchema: JSONSchema, newSchema: JSONSchema): { findings: ValueFinding[]; checked: number; unchecked: number } {
  const out: ValueFinding[] = [];
  let checked = 0;
  let unchecked = 0;
  const broken: string[][] = [];
  for (const { path, value } of leaves(values)) {
    const n = resolve(newSchema, path);
    const o = resolve(oldSchema, path);
    if (n.kind === "removed" || n.kind === "retyped") {
      const p = path.slice(0, n.depth + 1);
      if (broken.some((b) => b.length <= p.length && b.every((k, i) => p[i] === k))) continue;
      broken.push(p);
      if (n.kind === "removed") {
        out.push({ path: showPath(p), segments: p, kind: "removed", value: at(values, p), detail: `${showPath(path.slice(0, n.depth)) === "(root)" ? "the top level" : showPath(path.slice(0, n.depth))} no longer has a key "${path[n.depth]}"` });
      } else {
        const parent = path.slice(0, n.depth);
        const oldParent = resolve(oldSchema, parent);
        const was = oldParent.kind === "node" ? showTypes(nodeTypes(oldParent.node)) : "object";
        out.push({ path: showPath(parent), segments: parent, kind: "parent retyped", value: at(values, parent), detail: `was ${was}, now ${showTypes(n.types)}: the keys we set under it are no longer read` });
      }
      continue;
    }
    if (n.kind === "open") {
      unchecked++;
      continue;
    }
    checked++;
    const nt = nodeTypes(n.node);
    const ot = o.kind === "node" ? nodeTypes(o.node) : undefined;
    if (!accepts(nt, value)) {
      out.push({ path: showPath(path), segments: path, kind: "type changed", value, detail: `was ${showTypes(ot)}, now ${showTypes(nt)}; we set ${jsType(value)} ${short(value)}` });
    } else if (o.kind === "node" && showTypes(ot) !== showTypes(nt)) {
      out.push({ path: showPath(path), segments: path, kind: "type changed (still fits)", value, detail: `was ${showTypes(ot)}, now ${showTypes(nt)}; our ${jsType(value)} ${short(value)} still fits` });
    }
  }
  // Constraints: ajv errors of the new schema that the old one did not have, outside the paths reported above.
  const key = (e: AjvError) => `${e.instancePath} ${e.keyword} ${e.message ?? ""}`;
  const before = new Set(ajvErrors(oldSchema, values).map(key));
  const seen = new Set<string>();
  for (const e of ajvErrors(newSchema, values)) {
    if (before.has(key(e)) || STRUCTURAL.has(e.keyword)) continue;
    const p = pointerPath(e.instancePath);
    if (broken.some((b) => b.length <= p.length && b.every((k, i) => p[i] === k))) continue;
    const allowed = e.keyword === "enum" ? ` (allowed: ${(e.params.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(", ")})` : "";
    const detail = `${e.message ?? e.keyword}${allowed}`;
    const id = `${e.instancePath} ${detail}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ path: showPath(p), segments: p, kind: "rejected", value: at(values, p), detail: `${e.keyword}: ${detail}` });
  }
  return { findings: out, checked, unchecked };
}

/** Problems the chart's own defaults have against a schema (the `required` keyword set aside, as update-schemas does). */
export function defaultsProblems(schema: JSONSchema, defaults: unknown): string[] {
  return ajvErrors(schema, defaults)
    .filter((e) => e.keyword !== "required" && !["anyOf", "oneOf", "if"].includes(e.keyword))
    .map((e) => `${showPath(pointerPath(e.instancePath))}: ${e.message ?? e.keyword}${e.keyword === "enum" ? ` (allowed: ${(e.params.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(", ")})` : ""}; the default is ${short(at(defaults, pointerPath(e.instancePath)))}`);
}

export interface DefaultChange {
  path: string;
  rank: number;
  category: string;
  old: unknown;
  new: unknown;
  /** For multi-line strings (config templates): the lines the target removes and adds. */
  lines?: { removed: string[]; added: string[] };
}

function lineChanges(a: string, b: string): { removed: string[]; added: string[] } {
  const out = { removed: [] as string[], added: [] as string[] };
  for (const part of diffLines(a, b)) {
    const ls = part.value.replace(/\n$/, "").split("\n");
    if (part.removed) out.removed.push(...ls);
    else if (part.added) out.added.push(...ls);
  }
  return out;
}

/** Consequence classes, in report order: the first pattern that matches a path (lower-cased) wins. */
export const CATEGORIES: readonly [string, RegExp][] = [
  ["image / version", /(^|\.)([a-z_]*images?|tag|digest|registry|repository|version|appversion)(\.|$)/],
  ["persistence / retention", /persist|storage|retention|volumeclaim|pvc|(^|\.)size$/],
  ["replicas", /replica/],
  ["enabled", /(^|\.)enabled$/],
  ["security context", /securitycontext|runasuser|runasgroup|runasnonroot|capabilit|privileged|readonlyrootfilesystem|fsgroup|hostusers|seccomp/],
  ["ports", /(^|\.)[a-z_]*ports?(\.|$)/],
];

export function categorise(path: string): { rank: number; category: string } {
  const p = path.toLowerCase();
  for (const [i, [name, re]] of CATEGORIES.entries()) if (re.test(p)) return { rank: i, category: name };
  return { rank: CATEGORIES.length, category: "other" };
}

export interface AddedDefault {
  path: string;
  rank: number;
  category: string;
  new: unknown;
}

export interface DefaultsDiff {
  changed: DefaultChange[];
  /** Keys the target adds (outside what we set and deploy), consequential classes first. */
  added: AddedDefault[];
  removed: string[];
  /** Changed defaults left out: under keys we set, or in parts of the chart we do not deploy. */
  skippedSetByUs: number;
  skippedNotDeployed: number;
}

const SKIP_RULE = "a subtree is not deployed when its `enabled` (our value, else the target default) is false, or its `replicas` is 0";
export const NOT_DEPLOYED_RULE = SKIP_RULE;

/**
 * Defaults that differ between the two versions at paths we do not set (neither the path, an ancestor nor a
 * descendant), outside parts we do not deploy; consequential classes first, then by path.
 */
export function diffDefaults(oldDefaults: unknown, newDefaults: unknown, ours: Record<string, unknown>): DefaultsDiff {
  const index = (v: unknown) => new Map(leaves(v).map((l) => [JSON.stringify(l.path), l]));
  const o = index(oldDefaults);
  const n = index(newDefaults);
  const ourLeaves = leaves(ours).map((l) => l.path);
  const setByUs = (p: string[]) => ourLeaves.some((q) => (q.length <= p.length ? q.every((k, i) => p[i] === k) : p.every((k, i) => q[i] === k)));
  const effective = (p: string[]) => {
    const mine = at(ours, p);
    return mine !== undefined ? mine : at(newDefaults, p) !== undefined ? at(newDefaults, p) : at(oldDefaults, p);
  };
  const deployed = (p: string[]) => {
    for (let i = 1; i < p.length; i++) {
      const pre = p.slice(0, i);
      if (effective([...pre, "enabled"]) === false || effective([...pre, "replicas"]) === 0) return false;
    }
    return true;
  };
  const out: DefaultsDiff = { changed: [], added: [], removed: [], skippedSetByUs: 0, skippedNotDeployed: 0 };
  for (const [k, l] of n) {
    const before = o.get(k);
    if (!before) {
      if (!setByUs(l.path) && deployed(l.path)) {
        const path = showPath(l.path);
        out.added.push({ path, ...categorise(path), new: l.value });
      }
      continue;
    }
    if (isDeepStrictEqual(before.value, l.value)) continue;
    if (setByUs(l.path)) {
      out.skippedSetByUs++;
      continue;
    }
    if (!deployed(l.path)) {
      out.skippedNotDeployed++;
      continue;
    }
    const path = showPath(l.path);
    const multi = typeof before.value === "string" && typeof l.value === "string" && (before.value.includes("\n") || l.value.includes("\n"));
    out.changed.push({ path, ...categorise(path), old: before.value, new: l.value, ...(multi ? { lines: lineChanges(before.value as string, l.value as string) } : {}) });
  }
  for (const [k, l] of o) if (!n.has(k) && !setByUs(l.path) && deployed(l.path)) out.removed.push(showPath(l.path));
  out.changed.sort((a, b) => a.rank - b.rank || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  out.added.sort((a, b) => a.rank - b.rank || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  out.removed.sort();
  return out;
}
