// Helpers for asserting on the typed Alloy model (not on text).
import { alloyReferences, type AlloyBlock, type AlloyConfig, type AlloyValue } from "@o11y-gitops/collectors";

export type Id = `${string} ${string}`;

/** `loki.write "default"` → `loki.write default`. */
export function idOf(c: { name: string; label?: string }): Id {
  return `${c.name} ${c.label ?? ""}`;
}

/** The top-level component with this name and label; throws when absent. */
export function component(config: AlloyConfig, name: string, label: string): AlloyBlock {
  const found = config.blocks.find((b) => b.name === name && b.label === label);
  if (!found) throw new Error(`no component ${name} "${label}"`);
  return found;
}

/** The value at a dotted path of attributes/blocks (first block of that name at each step). */
export function valueAt(block: AlloyBlock, path: string): AlloyValue {
  const segs = path.split(".");
  let body = block.body;
  for (const [i, seg] of segs.entries()) {
    const last = i === segs.length - 1;
    const s = body.find((x) => x.name === seg && (last ? x.kind === "attribute" : x.kind === "block"));
    if (s === undefined) throw new Error(`no ${path} in ${block.name}`);
    if (s.kind === "attribute") return s.value;
    body = s.body;
  }
  throw new Error(`${path} is a block`);
}

/** Nested blocks with this name (e.g. every `rule`). */
export function blocksNamed(block: AlloyBlock, name: string): AlloyBlock[] {
  return block.body.filter((s): s is AlloyBlock => s.kind === "block" && s.name === name);
}

/** `target_label` → `replacement` (or the source labels) for each rule of a relabel component. */
export function ruleTargets(block: AlloyBlock): { target: AlloyValue | undefined; replacement: AlloyValue | undefined; source: AlloyValue | undefined }[] {
  return blocksNamed(block, "rule").map((r) => {
    const get = (n: string) => r.body.find((s) => s.kind === "attribute" && s.name === n);
    const val = (n: string) => {
      const s = get(n);
      return s?.kind === "attribute" ? s.value : undefined;
    };
    return { target: val("target_label"), replacement: val("replacement"), source: val("source_labels") };
  });
}

/**
 * Data-flow edges from the model's references: `forward_to`/`output` references point downstream
 * (exports `receiver`/`input`), everything else (targets, rules) is read from upstream.
 */
export function dataflow(config: AlloyConfig): Map<Id, Set<Id>> {
  const edges = new Map<Id, Set<Id>>();
  const add = (from: Id, to: Id) => {
    if (!edges.has(from)) edges.set(from, new Set());
    edges.get(from)?.add(to);
  };
  for (const r of alloyReferences(config)) {
    const downstream = r.export[0] === "receiver" || r.export[0] === "input";
    if (downstream) add(idOf(r.from), idOf(r.to));
    else add(idOf(r.to), idOf(r.from));
  }
  return edges;
}

/** Every simple data-flow path from `from` to `to`. */
export function paths(config: AlloyConfig, from: Id, to: Id): Id[][] {
  const edges = dataflow(config);
  const out: Id[][] = [];
  const go = (at: Id, trail: Id[]) => {
    if (at === to) {
      out.push(trail);
      return;
    }
    for (const n of edges.get(at) ?? []) if (!trail.includes(n)) go(n, [...trail, n]);
  };
  go(from, [from]);
  return out;
}

/** Components with no outgoing data-flow edge (where data ends up). */
export function sinks(config: AlloyConfig): Id[] {
  const edges = dataflow(config);
  return config.blocks.filter((b) => b.label !== undefined && (edges.get(idOf(b))?.size ?? 0) === 0).map(idOf);
}
