// Check 6 (pure part): which values we set differ from the chart's defaults, sentinel substitution and tracing,
// and the findings. A value that differs from the default but changes nothing in the render is dead (Helm
// ignored it) unless allowlisted with a reason. The Helm-driven part is in ../dead-values-run.ts.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { Finding } from "../objects.js";

export type Path = readonly string[];
type Obj = Record<string, unknown>;

function isMap(v: unknown): v is Obj {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** `a.b["c.d"].e`: how a values path is shown (and keyed in the allowlist). */
export function showPath(p: Path): string {
  return p.map((k, i) => (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? `${i === 0 ? "" : "."}${k}` : `[${JSON.stringify(k)}]`)).join("");
}

/** Helm's layering of values files: maps merge, lists and scalars replace, a later null deletes. */
export function layer(base: unknown, over: unknown): unknown {
  if (!isMap(base) || !isMap(over)) return over === undefined ? base : over;
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === null) delete out[k];
    else out[k] = layer(out[k], v);
  }
  return out;
}

/**
 * The chart's default values as Helm computes them before user values: its values.yaml, each bundled subchart's
 * defaults under its key (alias, else name) with the parent's values for that key over them.
 */
export function chartDefaults(dir: string): Obj {
  const own = (existsSync(join(dir, "values.yaml")) ? parse(readFileSync(join(dir, "values.yaml"), "utf8")) : {}) ?? {};
  const meta = parse(readFileSync(join(dir, "Chart.yaml"), "utf8")) as { dependencies?: { name: string; alias?: string }[] } | null;
  let out: Obj = isMap(own) ? own : {};
  const sub = join(dir, "charts");
  if (!existsSync(sub)) return out;
  for (const d of readdirSync(sub, { withFileTypes: true })) {
    if (!d.isDirectory() || !existsSync(join(sub, d.name, "Chart.yaml"))) continue;
    const subMeta = parse(readFileSync(join(sub, d.name, "Chart.yaml"), "utf8")) as { name?: string } | null;
    const name = subMeta?.name ?? d.name;
    for (const dep of (meta?.dependencies ?? []).filter((x) => x.name === name)) {
      const key = dep.alias ?? dep.name;
      out = { ...out, [key]: layer(chartDefaults(join(sub, d.name)), out[key]) };
    }
  }
  return out;
}

/** The value at a path of a values object. */
export function atPath(v: unknown, p: Path): unknown {
  let cur = v;
  for (const k of p) {
    if (!isMap(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

/**
 * The leaves of our values that differ from the defaults: scalars, and lists as a whole. A map we set is
 * descended into; an empty map merges into the default and changes nothing by itself, so it is not a leaf.
 */
export function changedLeaves(ours: unknown, defaults: unknown, prefix: Path = []): Path[] {
  if (isMap(ours)) return Object.entries(ours).flatMap(([k, v]) => changedLeaves(v, isMap(defaults) ? defaults[k] : undefined, [...prefix, k]));
  return JSON.stringify(ours) === JSON.stringify(defaults) ? [] : [prefix];
}

/** `values` with the leaf at `p` removed, so the chart's default applies there again. */
export function without(values: unknown, p: Path): unknown {
  if (p.length === 0 || !isMap(values)) return values;
  const [k, ...rest] = p as [string, ...string[]];
  const out: Obj = { ...values };
  if (rest.length === 0) delete out[k];
  else out[k] = without(out[k], rest);
  return out;
}

function withValue(values: unknown, p: Path, v: unknown): unknown {
  if (p.length === 0) return v;
  const [k, ...rest] = p as [string, ...string[]];
  const base = isMap(values) ? values : {};
  return { ...base, [k]: withValue(base[k], rest, v) };
}

/** A string sentinel no chart renders by itself, DNS-label safe (it may become part of a name). */
export function sentinel(i: number): string {
  return `zq${i}sentinelqz`;
}

/**
 * A numeric sentinel: six digits, 9….1. Helm reads YAML numbers as float64 and prints those of a million or
 * more in exponent form (9.1726e+08), so a sentinel must stay below that; a chart may print such a number by
 * itself, so callers discount the ones the baseline render already has (see `tracedNumbers`).
 */
export function numberSentinel(i: number): number {
  return 900001 + 10 * i;
}

function hasString(v: unknown): boolean {
  if (typeof v === "string") return true;
  if (Array.isArray(v)) return v.some(hasString);
  return isMap(v) && Object.values(v).some(hasString);
}

/** Every string inside `v` (a list's items, their fields) replaced by one sentinel. */
function sentinelDeep(v: unknown, s: string): unknown {
  if (typeof v === "string") return s;
  if (Array.isArray(v)) return v.map((x) => sentinelDeep(x, s));
  if (isMap(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, sentinelDeep(x, s)]));
  return v;
}

/**
 * Leaves a sentinel can trace: strings, numbers, and lists holding strings. Booleans, nulls and lists without
 * strings can only be proven by removal.
 */
export function traceable(values: unknown, p: Path): boolean {
  const v = atPath(values, p);
  return typeof v === "string" || typeof v === "number" || (Array.isArray(v) && hasString(v));
}

/**
 * Our values with each given leaf replaced by its sentinel (index i: `zq<i>sentinelqz` for strings and the
 * strings inside lists, 900001+10i for numbers).
 */
export function withSentinels(values: unknown, paths: readonly Path[]): unknown {
  let out = values;
  paths.forEach((p, i) => {
    const v = atPath(values, p);
    out = withValue(out, p, typeof v === "number" ? numberSentinel(i) : sentinelDeep(v, sentinel(i)));
  });
  return out;
}

/** Indexes (below `count`) of the string sentinels the text carries: those values reach the output. */
export function traced(text: string, count: number): Set<number> {
  const found = new Set<number>();
  for (const m of text.matchAll(/zq(\d+)sentinelqz/g)) found.add(Number(m[1]));
  return new Set([...found].filter((i) => i < count));
}

/** Indexes of the numeric sentinels the text carries (any six-digit 9….1 number; see `numberSentinel`). */
export function tracedNumbers(text: string): Set<number> {
  const found = new Set<number>();
  for (const m of text.matchAll(/(?<![\d.])9\d{4}1(?![\d.])/g)) found.add((Number(m[0]) - 900001) / 10);
  return found;
}

/** Findings for dead paths of a job, minus the allowlisted ones; an allowlist entry that matched nothing live is reported too. */
export function deadFindings(job: string, chart: string, dead: readonly Path[], allow: Readonly<Record<string, string>>): Finding[] {
  const findings: Finding[] = [];
  const deadShown = new Set(dead.map(showPath));
  for (const p of dead) {
    const shown = showPath(p);
    if (allow[shown] !== undefined) continue;
    findings.push({ job, check: "dead-values", message: `${chart} values: ${shown}: differs from the chart's default but changes nothing in the render (Helm ignores it); remove it, or allowlist it with a reason` });
  }
  for (const shown of Object.keys(allow)) {
    if (!deadShown.has(shown)) findings.push({ job, check: "dead-values", message: `${chart} values: ${shown}: allowlisted as dead but it changes the render (or is gone); drop the allowlist entry` });
  }
  return findings;
}
