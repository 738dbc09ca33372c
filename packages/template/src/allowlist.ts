// The reviewed exceptions of the checks, each with its reason. Keep them few; an entry that no longer matches
// anything is reported (a stale exception hides nothing, but says something false).

/** Secrets a controller or hook creates after install, so neither a chart render nor the tree holds them. */
export const RUNTIME_SECRETS: Readonly<Record<string, string>> = {};

/**
 * Values that differ from the chart's default yet change nothing in `helm template`'s output, by chart and
 * values path (as the check prints it), each with the reason we keep them.
 */
export const DEAD_VALUES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  loki: {
    "singleBinary.replicas":
      "the chart's loki.singleBinaryReplicas helper already turns the default 0 into 1 in SingleBinary mode; the explicit 1 keeps the single replica (which replication_factor 1 assumes) from depending on that helper",
  },
  thanos: {
    "global.security.allowInsecureImages":
      "read only by the chart's NOTES.txt (Bitnami common.errors.insecureImages), which `helm template` and so ArgoCD never render; `helm install`/`upgrade` fail there without it because the stack's image (stack.thanosImage, bitnamilegacy) is not the chart's own",
  },
};
