import type { Problem } from "../problems.js";
import type { Stack } from "../stack.js";

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
