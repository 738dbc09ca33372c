/** A plain Kubernetes object as emitted into the tree (already validated by its builder). */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/**
 * One Helm release of the stack, as plain typed data. Component packages return these from pure
 * functions `(stack: Stack) => Component<V>`; only core turns them into files.
 */
export interface Component<V extends object = object> {
  /** ArgoCD Application name and file stem, e.g. `loki`. */
  name: string;
  /** Chart name as pinned in `schemas/charts.lock.json` (the version and repository come from there). */
  chart: string;
  /** Helm release name (service names derive from it). */
  release: string;
  /** Names of components that must be healthy first; sync waves are derived from these. */
  dependsOn: readonly string[];
  /** Helm values, typed from the chart's schema. */
  values: V;
  /**
   * Escape hatch for keys no schema knows: merged over `values`, reported by `generate`, validated only
   * by Helm. Keep it empty; every entry needs a reason.
   */
  extraValues?: readonly ExtraValue[];
  /** Plain manifests rendered beside the Application (Ingresses, ServiceMonitors, ...). */
  manifests: readonly K8sObject[];
  /** Extra ArgoCD sync options, e.g. `ServerSideApply=true` for charts with large CRDs. */
  syncOptions?: readonly string[];
  /**
   * Namespaces besides the stack's that the chart writes into (kube-prometheus-stack puts the Services
   * for scraping control-plane components in `kube-system`); the AppProject must allow them.
   */
  extraNamespaces?: readonly string[];
  /** ArgoCD `ignoreDifferences` entries for fields controllers rewrite. */
  ignoreDifferences?: readonly Record<string, unknown>[];
}

/** A value set outside the typed schema, with the reason it is needed. */
export interface ExtraValue {
  /** Dotted path in the chart values, e.g. `loki.someNewKey`. */
  path: string;
  value: unknown;
  reason: string;
}

/**
 * A file outside the Helm/ArgoCD flow (e.g. Docker-host Alloy compose and config). `yaml` content is
 * serialised by core's YAML emitter; `text` is written as-is (core prepends the generated-file header
 * using `commentPrefix`, default `#` / `//` by extension). A `seedOnce` text file (a SOPS env-file
 * skeleton) is written only when absent and is the user's afterwards, like the seeded Secrets.
 */
export type ExtraFile =
  | {
      path: string;
      yaml: unknown;
      header?: readonly string[];
      /** The file is a values file for this pinned chart: render validates it against the chart's schema. */
      valuesOf?: string;
    }
  | { path: string; text: string; commentPrefix?: string; seedOnce?: boolean };

/** Cluster-internal address of a Service port. */
export interface ServiceEndpoint {
  /** Service name as the chart creates it for the configured release. */
  service: string;
  namespace: string;
  port: number;
  /** `<service>.<namespace>.svc` */
  host: string;
}

/** Build a ServiceEndpoint; the one place the in-cluster DNS form is written. */
export function serviceEndpoint(service: string, namespace: string, port: number): ServiceEndpoint {
  return { service, namespace, port, host: `${service}.${namespace}.svc` };
}
