// Checks of stack fields shared by several components (object store, tenant, S3 secret, volumes, releases),
// as Problems with exact messages naming the stack path. `stackConfigProblems` runs every one of them once;
// each component's check covers only the fields the component alone reads.
import { parseDuration } from "./duration.js";
import { isInsideRoot } from "./fileset.js";
import { StackError, type Problem } from "./problems.js";
import { stackPartOf, type Stack } from "./stack.js";
import { stackShapeProblems } from "./stack-shape.js";

/** Kubernetes' DNS-1123 label (namespaces, most names used as DNS names): at most 63 characters. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Kubernetes' DNS-1123 subdomain (most object names: Secrets, StorageClasses, CRD objects): at most 253. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Kubernetes' label value: empty, or at most 63 alphanumerics, `-`, `_`, `.`, alphanumeric at both ends. */
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
const HOST_PORT = /^([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const QUANTITY = /^[1-9][0-9]*(Ki|Mi|Gi|Ti)$/;
/**
 * dskit's tenant-ID rule, which Loki enforces on `X-Scope-OrgID`: 1-150 of these ASCII characters (so
 * bytes = characters; no spaces, no `|`, which Loki reads as a multi-tenant separator), not `.` or `..`.
 */
const TENANT_ID = /^[A-Za-z0-9!\-_.*'()]{1,150}$/;

const q = (v: string): string => JSON.stringify(v);

/** A stack duration in seconds, or the problem with it. */
export function durationSeconds(path: string, value: string): number | Problem {
  const s = parseDuration(value);
  if (s === undefined) {
    return { path, message: `${q(value)} is not a duration like 30d (an integer and one unit: s, m, h, d, w or y)` };
  }
  return s;
}

/**
 * Seconds as the shortest exact duration in the units Go's time.ParseDuration and Prometheus'
 * model.Duration both read (`h`, `m`, `s`): 30d → `720h`, 90s → `90s`.
 */
export function hoursMinutesSeconds(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/**
 * The Loki tenant (`stack.lokiTenant`): Loki runs with `auth_enabled`, Alloy sends it as `tenant_id` and
 * Grafana as `X-Scope-OrgID`, so it must be one valid tenant ID. The one rule and message for the field.
 */
export function tenantProblems(stack: Stack): Problem[] {
  const tenant = stack.lokiTenant;
  if (TENANT_ID.test(tenant) && tenant !== "." && tenant !== "..") return [];
  return [{
    path: "stack.lokiTenant",
    message: `${q(tenant)} is not a valid Loki tenant ID (1-150 characters: letters, digits and !-_.*'() only, not "." or "..")`,
  }];
}

function nonEmpty(path: string, value: string): Problem | undefined {
  return value.trim() === "" ? { path, message: "must not be empty" } : undefined;
}

/** An S3 bucket name (AWS naming rules, which SeaweedFS and MinIO follow). */
export function bucketProblems(path: string, name: string): Problem[] {
  const empty = nonEmpty(path, name);
  if (empty) return [empty];
  if (!BUCKET.test(name) || name.includes("..")) {
    return [{
      path,
      message: `${q(name)} is not a valid S3 bucket name (3-63 characters: lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit)`,
    }];
  }
  return [];
}

/** The object store's endpoint and region (the scheme is derived from `insecure`, so none may be written). */
export function objectStoreProblems(stack: Stack): Problem[] {
  const out: Problem[] = [];
  const { endpoint, region } = stack.objectStore;
  const path = "stack.objectStore.endpoint";
  const empty = nonEmpty(path, endpoint);
  if (empty) out.push(empty);
  else if (endpoint.includes("://")) {
    out.push({ path, message: `${q(endpoint)} must be host[:port] without a scheme (stack.objectStore.insecure selects http or https)` });
  } else if (!HOST_PORT.test(endpoint)) {
    out.push({ path, message: `${q(endpoint)} is not a host[:port]` });
  }
  const regionEmpty = nonEmpty("stack.objectStore.region", region);
  if (regionEmpty) out.push(regionEmpty);
  return out;
}

/**
 * A name that must be a DNS-1123 label (a Namespace, a Helm-derived Service, a host label): lowercase
 * letters, digits and `-`, alphanumeric at both ends, at most 63 characters. `what` names it in the message.
 */
export function dnsLabelProblems(path: string, value: string, what: string): Problem[] {
  if (!DNS_LABEL.test(value)) {
    return [{ path, message: `${q(value)} is not a valid ${what} (a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit)` }];
  }
  if (value.length > 63) {
    return [{ path, message: `${q(value)} is not a valid ${what} (a DNS-1123 label: at most 63 characters, found ${value.length})` }];
  }
  return [];
}

/** A name that must be a DNS-1123 subdomain (a Secret, an AppProject, a StorageClass, …): at most 253 characters. */
export function dnsSubdomainProblems(path: string, value: string, what: string): Problem[] {
  return DNS_SUBDOMAIN.test(value) && value.length <= 253
    ? []
    : [{ path, message: `${q(value)} is not a valid ${what} (a DNS-1123 subdomain)` }];
}

/**
 * A Kubernetes label value derived from `path`'s field: empty or at most 63 characters of letters, digits,
 * `-`, `_` and `.`, alphanumeric at both ends. `what` says which label takes the value.
 */
export function labelValueProblems(path: string, value: string, what: string): Problem[] {
  if (LABEL_VALUE.test(value) && value.length <= 63) return [];
  return [{
    path,
    message: `${q(value)} (${what}) is not a valid label value (at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit)`,
  }];
}

/** A Secret name: a DNS-1123 subdomain of at most 253 characters. */
export function secretNameProblems(path: string, name: string): Problem[] {
  return dnsSubdomainProblems(path, name, "Secret name");
}

/** A key of a Secret's data: letters, digits, `-`, `_` and `.`. */
export function secretKeyProblems(path: string, key: string): Problem[] {
  return SECRET_KEY.test(key) ? [] : [{ path, message: `${q(key)} is not a valid Secret key (letters, digits, "-", "_" and ".")` }];
}

/** The S3 credentials Secret: a valid name, and valid names for the two keys the env vars read. */
export function s3SecretProblems(stack: Stack): Problem[] {
  const s = stack.secrets.s3Credentials;
  const base = "stack.secrets.s3Credentials";
  return [
    ...secretNameProblems(`${base}.name`, s.name),
    ...secretKeyProblems(`${base}.accessKeyIdKey`, s.accessKeyIdKey),
    ...secretKeyProblems(`${base}.secretAccessKeyKey`, s.secretAccessKeyKey),
  ];
}

/** A volume size: a positive Kubernetes quantity in binary units (`10Gi`); `0Gi`, `-2Gi`, `1.5Gi`, `10G` are refused. */
export function quantityProblems(path: string, size: string): Problem[] {
  return QUANTITY.test(size) ? [] : [{ path, message: `${q(size)} is not a volume size like 10Gi (a positive integer and Ki, Mi, Gi or Ti)` }];
}

/** The StorageClass every PVC names, and one volume size. */
export function volumeProblems(stack: Stack, volume: keyof Stack["volumes"]): Problem[] {
  return [
    ...dnsSubdomainProblems("stack.storageClass", stack.storageClass, "StorageClass name"),
    ...quantityProblems(`stack.volumes.${volume}`, stack.volumes[volume]),
  ];
}

/** A Helm release name (Helm's own rule: a DNS-1123 label of at most 53 characters). */
export function releaseProblems(path: string, release: string): Problem[] {
  if (DNS_LABEL.test(release) && release.length <= 53) return [];
  return [{ path, message: `${q(release)} is not a valid Helm release name (lowercase letters, digits and "-", at most 53 characters)` }];
}

/**
 * Fields of one group that must all differ: for each value seen before, a problem on the later field
 * naming the earlier one. `why` ends the message.
 */
function distinctProblems(base: string, fields: Readonly<Record<string, string>>, why: string): Problem[] {
  const out: Problem[] = [];
  const first = new Map<string, string>();
  for (const [field, value] of Object.entries(fields)) {
    const earlier = first.get(value);
    if (earlier !== undefined) {
      out.push({ path: `${base}.${field}`, message: `${q(value)} is also ${base}.${earlier}; ${why}` });
    } else {
      first.set(value, field);
    }
  }
  return out;
}


/**
 * Every field of the stack that becomes a Kubernetes name, a label value or part of a file path, with its
 * real rule, and the fields that must not collide. Runs before any builder (`stackProblems` in
 * @o11y-gitops/stack) and again in `render`, so a bad name never reaches a file name or a manifest:
 * - DNS-1123 labels: `namespace` (at most 57 characters, so `<namespace>-stack` stays a label value),
 *   `cluster`, the ArgoCD and Flux namespaces, the host labels, the Helm release names (at most 53);
 * - DNS-1123 subdomains: the Secret names, the AppProject, the Flux GitRepository and age-key Secret, the
 *   StorageClass and IngressClass; Secret keys in Kubernetes' key syntax;
 * - `gitops.rootPath` and `dockerAlloyPath` relative paths inside the repository, `gitops.repoDir` one or
 *   `""`; positive quantities for
 *   every volume;
 * - the Loki tenant (Loki, Grafana and Alloy send it) and the object store's endpoint and region (Loki,
 *   Tempo and Thanos read them);
 * - no two buckets, hosts, releases or Secrets alike (Loki's and Thanos' compactors and Tempo delete objects
 *   they do not recognise as their own; two Ingresses on one host, two releases or two Secrets of one name
 *   overwrite each other).
 */
export function stackConfigProblems(stack: Stack): Problem[] {
  if (checkedNow.has(stack)) return [];
  // The shape first (unknown keys, missing fields, wrong types): the rules below read fields a plain-JS
  // config may lack or mistype, and enums (Pod Security levels) are checked there.
  const shape = stackShapeProblems(stack);
  if (shape.length > 0) return shape;
  const out: Problem[] = [];
  out.push(...dnsLabelProblems("stack.namespace", stack.namespace, "namespace"));
  if (out.length === 0) {
    out.push(...labelValueProblems("stack.namespace", stackPartOf(stack), "the app.kubernetes.io/part-of label, <namespace>-stack"));
  }
  out.push(...dnsLabelProblems("stack.cluster", stack.cluster, "cluster name"));
  for (const [key, host] of Object.entries(stack.hosts)) out.push(...dnsLabelProblems(`stack.hosts.${key}`, host, "host label"));
  out.push(...distinctProblems("stack.hosts", stack.hosts, "each endpoint needs a host of its own (two Ingresses on one host share its paths and auth)"));
  out.push(...dnsSubdomainProblems("stack.ingressClassName", stack.ingressClassName, "IngressClass name"));
  out.push(...dnsSubdomainProblems("stack.storageClass", stack.storageClass, "StorageClass name"));
  for (const [key, size] of Object.entries(stack.volumes)) out.push(...quantityProblems(`stack.volumes.${key}`, size));
  for (const [key, bucket] of Object.entries(stack.objectStore.buckets)) {
    out.push(...bucketProblems(`stack.objectStore.buckets.${key}`, bucket));
  }
  out.push(
    ...distinctProblems(
      "stack.objectStore.buckets",
      stack.objectStore.buckets,
      "each consumer needs a bucket of its own (Loki's compactor, Thanos' compactor and Tempo delete objects they do not recognise as their own)",
    ),
  );
  const secrets = stack.secrets;
  const keyFields: Record<keyof Stack["secrets"], readonly string[]> = {
    s3Credentials: ["accessKeyIdKey", "secretAccessKeyKey"],
    thanosObjstore: ["key"],
    // Its one valid key is ingress-nginx's auth-file key, a rule of its own (checkWriteEndpoints in @o11y-gitops/ingress).
    basicAuth: [],
    grafanaAdmin: ["userKey", "passwordKey"],
  };
  for (const [name, fields] of Object.entries(keyFields) as [keyof Stack["secrets"], readonly string[]][]) {
    const secret = secrets[name] as unknown as Record<string, string>;
    out.push(...secretNameProblems(`stack.secrets.${name}.name`, secret["name"] ?? ""));
    for (const f of fields) out.push(...secretKeyProblems(`stack.secrets.${name}.${f}`, secret[f] ?? ""));
  }
  const names = Object.fromEntries(Object.entries(secrets).map(([k, v]) => [`${k}.name`, v.name]));
  out.push(...distinctProblems("stack.secrets", names, "each Secret needs a name of its own (they would overwrite each other)"));
  for (const [key, release] of Object.entries(stack.releases)) out.push(...releaseProblems(`stack.releases.${key}`, release));
  out.push(...distinctProblems("stack.releases", stack.releases, "each Helm release needs a name of its own (their objects would collide)"));
  const g = stack.gitops;
  out.push(
    ...dnsLabelProblems("stack.gitops.argocdNamespace", g.argocdNamespace, "namespace"),
    ...dnsLabelProblems("stack.gitops.fluxNamespace", g.fluxNamespace, "namespace"),
    ...dnsSubdomainProblems("stack.gitops.argocdProject", g.argocdProject, "AppProject name"),
    ...dnsSubdomainProblems("stack.gitops.fluxSource", g.fluxSource, "GitRepository name"),
    ...secretNameProblems("stack.gitops.sopsAgeSecret", g.sopsAgeSecret),
  );
  if (!isInsideRoot(g.rootPath)) {
    out.push({ path: "stack.gitops.rootPath", message: `${q(g.rootPath)} is not a relative path inside the repository (no leading "/", no "." or ".." segments)` });
  }
  if (g.repoDir !== "" && !isInsideRoot(g.repoDir)) {
    out.push({ path: "stack.gitops.repoDir", message: `${q(g.repoDir)} is not "" or a relative path inside the repository (no leading "/", no "." or ".." segments)` });
  }
  if (!isInsideRoot(stack.dockerAlloyPath)) {
    out.push({ path: "stack.dockerAlloyPath", message: `${q(stack.dockerAlloyPath)} is not a relative path inside the repository (no leading "/", no "." or ".." segments)` });
  }
  out.push(...tenantProblems(stack), ...objectStoreProblems(stack));
  out.push(...componentSelectionProblems(stack));
  return out;
}

/**
 * Contradictions in `stack.components`, the one place they are checked:
 * - the Loki push endpoint needs Loki;
 * - the Kubernetes collectors ship pod logs and traces, so they need Loki or Tempo;
 * - the Docker hosts push only through the write endpoints, so they need at least one;
 * - the tenant-pinning values pin the Loki push endpoint's tenant, so they need that endpoint.
 */
export function componentSelectionProblems(stack: Stack): Problem[] {
  const c = stack.components;
  const out: Problem[] = [];
  if (c.writeEndpoints.loki && !c.loki) {
    out.push({ path: "stack.components.writeEndpoints.loki", message: "the Loki push endpoint needs Loki (stack.components.loki is false)" });
  }
  if (c.k8sCollectors && !c.loki && !c.tempo) {
    out.push({
      path: "stack.components.k8sCollectors",
      message: "the Kubernetes collectors ship pod logs to Loki and traces to Tempo, and both are off (stack.components.loki and stack.components.tempo are false)",
    });
  }
  if (c.dockerHosts && !c.writeEndpoints.prometheus && !c.writeEndpoints.loki) {
    out.push({
      path: "stack.components.dockerHosts",
      message: "the Docker hosts push only through the write endpoints, and both are off (stack.components.writeEndpoints.prometheus and .loki are false)",
    });
  }
  if (c.infraMonitoring.lokiTenantPinning && !c.writeEndpoints.loki) {
    out.push({
      path: "stack.components.infraMonitoring.lokiTenantPinning",
      message: "pins the tenant of the Loki push endpoint, which is off (stack.components.writeEndpoints.loki is false)",
    });
  }
  return out;
}

/** The stack objects a running `withCheckedStack` call found without problems. */
const checkedNow = new WeakSet<object>();

/**
 * Check `stack` once (`stackConfigProblems`; a StackError when it has problems), then run `fn`, inside which
 * `stackConfigProblems` of this very object answers "no problems" without checking it again: the builders
 * `fn` calls each check the stack they are given, and in one render they are given the same one, unchanged.
 * Any other object (a copy, a variant) is checked as always, and the mark is gone when `fn` returns or
 * throws. `fn` runs synchronously, and neither it nor anything it calls may change `stack`.
 */
export function withCheckedStack<T>(stack: Stack, fn: () => T): T {
  const problems = stackConfigProblems(stack);
  if (problems.length > 0) throw new StackError(problems);
  return whileChecked(stack, fn);
}

/** `fn` with `stack` marked as checked (the caller has just found it without problems); core only. */
export function whileChecked<T>(stack: Stack, fn: () => T): T {
  if (checkedNow.has(stack)) return fn();
  checkedNow.add(stack);
  try {
    return fn();
  } finally {
    checkedNow.delete(stack);
  }
}
