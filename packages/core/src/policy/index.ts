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
import type { Problem } from "../problems.js";
import { Collector } from "./common.js";
import { POLICY_MESSAGES as M } from "./messages.js";
import { checkNamespaces, type FoundNamespace } from "./namespaces.js";
import type { PolicyFile, PolicyOptions, PolicyResult } from "./options.js";
import { checkFile } from "./walk.js";
import { emittedDocuments } from "../yaml.js";

export { isCredentialKey } from "./credentials.js";
export { POLICY_MESSAGES } from "./messages.js";
export { policyOptionsForStack, type PolicyFile, type PolicyOptions, type PolicyResult } from "./options.js";

/**
 * Check the rendered tree against the security policy. Pure: reads only the given contents. Errors are
 * ordered by file, then document, then field.
 */
export function checkTreePolicy(files: readonly PolicyFile[], opts: PolicyOptions): PolicyResult {
  const out = new Collector();
  const namespaces: FoundNamespace[] = [];
  // Files core's emitter wrote are walked as the values their text reads back as, not parsed again.
  for (const file of files) checkFile(file, opts, out, namespaces, true, emittedDocuments);
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
  // A file that is not YAML holds no value this policy can find; the writer reports it as unreadable. A seeded
  // file still byte for byte as core's emitter wrote it is walked as the values it reads back as, not parsed.
  for (const file of files) checkFile(file, opts, out, [], false, emittedDocuments);
  return out.errors;
}
