// What a chart's values.yaml says in the comment block above each key (helm-docs `# --`, plain `##`),
// for the upgrade report's deprecation notices.
import { isMap, isScalar, type Node } from "yaml";
import { parseValues } from "../schemas/_infer.js";

/** JSON-encoded key path → the comment lines right above that key (without `#`). */
export function commentsAbove(src: string, origin: string): Map<string, string[]> {
  const doc = parseValues(src, origin);
  const lines = src.split("\n");
  const starts: number[] = [0];
  for (let i = 0; i < src.length; i++) if (src[i] === "\n") starts.push(i + 1);
  const lineOf = (offset: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const out = new Map<string, string[]>();
  const walk = (node: Node | null | undefined, path: string[]) => {
    if (!isMap(node)) return;
    for (const pair of node.items) {
      const key = pair.key as Node | null;
      if (!isScalar(key) || !key.range) continue;
      const p = [...path, String(key.value)];
      const block: string[] = [];
      for (let i = lineOf(key.range[0]) - 1; i >= 0 && /^\s*#/.test(lines[i] ?? ""); i--) block.unshift((lines[i] ?? "").replace(/^\s*#+\s?/, ""));
      if (block.length > 0) out.set(JSON.stringify(p), block);
      walk(pair.value as Node | null, p);
    }
  };
  walk(doc.contents as Node | null, []);
  return out;
}

const KEY_DEPRECATED = /@deprecated|deprecated in favou?r|\(deprecated, use|deprecated:\s*true|\bis deprecated\b/i;

/**
 * Deprecation lines the target's comments carry for a value we set, which the pinned version's did not:
 * the key itself deprecated, or our (string) value named as a deprecated spelling.
 */
export function deprecations(oldComments: Map<string, string[]>, newComments: Map<string, string[]>, path: readonly string[], value: unknown): string[] {
  const out: string[] = [];
  for (let n = path.length; n >= 1; n--) {
    const key = JSON.stringify(path.slice(0, n));
    const was = new Set(oldComments.get(key) ?? []);
    for (const line of newComments.get(key) ?? []) {
      if (!/deprecat/i.test(line) || was.has(line)) continue;
      // Our value named in the deprecation's own clause ("Monolithic (deprecated: SingleBinary)").
      const clause = /deprecat[^)]*/i.exec(line)?.[0] ?? "";
      const namesValue = n === path.length && typeof value === "string" && value !== "" && new RegExp(`(^|[^\\w<>-])${value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}([^\\w<>-]|$)`).test(clause);
      if (namesValue || KEY_DEPRECATED.test(line)) out.push(line.trim());
    }
  }
  return out;
}
