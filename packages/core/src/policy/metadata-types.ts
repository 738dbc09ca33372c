/** Label and annotation values are strings for a YAML 1.1 reader. */
import { isMap, isScalar, isSeq } from "yaml";
import type { Node as YamlNode } from "yaml";
import { type At, type Collector, isRecord, type Segment } from "./common.js";
import { POLICY_MESSAGES as M } from "./messages.js";

export function checkMetadataTypes(node: unknown, path: readonly Segment[], at: (s: readonly Segment[]) => string, out: Collector): void {
  metadataTypesAt(node, [...path], at, out);
}

/** checkMetadataTypes on `path`, a stack this walk pushes to and pops (copied only for a finding). */
function metadataTypesAt(node: unknown, path: Segment[], at: (s: readonly Segment[]) => string, out: Collector): void {
  if (isSeq(node)) {
    node.items.forEach((item, i) => {
      path.push(i);
      metadataTypesAt(item, path, at, out);
      path.pop();
    });
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
    path.push(key);
    metadataTypesAt(pair.value, path, at, out);
    path.pop();
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
export function checkMetadataValueTypes(value: unknown, path: readonly Segment[], at: At, out: Collector): void {
  metadataValueTypesAt(value, [...path], at, out);
}

/** checkMetadataValueTypes on `path`, a stack this walk pushes to and pops (copied only for a finding). */
function metadataValueTypesAt(value: unknown, path: Segment[], at: At, out: Collector): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      metadataValueTypesAt(value[i], path, at, out);
      path.pop();
    }
    return;
  }
  if (!isRecord(value)) return;
  for (const key of Object.keys(value)) {
    const v = value[key];
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
    path.push(key);
    metadataValueTypesAt(v, path, at, out);
    path.pop();
  }
}

export function jsonType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a sequence";
  if (typeof v === "object") return "a mapping";
  return typeof v === "boolean" ? "a boolean" : "a number";
}
