/** The stack namespace's Pod Security labels, and Flux/ArgoCD prune protection for Namespaces and PVCs. */
import { FLUX_PRUNE_ANNOTATION, FLUX_PRUNE_DISABLED } from "../labels.js";
import { type At, type Collector, isRecord, str } from "./common.js";
import { POLICY_MESSAGES as M } from "./messages.js";
import type { PolicyOptions } from "./options.js";

export /** A Namespace object found in the tree (at any depth). */
interface FoundNamespace {
  at: At;
  labels: unknown;
}

/** Objects whose deletion loses data opt out of pruning (Flux's annotation; for a PVC, ArgoCD's option too). */
export function checkPruneProtection(obj: Record<string, unknown>, at: At, out: Collector): void {
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

export function checkNamespaces(found: readonly FoundNamespace[], opts: PolicyOptions, out: Collector): void {
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
