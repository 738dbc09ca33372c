import { alloyConfig as a, type AlloyBlock, type AlloyInput, type AlloyStatement } from "./alloy-model.js";

/** One Prometheus-style relabel rule (`rule { ... }` in discovery.relabel / prometheus.relabel). */
export interface RelabelRule {
  sourceLabels?: readonly string[];
  separator?: string;
  /** @default "(.*)" (Alloy's default) */
  regex?: string;
  targetLabel?: string;
  /** @default "$1" (Alloy's default) */
  replacement?: AlloyInput;
  /** @default "replace" (Alloy's default) */
  action?: "replace" | "keep" | "drop" | "labelmap" | "labeldrop" | "labelkeep";
}

/** A `rule` block; unset fields keep Alloy's defaults and are not written. */
export function rule(r: RelabelRule): AlloyBlock {
  const body: AlloyStatement[] = [];
  if (r.sourceLabels !== undefined) body.push(a.attr("source_labels", r.sourceLabels));
  if (r.separator !== undefined) body.push(a.attr("separator", r.separator));
  if (r.regex !== undefined) body.push(a.attr("regex", r.regex));
  if (r.targetLabel !== undefined) body.push(a.attr("target_label", r.targetLabel));
  if (r.replacement !== undefined) body.push(a.attr("replacement", r.replacement));
  if (r.action !== undefined) body.push(a.attr("action", r.action));
  return a.block("rule", body);
}

/**
 * Copy a discovered meta label to a public label. With `onlyIfSet`, an empty source leaves the target alone
 * (regex `(.+)`), so a later rule can act as a fallback or an override.
 */
export function copyLabel(source: string, target: string, onlyIfSet = false): AlloyBlock {
  return rule(onlyIfSet ? { sourceLabels: [source], regex: "(.+)", targetLabel: target } : { sourceLabels: [source], targetLabel: target });
}

/** Set `target` to a fixed value on every target/series (no source labels: the default regex matches ""). */
export function setLabel(target: string, value: AlloyInput): AlloyBlock {
  return rule({ targetLabel: target, replacement: value });
}
