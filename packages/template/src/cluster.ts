// The cluster `pnpm template` renders for, stated once: what ArgoCD's repo-server passes to `helm template`
// (its kube version and the API versions the cluster serves), and where the infrastructure releases that the
// monitoring fragments are layered onto live.
import type { InfraChart } from "@o11y-gitops/metrics";

/** Kubernetes minor the charts' `semverCompare .Capabilities.KubeVersion` gates see. */
export const KUBE_VERSION = "1.33";

/**
 * API versions beyond the built-in ones that the cluster serves (ArgoCD passes the cluster's whole list as
 * `--api-versions`); charts gate templates on them (`.Capabilities.APIVersions.Has`). The Prometheus Operator
 * CRDs come with kube-prometheus-stack; kind-qualified entries are what some charts ask for
 * (`monitoring.coreos.com/v1/ServiceMonitor`).
 */
export const API_VERSIONS: readonly string[] = [
  "monitoring.coreos.com/v1",
  "monitoring.coreos.com/v1/ServiceMonitor",
  "monitoring.coreos.com/v1/PodMonitor",
  "monitoring.coreos.com/v1/PrometheusRule",
  "monitoring.coreos.com/v1/Prometheus",
  "monitoring.coreos.com/v1alpha1",
  "ceph.rook.io/v1",
  "cert-manager.io/v1",
];

/** The flags every render gets, so the output is what ArgoCD applies (CRDs included, as ArgoCD does). */
export function clusterArgs(): string[] {
  return ["--include-crds", "--kube-version", KUBE_VERSION, ...API_VERSIONS.flatMap((v) => ["--api-versions", v])];
}

/**
 * Release and namespace of each infrastructure chart the monitoring fragments are rendered onto. The stack does
 * not own these releases; these are the charts' documented install names (`helm install <chart> -n <ns>`).
 */
export const INFRA_RELEASES: Readonly<Record<InfraChart, { release: string; namespace: string }>> = {
  "ingress-nginx": { release: "ingress-nginx", namespace: "ingress-nginx" },
  metallb: { release: "metallb", namespace: "metallb-system" },
  "rook-ceph": { release: "rook-ceph", namespace: "rook-ceph" },
  "rook-ceph-cluster": { release: "rook-ceph-cluster", namespace: "rook-ceph" },
  "cert-manager": { release: "cert-manager", namespace: "cert-manager" },
};
