// Test helpers shared by the component packages' tests: walk a JSON-like values object and find where
// things sit. Tests only; not part of any package.

/** Every leaf of a JSON-like value as [dotted path, value]; array items as `name[0]`. */
export function leaves(v: unknown, path = ""): [string, unknown][] {
  if (Array.isArray(v)) return v.flatMap((item, i) => leaves(item, `${path}[${i}]`));
  if (v !== null && typeof v === "object") {
    return Object.entries(v).flatMap(([k, child]) => leaves(child, path === "" ? k : `${path}.${k}`));
  }
  return [[path, v]];
}

/** Every object key at any depth, as its dotted path. */
export function keyPaths(v: unknown, path = ""): string[] {
  if (Array.isArray(v)) return v.flatMap((item, i) => keyPaths(item, `${path}[${i}]`));
  if (v !== null && typeof v === "object") {
    return Object.entries(v).flatMap(([k, c]) => {
      const p = path === "" ? k : `${path}.${k}`;
      return [p, ...keyPaths(c, p)];
    });
  }
  return [];
}

/** Paths of the string leaves that contain `needle`, sorted. */
export function pathsContaining(v: unknown, needle: string): string[] {
  return leaves(v)
    .filter(([, leaf]) => typeof leaf === "string" && leaf.includes(needle))
    .map(([p]) => p)
    .sort();
}

/** The value at a dotted path (`a.b[0].c`), or undefined. */
export function at(v: unknown, path: string): unknown {
  let cur: unknown = v;
  for (const seg of path.split(/\.|(?=\[)/)) {
    if (cur === null || typeof cur !== "object") return undefined;
    const idx = /^\[(\d+)\]$/.exec(seg);
    cur = idx ? (cur as unknown[])[Number(idx[1])] : (cur as Record<string, unknown>)[seg];
  }
  return cur;
}
