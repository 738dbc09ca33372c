/** The tree walker: every file, document and nested value, handing Kubernetes objects and strings to the rule families. */
import { parseAllDocuments } from "yaml";
import type { Document } from "yaml";
import { type At, basename, Collector, fieldPath, isRecord, type Segment, str } from "./common.js";
import { checkEnvFile, checkSecret, isCredentialEnvName, isCredentialName, isEnvReference, isNonLiteral, parseNested, scanText } from "./credentials.js";
import { checkIngress, checkIngressAnnotations } from "./ingress-nginx.js";
import { POLICY_MESSAGES as M } from "./messages.js";
import { checkMetadataTypes, checkMetadataValueTypes } from "./metadata-types.js";
import { checkPruneProtection, type FoundNamespace } from "./namespaces.js";
import type { PolicyFile, PolicyOptions } from "./options.js";

/**
 * `emitted`: the values a YAML file's text is known to read back as (core's emitter, `emittedDocuments`),
 * walked instead of parsing the text again; undefined parses.
 */
export function checkFile(
  file: PolicyFile,
  opts: PolicyOptions,
  out: Collector,
  namespaces: FoundNamespace[],
  yamlErrors = true,
  emitted?: (content: string) => readonly unknown[] | undefined,
): void {
  const name = basename(file.path);
  if (/\.ya?ml$/.test(name)) {
    const docs = emitted?.(file.content);
    if (docs === undefined || !checkEmittedYaml(file, docs, opts, out, namespaces)) checkYamlFile(file, opts, out, namespaces, yamlErrors);
  } else if (name.endsWith(".env")) checkEnvFile(file, out);
  else if (name.endsWith(".json")) checkJsonFile(file, opts, out, namespaces);
  else scanText(file.content, (line) => `${file.path} line ${line}`, opts, out);
}

// ---------------------------------------------------------------------------------------------------------
// YAML and JSON files: every document is walked as a whole.

export function checkYamlFile(file: PolicyFile, opts: PolicyOptions, out: Collector, namespaces: FoundNamespace[], yamlErrors = true): void {
  const docs = parseAllDocuments(file.content, { version: "1.1" });
  const list = Array.isArray(docs) ? docs : [];
  list.forEach((doc, i) => {
    const where = `${file.path}#${i}`;
    const first = doc.errors[0];
    if (first) {
      if (yamlErrors) out.error(where, M.yamlError(first.message.split("\n")[0] ?? ""));
      return;
    }
    const obj: unknown = doc.toJS({ maxAliasCount: -1 });
    const at: At = (segments) => (segments.length === 0 ? where : `${where} ${fieldPath(segments)}`);
    walkDocument(obj, { at, opts, out, namespaces, doc, docBase: [], sops: rootSops(obj) });
  });
}

/**
 * A YAML file from its in-memory documents: the walk `checkYamlFile` does on the parsed text, on the values
 * that text reads back as. Label and annotation values that are strings in memory are strings for a YAML 1.1
 * reader (the emitter quotes anything that reads otherwise); when a document has any other value there, this
 * returns false with nothing reported, and the caller parses the file, whose YAML nodes name the source text.
 */
function checkEmittedYaml(file: PolicyFile, docs: readonly unknown[], opts: PolicyOptions, out: Collector, namespaces: FoundNamespace[]): boolean {
  const probe = new Collector();
  const noAt: At = () => "";
  for (const obj of docs) {
    checkMetadataValueTypes(obj, [], noAt, probe);
    if (probe.errors.length > 0) return false;
  }
  docs.forEach((obj, i) => {
    const where = `${file.path}#${i}`;
    const at: At = (segments) => (segments.length === 0 ? where : `${where} ${fieldPath(segments)}`);
    walkDocument(obj, { at, opts, out, namespaces, doc: undefined, docBase: [], sops: rootSops(obj), metadataChecked: true });
  });
  return true;
}

export function checkJsonFile(file: PolicyFile, opts: PolicyOptions, out: Collector, namespaces: FoundNamespace[]): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(file.content);
  } catch {
    scanText(file.content, (line) => `${file.path} line ${line}`, opts, out);
    return;
  }
  const at: At = (s) => (s.length === 0 ? file.path : `${file.path} ${fieldPath(s)}`);
  walkDocument(parsed, { at, opts, out, namespaces, doc: undefined, docBase: [], sops: rootSops(parsed) });
}

/** What a document walk needs to know. */
interface Walk {
  at: At;
  opts: PolicyOptions;
  out: Collector;
  namespaces: FoundNamespace[];
  /** The YAML document the walked value was read from, for label/annotation source types (none for JSON). */
  doc: Document | undefined;
  /** Where `doc`'s root sits in the walked paths (non-empty for YAML held in a string). */
  docBase: readonly Segment[];
  /** The document's top-level `sops` metadata: Secrets nested in a SOPS-encrypted file count as encrypted. */
  sops: Record<string, unknown> | undefined;
  /** The label/annotation types of this document's own values were already checked (`checkEmittedYaml`). */
  metadataChecked?: boolean;
}

export function rootSops(obj: unknown): Record<string, unknown> | undefined {
  return isRecord(obj) && isRecord(obj["sops"]) ? obj["sops"] : undefined;
}

export function walkDocument(value: unknown, walk: Walk): void {
  walkValue(value, [], walk, false);
}

/**
 * A top-level document is a Kubernetes object when it has string `apiVersion` and `kind` (or is a Secret);
 * a nested mapping (List item, Helm `extraObjects`, …) also needs a `metadata` mapping, so references such as
 * `scaleTargetRef` or `ownerReferences` entries are not taken for objects.
 */
export function objectAt(value: Record<string, unknown>, path: readonly Segment[]): boolean {
  if (path.length === 0) return isK8sObject(value) || value["kind"] === "Secret";
  return isK8sObject(value) && isRecord(value["metadata"]);
}

export function isK8sObject(v: unknown): v is Record<string, unknown> & { kind: string; apiVersion: string } {
  return isRecord(v) && typeof v["kind"] === "string" && typeof v["apiVersion"] === "string";
}

/**
 * Walk one value. `inObject`: an enclosing Kubernetes object of the same YAML/JSON document has already had
 * its (recursive) label/annotation type check. `path` is one stack for the whole walk: each level pushes its
 * key and pops it again, so whatever keeps a path beyond the call (an `at` stored for later, a `docBase`)
 * keeps a copy.
 */
export function walkValue(value: unknown, path: Segment[], w: Walk, inObject: boolean): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      walkValue(value[i], path, w, inObject);
      path.pop();
    }
    return;
  }
  if (isRecord(value)) {
    walkMapping(value, path, w, inObject);
    return;
  }
  if (typeof value === "string") {
    walkString(value, path, w);
    return;
  }
  // Numbers and timestamps under a credential key are literal credentials too (booleans and null are not).
  const key = path[path.length - 1];
  if ((typeof value === "number" || typeof value === "bigint" || value instanceof Date) && typeof key === "string" && isCredentialName(path)) {
    w.out.error(w.at(path), M.literalCredential(key));
  }
}

/** The keys a mapping's walk leaves out: none for nearly every mapping (a shared empty list, no allocation). */
const NO_KEYS: readonly string[] = [];

export function walkMapping(obj: Record<string, unknown>, path: Segment[], w: Walk, inObject: boolean): void {
  const isObject = objectAt(obj, path);
  let skip = NO_KEYS;
  if (isObject) {
    if (!inObject) checkObjectMetadataTypes(obj, path, w);
    skip = checkObject(obj, path, w);
  } else if (path.length === 0 && w.sops !== undefined) {
    skip = ["sops"];
  }
  // A Kubernetes env entry `{name: X_PASSWORD, value: literal}` (container `env`, Helm `extraEnv`, …).
  const listKey = path[path.length - 2];
  const envName = str(obj["name"]);
  const envValue = str(obj["value"]);
  if (typeof path[path.length - 1] === "number" && typeof listKey === "string" && /env/i.test(listKey)) {
    if (envName !== undefined && envValue !== undefined && isCredentialEnvName(envName) && !isEnvReference(envValue)) {
      w.out.error(w.at([...path, "value"]), M.literalCredential(envName));
      skip = [...skip, "value"];
    }
  }
  for (const k of Object.keys(obj)) {
    if (skip.includes(k)) continue;
    const v = obj[k];
    const ingressAnnotations = k === "annotations" && isRecord(v) && isIngressValuesPath(path);
    path.push(k);
    if (ingressAnnotations) checkIngressAnnotations(v, path, w.at, w.opts, w.out);
    walkValue(v, path, w, inObject || isObject);
    path.pop();
  }
}

/**
 * The object checks by kind; returns the keys the walk must not descend into (a Secret's values are judged
 * by `checkSecret`, not as loose strings).
 */
export function checkObject(obj: Record<string, unknown>, path: readonly Segment[], w: Walk): string[] {
  // `at` may be kept (the monitoring Namespace's, for the checks after the walk): it holds its own path.
  const base = [...path];
  const at: At = (s) => w.at([...base, ...s]);
  if (obj["kind"] === "Secret") {
    checkSecret(obj, at, w.opts, w.out, w.sops);
    return ["data", "stringData", "sops"];
  }
  if (obj["kind"] === "Ingress") checkIngress(obj, at, w.opts, w.out);
  if (obj["kind"] === "Namespace" || obj["kind"] === "PersistentVolumeClaim") checkPruneProtection(obj, at, w.out);
  if (obj["kind"] === "Namespace" && isRecord(obj["metadata"]) && obj["metadata"]["name"] === w.opts.namespace) {
    w.namespaces.push({ at, labels: obj["metadata"]["labels"] });
  }
  return [];
}

export function checkObjectMetadataTypes(obj: Record<string, unknown>, path: readonly Segment[], w: Walk): void {
  if (w.metadataChecked) return;
  if (w.doc === undefined) {
    checkMetadataValueTypes(obj, path, w.at, w.out);
    return;
  }
  const rel = path.slice(w.docBase.length);
  const node: unknown = rel.length === 0 ? w.doc.contents : w.doc.getIn(rel, true);
  if (node) checkMetadataTypes(node, path, w.at, w.out);
}

/**
 * A mapping of Helm values that a chart renders into Ingress annotations: `annotations` under a key naming an
 * ingress (`grafana.ingress`, `gateway.ingress`, `prometheus.ingressPerReplica`, …) or one level below
 * `ingress` (`query.ingress.grpc`).
 */
export function isIngressValuesPath(path: readonly Segment[]): boolean {
  const names = path.filter((s): s is string => typeof s === "string");
  const parent = names[names.length - 1];
  const grand = names[names.length - 2];
  return (parent !== undefined && /ingress/i.test(parent)) || (grand !== undefined && /^ingress$/i.test(grand));
}

/**
 * One string of a document: a literal value under a credential key (or a Compose `environment` entry
 * `NAME=literal` / `NAME: literal` with a credential-like name), else htpasswd/AWS-key/private-key/assignment
 * patterns inside it. Multi-line strings that hold YAML are walked as documents of their own (objects inside
 * them included).
 */
export function walkString(value: string, path: Segment[], w: Walk): void {
  const key = path[path.length - 1];
  const inEnvironment = path[path.length - 2] === "environment";
  if (inEnvironment && typeof key === "number") {
    const entry = /^([A-Za-z_][A-Za-z0-9_.-]*)=([\s\S]*)$/.exec(value);
    const name = entry?.[1];
    if (name !== undefined && isCredentialEnvName(name) && !isEnvReference(entry?.[2] ?? "")) {
      w.out.error(w.at(path), M.literalCredential(name));
      return;
    }
  }
  if (typeof key === "string" && isCredentialName(path) && !(inEnvironment ? isEnvReference(value) : isNonLiteral(value))) {
    w.out.error(w.at(path), M.literalCredential(key));
    return;
  }
  if (value.includes("\n")) {
    const nested = parseNested(value);
    if (nested !== undefined && (isRecord(nested.value) || Array.isArray(nested.value))) {
      walkValue(nested.value, path, { ...w, doc: nested.doc, docBase: [...path], sops: undefined, metadataChecked: false }, false);
      return;
    }
  }
  scanText(value, () => w.at(path), w.opts, w.out);
}
