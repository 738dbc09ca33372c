// Where in our builders a value is set, found by scanning the builder sources (object literals in
// packages/*/src): the leaf key as a property name, scored by how many of its parents enclose it.
// This is a text scan, not an instrumented run: values computed by spreading or by a helper that builds
// the key elsewhere are matched on their leaf key only, and the report says how much of the path matched.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

export interface SourceFile {
  /** Repo-relative path. */
  file: string;
  lines: string[];
}

export interface Location {
  file: string;
  line: number;
  /** How many of the path's segments (the leaf and its nearest parents) the enclosing literals spell. */
  matched: number;
  of: number;
  /** Set when the path was followed through a spread or a reference to a constant (`a: { ...SIZES.b }`). */
  via?: string;
  /** Set when only this parent of the path was found (the key itself is computed, e.g. `[LABEL]: v`). */
  parentOnly?: string;
}

export function builderSources(root: string, dirs: readonly string[]): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(".ts") && !name.endsWith(".d.ts")) out.push({ file: relative(root, p), lines: readFileSync(p, "utf8").split("\n") });
    }
  };
  for (const d of dirs) walk(join(root, d));
  return out;
}

const KEY = /(?:^|[\s{,(])(?:"((?:[^"\\]|\\.)+)"|'((?:[^'\\]|\\.)+)'|([A-Za-z_$][\w$]*))\s*:(?!:)/g;

function keysOn(line: string): { key: string; index: number }[] {
  const code = line.replace(/\/\/.*$/, "");
  const out: { key: string; index: number }[] = [];
  for (const m of code.matchAll(KEY)) out.push({ key: m[1] ?? m[2] ?? m[3] ?? "", index: m.index ?? 0 });
  return out;
}

/** A declaration that names the literal below it: `const NAME = ...`, `function NAME(`. */
const DECL = /(?:^|[\s;])(?:export\s+)?(?:(?:const|let|var)\s+([A-Za-z_$][\w$]*)\b[^=]*=(?!=)|function\s+([A-Za-z_$][\w$]*)\s*[<(])/;

function declName(text: string): string | undefined {
  const m = DECL.exec(text);
  return m ? (m[1] ?? m[2]) : undefined;
}

function indentOf(line: string): number {
  return /^\s*/.exec(line)?.[0].length ?? 0;
}

/** The keys enclosing position `col` of line `i`: same-line keys before it, then enclosing lines above. */
function ancestors(lines: readonly string[], i: number, col: number): string[] {
  const out: string[] = [];
  const line = lines[i] ?? "";
  // Same line: `a: { b: { leaf: 1 } }` — keys before the leaf whose value opens a brace not yet closed.
  const before = line.slice(0, col);
  const decl = DECL.exec(before);
  // On a declaration line (`const f = (size: string) => ({ leaf`), only what follows the declaration counts.
  const from = decl ? Math.max(before.lastIndexOf("=>") + 2, decl.index + decl[0].length) : 0;
  const same = keysOn(before).filter((k) => k.index >= from).reverse();
  for (const k of same) {
    const rest = before.slice(k.index);
    const opens = (rest.match(/\{/g) ?? []).length - (rest.match(/\}/g) ?? []).length;
    if (opens > 0) out.push(k.key);
  }
  const sameLineDecl = declName(before);
  if (sameLineDecl) {
    out.push(sameLineDecl);
    return out;
  }
  let indent = indentOf(line);
  for (let j = i - 1; j >= 0 && indent > 0; j--) {
    const l = lines[j] ?? "";
    if (l.trim() === "" || /^\s*(\/\/|\*|\/\*)/.test(l)) continue;
    const ind = indentOf(l);
    if (ind >= indent) continue;
    indent = ind;
    const decl = declName(l);
    if (decl) {
      out.push(decl);
      break;
    }
    if (/^\s*return\b/.test(l)) continue;
    const ks = keysOn(l);
    const last = ks[ks.length - 1];
    if (!last || !/[{[]\s*(\/\/.*)?$/.test(l)) break;
    out.push(last.key);
  }
  return out;
}

/**
 * The best match for a values path among the sources: the leaf key as a property name whose enclosing
 * literals spell the most of its parents (nearest first). `preferred` files win ties.
 */
export function locate(sources: readonly SourceFile[], path: readonly string[], preferred: (file: string) => boolean = () => false): Location | undefined {
  const best = scan(sources, path, preferred);
  if (best && best.matched === best.of) return best;
  // A parent set from a constant or a helper (`chunksCache: { ...CACHE_SIZING.chunks }`, `storage: claim(…)`):
  // follow it once, to the literal the constant or function spells (same file first).
  for (let i = path.length - 2; i >= 0; i--) {
    const parent = scan(sources, path.slice(0, i + 1), preferred);
    if (!parent || parent.matched !== parent.of) continue;
    const src = sources.find((f) => f.file === parent.file);
    const key = (path[i] as string).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const ref = new RegExp(`${key}["']?\\s*:\\s*(?:\\{\\s*\\.\\.\\.)?([A-Za-z_$][\\w$]*(?:\\.[A-Za-z_$][\\w$]*)*)`).exec(src?.lines[parent.line - 1] ?? "")?.[1];
    if (!src || !ref) continue;
    const target = scan(sources, [...ref.split("."), ...path.slice(i + 1)], (f) => f === parent.file);
    if (target && target.matched === target.of) return { file: target.file, line: target.line, matched: path.length, of: path.length, via: `${path[i] as string} = ${ref} at ${parent.file}:${parent.line}` };
  }
  // Not found under its parents: the nearest parent whose full path is spelled out is the honest answer.
  for (let i = path.length - 1; i >= 1; i--) {
    const parent = scan(sources, path.slice(0, i), preferred);
    if (parent && parent.matched === parent.of) return { ...parent, matched: i, of: path.length, parentOnly: path.slice(0, i).join(".") };
  }
  return best?.of === 1 ? best : undefined;
}

function scan(sources: readonly SourceFile[], path: readonly string[], preferred: (file: string) => boolean): Location | undefined {
  const leaf = path[path.length - 1];
  if (leaf === undefined) return undefined;
  const parents = path.slice(0, -1).reverse();
  let best: (Location & { pref: boolean }) | undefined;
  for (const src of sources) {
    for (const [i, line] of src.lines.entries()) {
      if (!line.includes(leaf)) continue;
      for (const k of keysOn(line)) {
        if (k.key !== leaf) continue;
        const anc = ancestors(src.lines, i, k.index);
        let matched = 1;
        while (matched - 1 < parents.length && anc[matched - 1] === parents[matched - 1]) matched++;
        const pref = preferred(src.file);
        if (!best || matched > best.matched || (matched === best.matched && pref && !best.pref)) {
          best = { file: src.file, line: i + 1, matched, of: path.length, pref };
        }
      }
    }
  }
  if (!best) return undefined;
  const { pref: _p, ...loc } = best;
  return loc;
}

export function describeLocation(l: Location | undefined): string {
  if (!l) return "not found by the source scan (the key is computed, not written as a property)";
  if (l.parentOnly) return `${l.file}:${l.line} (source scan: only the parent \`${l.parentOnly}\` is spelled out there; the key below it is computed)`;
  const how = l.via ? `full key path, through ${l.via}` : l.matched === l.of ? "full key path" : `leaf key + ${l.matched - 1} of ${l.of - 1} parents`;
  return `${l.file}:${l.line} (source scan: ${how})`;
}
