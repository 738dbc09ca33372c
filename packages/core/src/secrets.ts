/**
 * The stack's Secrets, built from the Stack (names, keys, object-store settings) plus values supplied by the
 * caller. `render` seeds them with placeholders (value-free skeletons the user fills and SOPS-encrypts);
 * `pnpm secrets rotate-s3` builds them with real credentials and pipes them straight into `sops`.
 * Pure functions: no disk, no environment.
 */
import { DEFAULT_TOOLING, type Tooling } from "./tooling.js";
import { createHash } from "node:crypto";
import { Secret } from "kubernetes-models/v1/Secret";
import type { K8sObject } from "./component.js";
import { MANAGED_BY, MANAGED_BY_LABEL, PART_OF_LABEL } from "./labels.js";
import { assertNoProblems, type Problem } from "./problems.js";
import { stackPartOf, type Stack } from "./stack.js";
import { toYaml } from "./yaml.js";

// ---------------------------------------------------------------------------------------------------------
// Placeholders.

/** How every placeholder value starts: `<REPLACE_ME: description>`. */
export const PLACEHOLDER_PREFIX = "<REPLACE_ME: ";

/** A whole value that is a placeholder: `<REPLACE_ME: ` + a one-line description without `<`/`>` + `>`. */
export const PLACEHOLDER_PATTERN = /^<REPLACE_ME: [^<>\r\n]+>$/;

/** A placeholder value, e.g. `placeholder("aws access key id")` → `<REPLACE_ME: aws access key id>`. */
export function placeholder(description: string): string {
  const value = `${PLACEHOLDER_PREFIX}${description}>`;
  if (description.trim() === "" || !PLACEHOLDER_PATTERN.test(value)) {
    throw new Error(`placeholder description ${JSON.stringify(description)} must be one non-empty line without "<" or ">"`);
  }
  return value;
}

/** True when `value` is exactly one placeholder. */
export function isPlaceholder(value: unknown): boolean {
  return typeof value === "string" && PLACEHOLDER_PATTERN.test(value);
}

/** Pass instead of real values to build a value-free skeleton. */
export const PLACEHOLDERS = "placeholders";
/** The type of `PLACEHOLDERS`, accepted by the secret builders in place of real values. */
export type Placeholders = typeof PLACEHOLDERS;

// ---------------------------------------------------------------------------------------------------------
// S3 credentials (shared by seaweedfs-s3-secret and thanos-objstore-secret).

/** One S3 key pair. The seed's rotation note: both S3 Secrets hold the same pair. */
export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** The placeholder key pair used in the seeded skeletons. */
export function s3PlaceholderCredentials(secrets: string = DEFAULT_TOOLING.secrets): S3Credentials {
  return {
    accessKeyId: placeholder(`S3 access key id; set with: ${secrets} rotate-s3`),
    secretAccessKey: placeholder(`S3 secret access key; set with: ${secrets} rotate-s3`),
  };
}

/**
 * Problems with a real key pair: empty, whitespace or control characters (a pasted line break), or a
 * placeholder left in.
 */
export function checkS3Credentials(creds: S3Credentials): Problem[] {
  const problems: Problem[] = [];
  for (const key of ["accessKeyId", "secretAccessKey"] as const) {
    const v = creds[key];
    const path = `credentials.${key}`;
    if (v === "") problems.push({ path, message: "is empty" });
    else if (isPlaceholder(v)) problems.push({ path, message: "is still a placeholder" });
    // eslint-disable-next-line no-control-regex
    else if (/[\s\u0000-\u001f\u007f]/.test(v)) problems.push({ path, message: "contains whitespace or control characters" });
  }
  return problems;
}

function resolveCreds(creds: S3Credentials | Placeholders, secrets: string): S3Credentials {
  if (creds === PLACEHOLDERS) return s3PlaceholderCredentials(secrets);
  assertNoProblems(checkS3Credentials(creds));
  return creds;
}

function opaqueSecret(
  stack: Stack,
  name: string,
  stringData: Record<string, string>,
  annotations?: Record<string, string>,
): K8sObject {
  const secret = new Secret({
    metadata: {
      name,
      namespace: stack.namespace,
      labels: { [MANAGED_BY_LABEL]: MANAGED_BY, [PART_OF_LABEL]: stackPartOf(stack) },
      ...(annotations ? { annotations } : {}),
    },
    type: "Opaque",
    stringData,
  });
  secret.validate();
  return secret.toJSON() as K8sObject;
}

/**
 * `seaweedfs-s3-secret`: the key pair as two keys, read by Loki and Tempo as environment variables
 * (key names from `stack.secrets.s3Credentials`).
 */
export function s3CredentialsSecret(stack: Stack, creds: S3Credentials | Placeholders, secrets: string = DEFAULT_TOOLING.secrets): K8sObject {
  const c = resolveCreds(creds, secrets);
  const ref = stack.secrets.s3Credentials;
  return opaqueSecret(stack, ref.name, {
    [ref.accessKeyIdKey]: c.accessKeyId,
    [ref.secretAccessKeyKey]: c.secretAccessKey,
  });
}

/**
 * The environment variables the S3 credentials reach Loki and Tempo through; their configs refer to them as
 * `${AWS_ACCESS_KEY_ID}` and `${AWS_SECRET_ACCESS_KEY}` and expand them at start-up (`-config.expand-env=true`).
 */
export const S3_CREDENTIAL_ENV = { accessKeyId: "AWS_ACCESS_KEY_ID", secretAccessKey: "AWS_SECRET_ACCESS_KEY" } as const;

/** A container env entry read from a Secret key. */
export interface SecretEnvVar {
  name: string;
  valueFrom: { secretKeyRef: { name: string; key: string } };
}

/** The container env (`extraEnv`) that reads the S3 credentials from the Secret {@link s3CredentialsSecret} writes. */
export function s3CredentialEnv(stack: Stack): SecretEnvVar[] {
  const ref = stack.secrets.s3Credentials;
  return [
    { name: S3_CREDENTIAL_ENV.accessKeyId, valueFrom: { secretKeyRef: { name: ref.name, key: ref.accessKeyIdKey } } },
    { name: S3_CREDENTIAL_ENV.secretAccessKey, valueFrom: { secretKeyRef: { name: ref.name, key: ref.secretAccessKeyKey } } },
  ];
}

/**
 * Thanos' objstore configuration (`objstore.yml`) for `stack.objectStore`: type S3, the Thanos bucket,
 * endpoint (host:port, no scheme), region, `insecure` (plain HTTP) and `bucket_lookup_type: path` when
 * path-style addressing is required (`auto` otherwise).
 */
export function thanosObjstoreConfig(stack: Stack, creds: S3Credentials | Placeholders, secrets: string = DEFAULT_TOOLING.secrets): Record<string, unknown> {
  const c = resolveCreds(creds, secrets);
  const os = stack.objectStore;
  return {
    type: "S3",
    config: {
      bucket: os.buckets.thanos,
      endpoint: os.endpoint,
      region: os.region,
      insecure: os.insecure,
      bucket_lookup_type: os.forcePathStyle ? "path" : "auto",
      access_key: c.accessKeyId,
      secret_key: c.secretAccessKey,
    },
  };
}

/**
 * Annotation carrying a fingerprint of the stack settings copied into a Secret's value (for
 * `objstore.yml`: bucket, endpoint, region, insecure, addressing; for the basic-auth htpasswd: the user).
 * SOPS encrypts only data/stringData, so
 * the annotation stays readable in the encrypted file and `generate --check` can tell when the stack
 * changed what the Secret holds.
 */
export const CONFIG_FINGERPRINT_ANNOTATION = "o11y-gitops/config-fingerprint";

/** `sha256:<first 16 hex>` of the JSON of `value`. */
function fingerprint(value: unknown): string {
  return `sha256:${createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 16)}`;
}

/**
 * `thanos-objstore-secret`: one key (`stack.secrets.thanosObjstore.key`) holding `objstore.yml`, annotated
 * with the fingerprint of its non-secret settings (the credentials are not part of it).
 */
export function thanosObjstoreSecret(stack: Stack, creds: S3Credentials | Placeholders, secrets: string = DEFAULT_TOOLING.secrets): K8sObject {
  const ref = stack.secrets.thanosObjstore;
  // The settings the stack decides, without the credentials (and so without any placeholder wording).
  const { access_key: _accessKey, secret_key: _secretKey, ...settings } = thanosObjstoreConfig(stack, PLACEHOLDERS)[
    "config"
  ] as Record<string, unknown>;
  return opaqueSecret(
    stack,
    ref.name,
    { [ref.key]: toYaml(thanosObjstoreConfig(stack, creds, secrets)) },
    { [CONFIG_FINGERPRINT_ANNOTATION]: fingerprint({ type: "S3", config: settings }) },
  );
}

// ---------------------------------------------------------------------------------------------------------
// Basic auth for the write endpoints.

const HTPASSWD_LINE = /^[^:\s]+:\S+$/;

/** The placeholder htpasswd value used in the seeded skeleton. */
export function basicAuthPlaceholder(stack: Stack, secrets: string = DEFAULT_TOOLING.secrets): string {
  const user = stack.secrets.basicAuth.user;
  return placeholder(`htpasswd line for user ${user}; create with: ${secrets} htpasswd ${user}`);
}

/**
 * `monitoring-basic-auth`: ingress-nginx's basic-auth Secret (`auth-secret-type: auth-file`), one key
 * (`stack.secrets.basicAuth.key`, `auth`) holding htpasswd lines (`user:$2y$…`).
 */
export function basicAuthSecret(stack: Stack, htpasswd: string | Placeholders, secrets: string = DEFAULT_TOOLING.secrets): K8sObject {
  const ref = stack.secrets.basicAuth;
  let value: string;
  if (htpasswd === PLACEHOLDERS) {
    value = basicAuthPlaceholder(stack, secrets);
  } else {
    const lines = htpasswd.replace(/\n$/, "").split("\n");
    const problems: Problem[] = [];
    lines.forEach((line, i) => {
      if (!HTPASSWD_LINE.test(line)) problems.push({ path: `htpasswd line ${i + 1}`, message: "is not an htpasswd entry (user:hash)" });
    });
    assertNoProblems(problems);
    value = `${lines.join("\n")}\n`;
  }
  // The user whose line this Secret must hold (Alloy and the Docker hosts send it): fingerprinted so that
  // `generate --check` notices when the stack's user no longer matches the encrypted file.
  return opaqueSecret(stack, ref.name, { [ref.key]: value }, { [CONFIG_FINGERPRINT_ANNOTATION]: fingerprint({ user: ref.user }) });
}

/**
 * Grafana's admin login, read by the chart through `grafana.admin.existingSecret` (otherwise the chart
 * generates a new random password on every render, which ArgoCD sees as permanent drift). Skeleton only.
 */
export function grafanaAdminSecret(stack: Stack): K8sObject {
  const ref = stack.secrets.grafanaAdmin;
  return opaqueSecret(stack, ref.name, {
    [ref.userKey]: placeholder("Grafana admin user name"),
    [ref.passwordKey]: placeholder("Grafana admin password, e.g. from: openssl rand -base64 24"),
  });
}

/**
 * The Secret skeletons `render` seeds once (value-free); placeholders name `tooling.secrets`. Only those a
 * component that is on reads: the S3 credentials for Loki or Tempo, the objstore config for Thanos, the
 * htpasswd for a write endpoint; Grafana's admin login always.
 */
export function secretSkeletons(stack: Stack, tooling: Tooling = DEFAULT_TOOLING): K8sObject[] {
  const c = stack.components;
  return [
    ...(c.loki || c.tempo ? [s3CredentialsSecret(stack, PLACEHOLDERS, tooling.secrets)] : []),
    ...(c.thanos ? [thanosObjstoreSecret(stack, PLACEHOLDERS, tooling.secrets)] : []),
    ...(c.writeEndpoints.prometheus || c.writeEndpoints.loki ? [basicAuthSecret(stack, PLACEHOLDERS, tooling.secrets)] : []),
    grafanaAdminSecret(stack),
  ];
}
