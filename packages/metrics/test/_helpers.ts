// Test helpers for the metrics package: stack variants and a walk over values objects.
import type { Stack } from "@o11y-gitops/core";
import { stack as homelab } from "../../../stack.config.js";

export { homelab };

/** A copy of the homelab stack with one change. */
export function withStack(patch: (s: Stack) => Stack): Stack {
  return patch(structuredClone(homelab) as Stack);
}

/** The homelab stack with other retention strings (taken as given: they may be malformed on purpose). */
export function withRetention(r: Partial<Record<keyof Stack["retention"], string>>): Stack {
  return withStack((s) => ({ ...s, retention: { ...s.retention, ...r } as Stack["retention"] }));
}

/** Every leaf of a JSON-like value as [dotted path, value]; array items as `name[0]`. */
export function leaves(v: unknown, path = ""): [string, unknown][] {
  if (Array.isArray(v)) return v.flatMap((item, i) => leaves(item, `${path}[${i}]`));
  if (v !== null && typeof v === "object") {
    return Object.entries(v).flatMap(([k, child]) => leaves(child, path === "" ? k : `${path}.${k}`));
  }
  return [[path, v]];
}

/** Paths of the string leaves that contain `needle`, sorted. */
export function pathsContaining(v: unknown, needle: string): string[] {
  return leaves(v)
    .filter(([, leaf]) => typeof leaf === "string" && leaf.includes(needle))
    .map(([p]) => p)
    .sort();
}
