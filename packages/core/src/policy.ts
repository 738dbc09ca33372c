/**
 * Security policy over the rendered tree (validation layer 5). Works on file contents only, so it checks
 * exactly what would be committed, whoever produced it:
 *
 * - secrets: no Secret and no env file holds a plaintext value (SOPS-encrypted or placeholder skeletons
 *   only); no literal password, htpasswd hash, AWS key or private key
 *   anywhere, Secret values and Compose `environment` entries included;
 * - ingress: the write hosts expose only their exact write paths (`pathType: Exact`), with basic auth and
 *   TLS redirect, and no regex/rewrite annotations; snippet and other injection-prone ingress-nginx
 *   annotations are rejected on every Ingress (allowlist, annotation keys compared case-insensitively) and
 *   in every Helm values mapping at `…ingress….annotations`;
 * - Kubernetes objects are found wherever they are: top-level documents of YAML and JSON files, `kind: List`
 *   items, Helm `extraObjects` and any other nested mapping with string `apiVersion` and `kind` and a
 *   `metadata` mapping (also inside multi-line strings that hold YAML);
 * - label and annotation values are strings for a YAML 1.1 reader;
 * - the stack namespace carries the Pod Security labels; every Namespace carries Flux's
 *   `kustomize.toolkit.fluxcd.io/prune: disabled`, every PersistentVolumeClaim that or ArgoCD's `Prune=false`
 *   (deleting either loses data);
 * - plain-HTTP object storage is a warning.
 *
 * YAML is read as YAML 1.1, the way Kubernetes and Helm read it.
 */
import { isMap, isScalar, isSeq, parseAllDocuments, parseDocument } from "yaml";
import type { Document, Node as YamlNode } from "yaml";
import { FLUX_PRUNE_ANNOTATION, FLUX_PRUNE_DISABLED } from "./labels.js";
import type { Problem } from "./problems.js";
import { isPlaceholder, PLACEHOLDER_PREFIX } from "./secrets.js";
import { STACK_DEFAULTS, type Stack } from "./stack.js";

/** What the policy needs to know about the stack. Build it with `policyOptionsForStack`. */
export interface PolicyOptions {
  /** The stack namespace; it must exist in the tree with the Pod Security labels. */
  namespace: string;
  /** Required values of `pod-security.kubernetes.io/enforce` and `pod-security.kubernetes.io/warn`. */
  podSecurity: { enforce: string; warn: string };
  /** The external write endpoints: on each `host` only the listed exact `path`s may be exposed. */
  writeEndpoints: readonly { host: string; path: string }[];
  /** Name of the basic-auth Secret every write-host Ingress must use (`auth-secret`). */
  basicAuthSecret: string;
  /** The object store is reached over plain HTTP (reported as a warning). */
  objectStoreInsecure: boolean;
  /**
   * IngressClass the write-host Ingresses must use (the one whose annotations we check); `policyOptionsForStack`
   * takes `stack.ingressClassName`. @default STACK_DEFAULTS.ingressClassName ("nginx")
   */
  ingressClassName?: string;
  /**
   * Annotation prefix of the ingress-nginx controller (its `--annotations-prefix`, with or without the
   * trailing `/`). Allowlist, snippet and write-host checks apply to annotations under this prefix.
   * @default INGRESS_NGINX_PREFIX ("nginx.ingress.kubernetes.io/")
   */
  annotationPrefix?: string;
  /**
   * Extra `nginx.ingress.kubernetes.io/<name>` annotation names (without prefix) allowed beyond
   * `INGRESS_ANNOTATION_ALLOWLIST`, after review. Snippet annotations can never be allowed. @default []
   */
  extraAllowedIngressAnnotations?: readonly string[];
}

/** The policy options for a stack and its write endpoints (e.g. `writeEndpoints(stack)` from the ingress package). */
export function policyOptionsForStack(stack: Stack, writeEndpoints: readonly { host: string; path: string }[]): PolicyOptions {
  return {
    namespace: stack.namespace,
    podSecurity: { enforce: stack.podSecurity.enforce, warn: stack.podSecurity.warn },
    writeEndpoints: writeEndpoints.map((e) => ({ host: e.host, path: e.path })),
    basicAuthSecret: stack.secrets.basicAuth.name,
    objectStoreInsecure: stack.objectStore.insecure,
    ingressClassName: stack.ingressClassName,
  };
}

/** One file of the tree, as rendered (`RenderedFile` fits). */
export interface PolicyFile {
  path: string;
  content: string;
}

/** The outcome of `checkTreePolicy`. */
export interface PolicyResult {
  /** Violations: nothing may be written. */
  errors: Problem[];
  /** Reported, not fatal. */
  warnings: Problem[];
}

/** ingress-nginx's default annotation prefix (`--annotations-prefix`), with the trailing `/`. */
export const INGRESS_NGINX_PREFIX = "nginx.ingress.kubernetes.io/";

/**
 * ingress-nginx annotations (without prefix) allowed on any Ingress: auth, TLS redirect, proxy tuning,
 * rate limits, source ranges, CORS, affinity, and (not on write hosts) regex/rewrite. Everything else is
 * rejected until reviewed: snippets (`configuration-snippet`, `server-snippet`, `auth-snippet`, …) inject
 * raw nginx configuration; `auth-url`, `mirror-*`, `server-alias`, `upstream-vhost`, `default-backend`,
 * `canary*`, `satisfy`, `custom-headers` and the like change who can reach what or where traffic goes.
 */
export const INGRESS_ANNOTATION_ALLOWLIST: readonly string[] = [
  "auth-type",
  "auth-secret",
  "auth-secret-type",
  "auth-realm",
  "force-ssl-redirect",
  "ssl-redirect",
  "preserve-trailing-slash",
  "backend-protocol",
  "proxy-body-size",
  "proxy-read-timeout",
  "proxy-send-timeout",
  "proxy-connect-timeout",
  "proxy-next-upstream",
  "proxy-next-upstream-timeout",
  "proxy-next-upstream-tries",
  "proxy-request-buffering",
  "proxy-buffering",
  "proxy-buffer-size",
  "proxy-buffers-number",
  "proxy-max-temp-file-size",
  "proxy-http-version",
  "client-body-buffer-size",
  "limit-rps",
  "limit-rpm",
  "limit-connections",
  "limit-burst-multiplier",
  "whitelist-source-range",
  "denylist-source-range",
  "enable-cors",
  "cors-allow-origin",
  "cors-allow-methods",
  "cors-allow-headers",
  "cors-expose-headers",
  "cors-allow-credentials",
  "cors-max-age",
  "affinity",
  "affinity-mode",
  "session-cookie-name",
  "session-cookie-path",
  "session-cookie-max-age",
  "session-cookie-expires",
  "session-cookie-samesite",
  "load-balance",
  "enable-access-log",
  "use-regex",
  "rewrite-target",
  "app-root",
];

/** Annotations (without prefix) that make ingress-nginx match every path of the host as a regex. */
const HOST_WIDENING = new Set(["use-regex", "rewrite-target"]);

const ENC_VALUE = /^ENC\[[^\]]*\]$/;
const ENV_REF = /^(?:\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$__(?:env|file)\{[^}]+\})$/;
const SYS_ENV = /^(?:sys\.)?env\("[A-Za-z_][A-Za-z0-9_]*"\)$/;
const HTPASSWD_ENTRY = /(?:^|[\s"'])([^\s:"'#]+):(?:\$apr1\$|\$2[abxy]\$|\$[56]\$|\{SHA\})/;
const AWS_KEY = /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/;
const PRIVATE_KEY = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/;
const LITERAL_ASSIGNMENT =
  /(?:^|[^\w.])(password|passwd|secret_key|secret_access_key|access_key|access_key_id|api_key|bearer_token|token)\s*=\s*"((?:[^"\\\n]|\\.)*)"/gi;
const CREDENTIAL_SUFFIXES = [
  "password",
  "passwd",
  "secretkey",
  "secretaccesskey",
  "accesskey",
  "accesskeyid",
  "sessiontoken",
  "bearertoken",
  "apikey",
  "clientsecret",
];

/**
 * True for keys that name a credential: `password`, `basicAuthPassword`, `secret_key`, `aws-access-key-id`,
 * `client_secret`, `token`, `auth`, `credentials`, … (not `passwordKey`, `existingSecret`, `password_file`).
 */
export function isCredentialKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[-_.]/g, "");
  return k === "token" || k === "auth" || k === "credentials" || CREDENTIAL_SUFFIXES.some((s) => k.endsWith(s));
}

/** A value that is not a literal credential: empty, a placeholder, SOPS ciphertext, or an env reference. */
function isNonLiteral(value: string): boolean {
  return value === "" || isPlaceholder(value) || ENC_VALUE.test(value) || ENV_REF.test(value) || SYS_ENV.test(value);
}

type Segment = string | number;

function fieldPath(segments: readonly Segment[]): string {
  let out = "";
  for (const seg of segments) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out === "" ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** Messages, one place (tests assert them exactly). */
export const POLICY_MESSAGES = {
  yamlError: (detail: string) => `YAML does not parse: ${detail}`,
  secretPlaintext: (secret: string) =>
    `Secret ${secret} holds a plaintext value; SOPS-encrypt the file or use a placeholder like ${PLACEHOLDER_PREFIX}description>`,
  sopsNoMac: (secret: string) => `Secret ${secret} has sops metadata without a mac (not a complete sops encryption)`,
  sopsUnencrypted: (secret: string) =>
    `Secret ${secret} has sops metadata but this value is not encrypted (ENC[...]); check encrypted_regex in .sops.yaml`,
  envPlaintext: (key: string) => `${key} holds a plaintext value; SOPS-encrypt the file or use a placeholder`,
  envMalformed: () => "not a KEY=VALUE line (an env file holds only assignments and comments)",
  literalCredential: (key: string) =>
    `literal value for "${key}"; use an environment reference (sys.env("..."), \${VAR}) or a secretKeyRef instead`,
  htpasswd: (user: string, secretName: string) =>
    `plaintext htpasswd entry for user "${user}"; it belongs only in the SOPS-encrypted Secret "${secretName}"`,
  awsKey: () => "AWS access key id (AKIA…/ASIA…) in plaintext; it belongs only in a SOPS-encrypted Secret",
  privateKey: () => "PEM private key in plaintext; it belongs only in a SOPS-encrypted Secret",
  snippet: () => "snippet annotations inject raw nginx configuration and are not allowed",
  notAllowlisted: () =>
    "annotation is not in the ingress-nginx allowlist; add it to PolicyOptions.extraAllowedIngressAnnotations only after review",
  wrongIngressClass: (host: string, want: string, found: string | undefined) =>
    `Ingress for write host "${host}" must use ingress class "${want}" (found ${found === undefined ? "none" : JSON.stringify(found)})`,
  defaultBackend: (host: string) => `Ingress for write host "${host}" must not set defaultBackend (it serves every unmatched path)`,
  notExact: (host: string, found: string | undefined) =>
    `write host "${host}" allows only pathType Exact (found ${found === undefined ? "none" : JSON.stringify(found)})`,
  notWritePath: (host: string, path: string | undefined, allowed: readonly string[]) =>
    `${path === undefined ? "a missing path" : JSON.stringify(path)} is not a write path of host "${host}" (allowed: ${allowed.join(", ")})`,
  requiredAnnotation: (want: string, found: string | undefined) =>
    `required on write-host Ingresses: want ${JSON.stringify(want)}, found ${found === undefined ? "none" : JSON.stringify(found)}`,
  hostWidening: (name: string) =>
    `${name} makes ingress-nginx apply the case-insensitive regex location modifier to every path of the host, so exact write paths stop being exact; not allowed on a write host`,
  notString: (kind: "label" | "annotation", key: string, source: string, type: string) =>
    `${kind} "${key}" must be a string; YAML 1.1 reads ${source} as ${type} (quote it)`,
  notStringNode: (kind: "label" | "annotation", key: string, found: string) => `${kind} "${key}" must be a string, found ${found}`,
  noNamespace: (ns: string) => `the tree has no Namespace "${ns}" (it must carry the Pod Security labels)`,
  podSecurityMissing: (want: string) => `Pod Security label missing (want ${JSON.stringify(want)})`,
  pruneNamespace: (name: string) =>
    `Namespace ${JSON.stringify(name)} must carry ${FLUX_PRUNE_ANNOTATION}: ${FLUX_PRUNE_DISABLED} (deleting or renaming the Flux Kustomization that applies it would delete it and every PersistentVolumeClaim in it)`,
  prunePvc: (name: string) =>
    `PersistentVolumeClaim ${JSON.stringify(name)} must carry ${FLUX_PRUNE_ANNOTATION}: ${FLUX_PRUNE_DISABLED} (Flux) or argocd.argoproj.io/sync-options: Prune=false (ArgoCD): pruning it deletes its volume`,
  podSecurityWrong: (found: string, want: string) => `Pod Security label is ${JSON.stringify(found)}, want ${JSON.stringify(want)}`,
  insecureObjectStore: () =>
    "object storage traffic is plain HTTP (insecure: true); seed TODO: enable TLS on SeaweedFS and remove insecure: true",
} as const;

const M = POLICY_MESSAGES;

class Collector {
  readonly errors: Problem[] = [];
  readonly warnings: Problem[] = [];
  private readonly seen = new Set<string>();
  /** Record a violation once (two checks reaching the same field with the same finding report it once). */
  error(path: string, message: string): void {
    const key = `${path}\u0000${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.errors.push({ path, message });
  }
}

/** Names a field of the current file: segments → `"<file>#<doc> <field path>"`. */
type At = (segments: readonly Segment[]) => string;

/** A Namespace object found in the tree (at any depth). */
interface FoundNamespace {
  at: At;
  labels: unknown;
}

/**
 * Check the rendered tree against the security policy. Pure: reads only the given contents. Errors are
 * ordered by file, then document, then field.
 */
export function checkTreePolicy(files: readonly PolicyFile[], opts: PolicyOptions): PolicyResult {
  const out = new Collector();
  const namespaces: FoundNamespace[] = [];
  for (const file of files) checkFile(file, opts, out, namespaces);
  checkNamespaces(namespaces, opts, out);
  if (opts.objectStoreInsecure) out.warnings.push({ path: "stack.objectStore.insecure", message: M.insecureObjectStore() });
  return { errors: out.errors, warnings: out.warnings };
}

/**
 * The per-file rules of `checkTreePolicy` alone (no tree-wide Namespace check, no warnings), for files that
 * are not part of a rendered tree: the seeded secrets as the user left them on disk, which `generate` and
 * `generate --check` refuse to accept in plaintext.
 */
export function checkFilesPolicy(files: readonly PolicyFile[], opts: PolicyOptions): Problem[] {
  const out = new Collector();
  // A file that is not YAML holds no value this policy can find; the writer reports it as unreadable.
  for (const file of files) checkFile(file, opts, out, [], false);
  return out.errors;
}

function checkFile(file: PolicyFile, opts: PolicyOptions, out: Collector, namespaces: FoundNamespace[], yamlErrors = true): void {
  const name = basename(file.path);
  if (/\.ya?ml$/.test(name)) checkYamlFile(file, opts, out, namespaces, yamlErrors);
  else if (name.endsWith(".env")) checkEnvFile(file, out);
  else if (name.endsWith(".json")) checkJsonFile(file, opts, out, namespaces);
  else scanText(file.content, (line) => `${file.path} line ${line}`, opts, out);
}

// ---------------------------------------------------------------------------------------------------------
// YAML and JSON files: every document is walked as a whole.

function checkYamlFile(file: PolicyFile, opts: PolicyOptions, out: Collector, namespaces: FoundNamespace[], yamlErrors = true): void {
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

function checkJsonFile(file: PolicyFile, opts: PolicyOptions, out: Collector, namespaces: FoundNamespace[]): void {
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
}

function rootSops(obj: unknown): Record<string, unknown> | undefined {
  return isRecord(obj) && isRecord(obj["sops"]) ? obj["sops"] : undefined;
}

function walkDocument(value: unknown, walk: Walk): void {
  walkValue(value, [], walk, false);
}

/**
 * A top-level document is a Kubernetes object when it has string `apiVersion` and `kind` (or is a Secret);
 * a nested mapping (List item, Helm `extraObjects`, …) also needs a `metadata` mapping, so references such as
 * `scaleTargetRef` or `ownerReferences` entries are not taken for objects.
 */
function objectAt(value: Record<string, unknown>, path: readonly Segment[]): boolean {
  if (path.length === 0) return isK8sObject(value) || value["kind"] === "Secret";
  return isK8sObject(value) && isRecord(value["metadata"]);
}

function isK8sObject(v: unknown): v is Record<string, unknown> & { kind: string; apiVersion: string } {
  return isRecord(v) && typeof v["kind"] === "string" && typeof v["apiVersion"] === "string";
}

/**
 * Walk one value. `inObject`: an enclosing Kubernetes object of the same YAML/JSON document has already had
 * its (recursive) label/annotation type check.
 */
function walkValue(value: unknown, path: Segment[], w: Walk, inObject: boolean): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => walkValue(v, [...path, i], w, inObject));
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

function walkMapping(obj: Record<string, unknown>, path: Segment[], w: Walk, inObject: boolean): void {
  const isObject = objectAt(obj, path);
  const skip = new Set<string>();
  if (isObject) {
    if (!inObject) checkObjectMetadataTypes(obj, path, w);
    for (const k of checkObject(obj, path, w)) skip.add(k);
  } else if (path.length === 0 && w.sops !== undefined) {
    skip.add("sops");
  }
  // A Kubernetes env entry `{name: X_PASSWORD, value: literal}` (container `env`, Helm `extraEnv`, …).
  const listKey = path[path.length - 2];
  const envName = str(obj["name"]);
  const envValue = str(obj["value"]);
  if (typeof path[path.length - 1] === "number" && typeof listKey === "string" && /env/i.test(listKey)) {
    if (envName !== undefined && envValue !== undefined && isCredentialEnvName(envName) && !isEnvReference(envValue)) {
      w.out.error(w.at([...path, "value"]), M.literalCredential(envName));
      skip.add("value");
    }
  }
  for (const [k, v] of Object.entries(obj)) {
    if (skip.has(k)) continue;
    const p = [...path, k];
    if (k === "annotations" && isRecord(v) && isIngressValuesPath(path)) checkIngressAnnotations(v, p, w.at, w.opts, w.out);
    walkValue(v, p, w, inObject || isObject);
  }
}

/**
 * The object checks by kind; returns the keys the walk must not descend into (a Secret's values are judged
 * by `checkSecret`, not as loose strings).
 */
function checkObject(obj: Record<string, unknown>, path: readonly Segment[], w: Walk): string[] {
  const at: At = (s) => w.at([...path, ...s]);
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

function checkObjectMetadataTypes(obj: Record<string, unknown>, path: readonly Segment[], w: Walk): void {
  if (w.doc === undefined) {
    checkMetadataValueTypes(obj, [...path], w.at, w.out);
    return;
  }
  const rel = path.slice(w.docBase.length);
  const node: unknown = rel.length === 0 ? w.doc.contents : w.doc.getIn(rel, true);
  if (node) checkMetadataTypes(node, [...path], w.at, w.out);
}

/**
 * A mapping of Helm values that a chart renders into Ingress annotations: `annotations` under a key naming an
 * ingress (`grafana.ingress`, `gateway.ingress`, `prometheus.ingressPerReplica`, …) or one level below
 * `ingress` (`query.ingress.grpc`).
 */
function isIngressValuesPath(path: readonly Segment[]): boolean {
  const names = path.filter((s): s is string => typeof s === "string");
  const parent = names[names.length - 1];
  const grand = names[names.length - 2];
  return (parent !== undefined && /ingress/i.test(parent)) || (grand !== undefined && /^ingress$/i.test(grand));
}

// --- Secrets ---------------------------------------------------------------------------------------------

function secretName(obj: Record<string, unknown>): string {
  const meta = isRecord(obj["metadata"]) ? obj["metadata"] : {};
  const name = str(meta["name"]) ?? "(unnamed)";
  const ns = str(meta["namespace"]);
  return JSON.stringify(ns === undefined ? name : `${ns}/${name}`);
}

function checkSecret(
  obj: Record<string, unknown>,
  at: At,
  opts: PolicyOptions,
  out: Collector,
  fileSops: Record<string, unknown> | undefined,
): void {
  const display = secretName(obj);
  const own = obj["sops"];
  if (isRecord(own) && typeof own["mac"] !== "string") out.error(at(["sops"]), M.sopsNoMac(display));
  const encrypted = isRecord(own) || fileSops !== undefined;

  for (const field of ["stringData", "data"] as const) {
    const entries = obj[field];
    if (!isRecord(entries)) continue;
    for (const [key, raw] of Object.entries(entries)) {
      const segs = [field, key];
      if (encrypted) {
        if (!(typeof raw === "string" && ENC_VALUE.test(raw))) out.error(at(segs), M.sopsUnencrypted(display));
        continue;
      }
      let value: string | undefined = typeof raw === "string" ? raw : undefined;
      if (field === "data" && value !== undefined) value = decodeBase64(value);
      if (value === undefined) {
        out.error(at(segs), M.secretPlaintext(display));
        continue;
      }
      if (value === "" || isPlaceholder(value)) continue;
      const nested = value.includes("\n") ? parseNested(value)?.value : undefined;
      if (nested !== undefined && (isRecord(nested) || Array.isArray(nested))) {
        // A config file (objstore.yml, …): values under credential keys must be placeholders; every other
        // string still goes through the literal-credential scan (an AWS key under `key:` is still one).
        const judged = new Set<string>();
        for (const [path, v] of credentialLeaves(nested, [])) {
          judged.add(JSON.stringify(path));
          if (!isPlaceholder(v)) out.error(at([...segs, ...path]), M.secretPlaintext(display));
        }
        for (const [path, v] of stringLeaves(nested, [])) {
          if (judged.has(JSON.stringify(path)) || isNonLiteral(v)) continue;
          scanText(v, () => at([...segs, ...path]), opts, out);
        }
        continue;
      }
      out.error(at(segs), M.secretPlaintext(display));
    }
  }
}

function decodeBase64(value: string): string | undefined {
  const compact = value.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) return undefined;
  return Buffer.from(compact, "base64").toString("utf8");
}

/** A multi-line string read as a YAML 1.1 document, or undefined when it is not YAML. */
function parseNested(text: string): { doc: Document; value: unknown } | undefined {
  const doc = parseDocument(text, { version: "1.1" });
  if (doc.errors.length > 0) return undefined;
  return { doc, value: doc.toJS({ maxAliasCount: -1 }) as unknown };
}

/** Every value under a credential-looking key inside a nested structure (scalars stringified). */
function credentialLeaves(value: unknown, path: Segment[]): [Segment[], unknown][] {
  const found: [Segment[], unknown][] = [];
  if (Array.isArray(value)) {
    value.forEach((v, i) => found.push(...credentialLeaves(v, [...path, i])));
  } else if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (isCredentialKey(k) && !isRecord(v) && !Array.isArray(v) && v !== null && typeof v !== "boolean") {
        found.push([[...path, k], v]);
      } else {
        found.push(...credentialLeaves(v, [...path, k]));
      }
    }
  }
  return found;
}

/** Every string inside a nested structure, with its path. */
function stringLeaves(value: unknown, path: Segment[]): [Segment[], string][] {
  if (typeof value === "string") return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, [...path, i]));
  if (isRecord(value)) return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, [...path, k]));
  return [];
}

// --- Literal credentials anywhere --------------------------------------------------------------------------

/**
 * Names that, with a literal value, make a Compose/container environment variable a credential:
 * `isCredentialKey` plus the usual env spellings `*_PASS`, `*_PWD`, `*_SECRET`, `*_TOKEN`, `*_API_KEY`,
 * `*_CREDENTIALS`.
 */
const ENV_CREDENTIAL_NAME = /(?:^|_)(?:PASSWORD|PASSWD|PASS|PWD|SECRET|TOKEN|API_?KEY|CREDENTIALS?)$/i;
/** Compose interpolation (`$VAR`, `${VAR}`, `${VAR:?error}`, `${VAR:-}`) and Kubernetes `$(VAR)` references. */
const ENV_INTERPOLATION = /^(?:\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*(?::?\?[^}]*|:?-)?\}|\$\([A-Za-z_][A-Za-z0-9_]*\))$/;

function isCredentialEnvName(name: string): boolean {
  return isCredentialKey(name) || ENV_CREDENTIAL_NAME.test(name);
}

function isEnvReference(value: string): boolean {
  return isNonLiteral(value) || ENV_INTERPOLATION.test(value);
}

/** The last segment names a credential: a credential key, or a credential-like name in a Compose `environment` map. */
function isCredentialName(path: readonly Segment[]): boolean {
  const key = path[path.length - 1];
  if (typeof key !== "string") return false;
  return isCredentialKey(key) || (path[path.length - 2] === "environment" && isCredentialEnvName(key));
}

/**
 * One string of a document: a literal value under a credential key (or a Compose `environment` entry
 * `NAME=literal` / `NAME: literal` with a credential-like name), else htpasswd/AWS-key/private-key/assignment
 * patterns inside it. Multi-line strings that hold YAML are walked as documents of their own (objects inside
 * them included).
 */
function walkString(value: string, path: Segment[], w: Walk): void {
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
      walkValue(nested.value, path, { ...w, doc: nested.doc, docBase: path, sops: undefined }, false);
      return;
    }
  }
  scanText(value, () => w.at(path), w.opts, w.out);
}

/** Line-wise patterns for text that is not structured data (Alloy configs, scripts, embedded text). */
function scanText(text: string, at: (line: number) => string, opts: PolicyOptions, out: Collector): void {
  text.split("\n").forEach((line, i) => {
    const htpasswd = HTPASSWD_ENTRY.exec(line);
    if (htpasswd) out.error(at(i + 1), M.htpasswd(htpasswd[1] ?? "", opts.basicAuthSecret));
    if (AWS_KEY.test(line)) out.error(at(i + 1), M.awsKey());
    if (PRIVATE_KEY.test(line)) out.error(at(i + 1), M.privateKey());
    for (const m of line.matchAll(LITERAL_ASSIGNMENT)) {
      const literal = m[2] ?? "";
      if (!isNonLiteral(literal)) out.error(at(i + 1), M.literalCredential(m[1] ?? ""));
    }
  });
}

// --- Env files ---------------------------------------------------------------------------------------------

function checkEnvFile(file: PolicyFile, out: Collector): void {
  file.content.split("\n").forEach((raw, i) => {
    const line = raw.replace(/\r$/, "").trim();
    if (line === "" || line.startsWith("#")) return;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(line);
    const where = `${file.path} line ${i + 1}`;
    if (!m) {
      out.error(where, M.envMalformed());
      return;
    }
    const key = m[1] ?? "";
    if (key.startsWith("sops_")) return;
    let value = m[2] ?? "";
    if (/^(["']).*\1$/.test(value)) value = value.slice(1, -1);
    if (!isNonLiteral(value)) out.error(where, M.envPlaintext(key));
  });
}

// --- Ingresses ---------------------------------------------------------------------------------------------

/** The configured annotation prefix, with its trailing `/`. */
function annotationPrefix(opts: PolicyOptions): string {
  const prefix = opts.annotationPrefix ?? INGRESS_NGINX_PREFIX;
  return prefix.endsWith("/") ? prefix : `${prefix}/`;
}

/**
 * The annotation name without the controller prefix, lower-cased, or undefined for other annotations. Keys
 * are compared case-insensitively: a key that differs from a known one only in case is judged like it
 * (refused if that one is refused), whether or not the controller would read it.
 */
function controllerAnnotation(name: string, opts: PolicyOptions): string | undefined {
  const prefix = annotationPrefix(opts).toLowerCase();
  const lower = name.toLowerCase();
  return lower.startsWith(prefix) ? lower.slice(prefix.length) : undefined;
}

/** Snippet rejection and the allowlist, for an Ingress's annotations or a chart's ingress annotation values. */
function checkIngressAnnotations(annotations: Record<string, unknown>, base: readonly Segment[], at: At, opts: PolicyOptions, out: Collector): void {
  const extra = new Set((opts.extraAllowedIngressAnnotations ?? []).map((a) => a.toLowerCase()));
  for (const name of Object.keys(annotations)) {
    const short = controllerAnnotation(name, opts);
    if (short === undefined) continue;
    if (short.includes("snippet")) out.error(at([...base, name]), M.snippet());
    else if (!ALLOWLIST.has(short) && !extra.has(short)) out.error(at([...base, name]), M.notAllowlisted());
  }
}

const ALLOWLIST: ReadonlySet<string> = new Set(INGRESS_ANNOTATION_ALLOWLIST);

function checkIngress(obj: Record<string, unknown>, at: At, opts: PolicyOptions, out: Collector): void {
  const meta = isRecord(obj["metadata"]) ? obj["metadata"] : {};
  const annotations = isRecord(meta["annotations"]) ? meta["annotations"] : {};
  const namespace = str(meta["namespace"]);
  const annPath = (name: string): Segment[] => ["metadata", "annotations", name];
  checkIngressAnnotations(annotations, ["metadata", "annotations"], at, opts, out);

  const allowed = new Map<string, string[]>();
  for (const e of opts.writeEndpoints) allowed.set(e.host, [...(allowed.get(e.host) ?? []), e.path]);
  const spec = isRecord(obj["spec"]) ? obj["spec"] : {};
  const rules = Array.isArray(spec["rules"]) ? spec["rules"] : [];
  const writeHosts = rules.map((r) => (isRecord(r) ? str(r["host"]) : undefined)).filter((h): h is string => h !== undefined && allowed.has(h));
  if (writeHosts.length === 0) return;
  const host = writeHosts[0] as string;

  const wantClass = opts.ingressClassName ?? STACK_DEFAULTS.ingressClassName;
  const foundClass = str(spec["ingressClassName"]) ?? str(annotations["kubernetes.io/ingress.class"]);
  if (foundClass !== wantClass) out.error(at(["spec", "ingressClassName"]), M.wrongIngressClass(host, wantClass, foundClass));
  if (spec["defaultBackend"] !== undefined) out.error(at(["spec", "defaultBackend"]), M.defaultBackend(host));

  rules.forEach((rule, r) => {
    if (!isRecord(rule)) return;
    const h = str(rule["host"]);
    const paths = h === undefined ? undefined : allowed.get(h);
    if (h === undefined || paths === undefined) return;
    const http = isRecord(rule["http"]) ? rule["http"] : {};
    const list = Array.isArray(http["paths"]) ? http["paths"] : [];
    list.forEach((p, j) => {
      const entry = isRecord(p) ? p : {};
      const base: Segment[] = ["spec", "rules", r, "http", "paths", j];
      const pathType = str(entry["pathType"]);
      if (pathType !== "Exact") out.error(at([...base, "pathType"]), M.notExact(h, pathType));
      const path = str(entry["path"]);
      if (path === undefined || !paths.includes(path)) out.error(at([...base, "path"]), M.notWritePath(h, path, paths));
    });
  });

  // Required annotations are looked up exactly as the controller reads them (configured prefix, exact case).
  const prefix = annotationPrefix(opts);
  const authType = str(annotations[`${prefix}auth-type`]);
  if (authType !== "basic") out.error(at(annPath(`${prefix}auth-type`)), M.requiredAnnotation("basic", authType));
  const authSecret = str(annotations[`${prefix}auth-secret`]);
  const secretOk =
    authSecret === opts.basicAuthSecret || (namespace !== undefined && authSecret === `${namespace}/${opts.basicAuthSecret}`);
  if (!secretOk) out.error(at(annPath(`${prefix}auth-secret`)), M.requiredAnnotation(opts.basicAuthSecret, authSecret));
  const redirect = str(annotations[`${prefix}force-ssl-redirect`]);
  if (redirect !== "true") out.error(at(annPath(`${prefix}force-ssl-redirect`)), M.requiredAnnotation("true", redirect));

  for (const [name, value] of Object.entries(annotations)) {
    const short = controllerAnnotation(name, opts);
    if (short === undefined || !HOST_WIDENING.has(short)) continue;
    if (short === "use-regex" && value === "false") continue;
    out.error(at(annPath(name)), M.hostWidening(short));
  }
}

// --- Label and annotation value types ------------------------------------------------------------------------

function checkMetadataTypes(node: unknown, path: Segment[], at: (s: readonly Segment[]) => string, out: Collector): void {
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

function describeNonString(kind: "label" | "annotation", key: string, node: YamlNode | null): string | undefined {
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
function checkMetadataValueTypes(value: unknown, path: Segment[], at: At, out: Collector): void {
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

function jsonType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a sequence";
  if (typeof v === "object") return "a mapping";
  return typeof v === "boolean" ? "a boolean" : "a number";
}

// --- Namespace -----------------------------------------------------------------------------------------------

/** Objects whose deletion loses data opt out of pruning (Flux's annotation; for a PVC, ArgoCD's option too). */
function checkPruneProtection(obj: Record<string, unknown>, at: At, out: Collector): void {
  const meta = isRecord(obj["metadata"]) ? obj["metadata"] : {};
  const annotations = isRecord(meta["annotations"]) ? meta["annotations"] : {};
  const name = str(meta["name"]) ?? "(unnamed)";
  if (annotations[FLUX_PRUNE_ANNOTATION] === FLUX_PRUNE_DISABLED) return;
  if (obj["kind"] === "Namespace") {
    out.error(at(["metadata", "annotations"]), M.pruneNamespace(name));
    return;
  }
  const argo = str(annotations["argocd.argoproj.io/sync-options"]) ?? "";
  if (!argo.split(",").map((o) => o.trim()).includes("Prune=false")) out.error(at(["metadata", "annotations"]), M.prunePvc(name));
}

function checkNamespaces(found: readonly FoundNamespace[], opts: PolicyOptions, out: Collector): void {
  if (found.length === 0) {
    out.error(`Namespace/${opts.namespace}`, M.noNamespace(opts.namespace));
    return;
  }
  for (const ns of found) {
    const labels = isRecord(ns.labels) ? ns.labels : {};
    for (const mode of ["enforce", "warn"] as const) {
      const label = `pod-security.kubernetes.io/${mode}`;
      const want = opts.podSecurity[mode];
      const value = labels[label];
      const path = ns.at(["metadata", "labels", label]);
      if (value === undefined) out.error(path, M.podSecurityMissing(want));
      else if (value !== want) out.error(path, M.podSecurityWrong(String(value), want));
    }
  }
}
