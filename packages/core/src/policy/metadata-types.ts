/** Label and annotation values are strings for a YAML 1.1 reader. */
import { isMap, isScalar, isSeq } from "yaml";
import type { Node as YamlNode } from "yaml";
import { type At, type Collector, isRecord, type Segment } from "./common.js";
import { POLICY_MESSAGES as M } from "./messages.js";

export function checkMetadataTypes(node: unknown, path: Segment[], at: (s: readonly Segment[]) => string, out: Collector): void {
  if (isSeq(node)) {
    node.items.forEach((item, i) => checkMetadataTypes(item, [...path, i], at, out));
    return;
  }
  if (!isMap(node)) return;
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (key === undefined) continue;
    if (key === "metadata" && isMap(pair.value)) {
      for (const inner of pair.value.items) {
        const innerKey = isScalar(inner.key) ? String(inner.key.value) : undefined;
        if ((innerKey === "labels" || innerKey === "annotations") && isMap(inner.value)) {
          const kind = innerKey === "labels" ? "label" : "annotation";
          for (const entry of inner.value.items) {
            const name = isScalar(entry.key) ? String(entry.key.value) : String(entry.key);
            const problem = describeNonString(kind, name, entry.value as YamlNode | null);
            if (problem) out.error(at([...path, "metadata", innerKey, name]), problem);
          }
        }
      }
    }
    checkMetadataTypes(pair.value, [...path, key], at, out);
  }
}

export function describeNonString(kind: "label" | "annotation", key: string, node: YamlNode | null): string | undefined {
  if (node === null || node === undefined) return M.notString(kind, key, "an empty value", "null");
  if (isMap(node)) return M.notStringNode(kind, key, "a mapping");
  if (isSeq(node)) return M.notStringNode(kind, key, "a sequence");
  if (!isScalar(node)) return M.notStringNode(kind, key, "an alias");
  const v = node.value;
  if (typeof v === "string") return undefined;
  const source = node.source === "" ? "an empty value" : (node.source ?? String(v));
  const type = v === null ? "null" : v instanceof Date ? "a timestamp" : typeof v === "boolean" ? "a boolean" : "a number";
  return M.notString(kind, key, source, type);
}

/** JSON documents: the same rule on parsed values (JSON types are explicit, so no YAML 1.1 reading is involved). */
export function checkMetadataValueTypes(value: unknown, path: Segment[], at: At, out: Collector): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => checkMetadataValueTypes(v, [...path, i], at, out));
    return;
  }
  if (!isRecord(value)) return;
  for (const [key, v] of Object.entries(value)) {
    if (key === "metadata" && isRecord(v)) {
      for (const field of ["labels", "annotations"] as const) {
        const entries = v[field];
        if (!isRecord(entries)) continue;
        const kind = field === "labels" ? "label" : "annotation";
        for (const [name, x] of Object.entries(entries)) {
          if (typeof x !== "string") out.error(at([...path, "metadata", field, name]), M.notStringNode(kind, name, jsonType(x)));
        }
      }
    }
    checkMetadataValueTypes(v, [...path, key], at, out);
  }
}

export function jsonType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a sequence";
  if (typeof v === "object") return "a mapping";
  return typeof v === "boolean" ? "a boolean" : "a number";
}
