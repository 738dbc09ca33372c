/** Labels every generated object carries, so `kubectl get -l` finds what this tool owns. */
export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
export const MANAGED_BY = "o11y-gitops";
export const PART_OF_LABEL = "app.kubernetes.io/part-of";
export const SYNC_WAVE = "argocd.argoproj.io/sync-wave";
