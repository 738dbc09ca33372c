// Checks of stack fields shared by several components (object store, S3 secret, volumes, releases),
// as Problems with exact messages naming the stack path. Each component's check calls the ones it reads.
import { parseDuration } from "./duration.js";
import type { Problem } from "./problems.js";
import type { Stack } from "./stack.js";

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
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

/** A Secret name: a DNS-1123 subdomain of at most 253 characters. */
export function secretNameProblems(path: string, name: string): Problem[] {
  return DNS_SUBDOMAIN.test(name) && name.length <= 253
    ? []
    : [{ path, message: `${q(name)} is not a valid Secret name (a DNS-1123 subdomain)` }];
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

/** The StorageClass every PVC names, and one volume size. */
export function volumeProblems(stack: Stack, volume: keyof Stack["volumes"]): Problem[] {
  const out: Problem[] = [];
  if (!DNS_SUBDOMAIN.test(stack.storageClass)) {
    out.push({ path: "stack.storageClass", message: `${q(stack.storageClass)} is not a valid StorageClass name (a DNS-1123 subdomain)` });
  }
  const size = stack.volumes[volume];
  if (!QUANTITY.test(size)) {
    out.push({ path: `stack.volumes.${volume}`, message: `${q(size)} is not a volume size like 10Gi (a positive integer and Ki, Mi, Gi or Ti)` });
  }
  return out;
}

/** A Helm release name (Helm's own rule: a DNS-1123 label of at most 53 characters). */
export function releaseProblems(path: string, release: string): Problem[] {
  if (DNS_LABEL.test(release) && release.length <= 53) return [];
  return [{ path, message: `${q(release)} is not a valid Helm release name (lowercase letters, digits and "-", at most 53 characters)` }];
}
