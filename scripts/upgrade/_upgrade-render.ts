// The upgrade report's rendered-manifest diff: both versions rendered with our values (scripts/upgrade/_upgrade-helm.ts),
// objects matched by kind/namespace/name, then added, removed and changed (with the changed field paths).
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { parseAllDocuments } from "yaml";
import { diffLines } from "diff";
import { isMap, showPath } from "./_upgrade-values.js";

export interface ManifestDiff {
  old: string;
  new: string;
  objects: { old: number; new: number };
  added: string[];
  removed: string[];
  /** Changed objects with their changed paths (at most MAX_PATHS listed; `pathCount` is the total). */
  changed: { object: string; pathCount: number; paths: string[] }[];
}

export const MAX_PATHS = 40;

/** Labels that carry the chart or app version: they change on every upgrade and are left out of the diff. */
export const IGNORED_LABELS = ["helm.sh/chart", "app.kubernetes.io/version", "chart"];

/** The first `<dir>/<chart>-<version>/` with a templates/ folder: a complete chart Helm can render. */
export function findCompleteChart(dirs: readonly string[], chart: string, version: string): string | undefined {
  for (const d of dirs) {
    const p = join(d, `${chart}-${version}`);
    if (existsSync(join(p, "templates")) && statSync(join(p, "templates")).isDirectory()) return p;
  }
  return undefined;
}

function objectId(o: Record<string, unknown>): string | undefined {
  const meta = o.metadata as Record<string, unknown> | undefined;
  if (typeof o.kind !== "string" || typeof meta?.name !== "string") return undefined;
  return `${o.kind} ${typeof meta.namespace === "string" ? `${meta.namespace}/` : ""}${meta.name}`;
}

export function parseManifests(text: string): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const doc of parseAllDocuments(text)) {
    const o = doc.toJS() as unknown;
    if (o === null || typeof o !== "object" || Array.isArray(o)) continue;
    const id = objectId(o as Record<string, unknown>);
    if (id) out.set(id, o as Record<string, unknown>);
  }
  return out;
}

function ignored(path: readonly string[]): boolean {
  const last = path[path.length - 1] ?? "";
  return path[path.length - 2] === "labels" && IGNORED_LABELS.includes(last);
}

/** Leaves of a manifest: maps descended, lists too (elements keyed `[name]` when every one has a name, else `[i]`). */
function manifestLeaves(v: unknown, path: string[] = [], out: { path: string[]; value: unknown }[] = []): { path: string[]; value: unknown }[] {
  if (isMap(v) && Object.keys(v).length > 0) {
    for (const [k, c] of Object.entries(v)) manifestLeaves(c, [...path, k], out);
  } else if (Array.isArray(v) && v.length > 0) {
    const named = v.every((e) => isMap(e) && typeof e.name === "string");
    v.forEach((e, i) => manifestLeaves(e, [...path, named ? `[${String((e as Record<string, unknown>).name)}]` : `[${i}]`], out));
  } else if (path.length > 0) {
    out.push({ path, value: v });
  }
  return out;
}

function showManifestPath(path: readonly string[]): string {
  return path.reduce((acc, seg) => (seg.startsWith("[") ? `${acc}${seg}` : acc === "" ? showPath([seg]) : `${acc}.${showPath([seg])}`), "");
}

function lineCounts(a: string, b: string): string {
  let plus = 0;
  let minus = 0;
  for (const part of diffLines(a, b)) {
    if (part.added) plus += part.count ?? 0;
    else if (part.removed) minus += part.count ?? 0;
  }
  return ` (+${plus}/-${minus} lines)`;
}

/** Leaf paths whose values differ (a multi-line string with its line counts), version labels left out. */
export function changedPaths(a: unknown, b: unknown): string[] {
  const index = (v: unknown) => new Map(manifestLeaves(v).map((l) => [JSON.stringify(l.path), l]));
  const ia = index(a);
  const ib = index(b);
  const prefixes = (m: Map<string, { path: string[] }>) => {
    const set = new Set<string>();
    for (const l of m.values()) for (let i = 1; i <= l.path.length; i++) set.add(JSON.stringify(l.path.slice(0, i)));
    return set;
  };
  const pa = prefixes(ia);
  const pb = prefixes(ib);
  // The whole subtree is new (or gone): name its top once.
  const top = (path: string[], other: Set<string>) => {
    for (let i = 1; i <= path.length; i++) if (!other.has(JSON.stringify(path.slice(0, i)))) return path.slice(0, i);
    return path;
  };
  const out = new Set<string>();
  for (const [k, l] of ib) {
    if (ignored(l.path)) continue;
    const before = ia.get(k);
    if (!before) out.add(`${showManifestPath(top(l.path, pa))} (new)`);
    else if (!isDeepStrictEqual(before.value, l.value)) {
      const multi = typeof before.value === "string" && typeof l.value === "string" && (before.value.includes("\n") || l.value.includes("\n"));
      out.add(`${showManifestPath(l.path)}${multi ? lineCounts(before.value as string, l.value as string) : ""}`);
    }
  }
  for (const [k, l] of ia) if (!ignored(l.path) && !ib.has(k)) out.add(`${showManifestPath(top(l.path, pb))} (gone)`);
  return [...out].sort();
}

const byKindName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function diffManifests(oldText: string, newText: string, oldDir: string, newDir: string): ManifestDiff {
  const o = parseManifests(oldText);
  const n = parseManifests(newText);
  const changed: ManifestDiff["changed"] = [];
  for (const [id, obj] of n) {
    const before = o.get(id);
    if (!before) continue;
    const paths = changedPaths(before, obj);
    if (paths.length > 0) changed.push({ object: id, pathCount: paths.length, paths: paths.slice(0, MAX_PATHS) });
  }
  return {
    old: oldDir,
    new: newDir,
    objects: { old: o.size, new: n.size },
    added: [...n.keys()].filter((k) => !o.has(k)).sort(byKindName),
    removed: [...o.keys()].filter((k) => !n.has(k)).sort(byKindName),
    changed: changed.sort((a, b) => byKindName(a.object, b.object)),
  };
}
