/** Labels every generated object carries, so `kubectl get -l` finds what this tool owns. */
export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
/** The value of `MANAGED_BY_LABEL` on every generated object. */
export const MANAGED_BY = "o11y-gitops";
/** Label naming the stack an object belongs to. */
export const PART_OF_LABEL = "app.kubernetes.io/part-of";
/** ArgoCD annotation ordering Applications and manifests (derived from `Component.dependsOn`). */
export const SYNC_WAVE = "argocd.argoproj.io/sync-wave";
/**
 * Flux's per-object opt-out of garbage collection: a Kustomization with `prune: true` never deletes an
 * object carrying it with value `disabled`, even when the object leaves the source or the Kustomization is
 * deleted or renamed.
 */
export const FLUX_PRUNE_ANNOTATION = "kustomize.toolkit.fluxcd.io/prune";
/** The value of `FLUX_PRUNE_ANNOTATION` that turns pruning off for the object. */
export const FLUX_PRUNE_DISABLED = "disabled";
