// All five fragments together: one values object per chart, their checks (including the Rook pair), and the
// standalone values files other homelab repos layer over their own releases.
import { assertNoProblems, repoPath, treePaths, type ExtraFile, type Problem, type Stack } from "@o11y-gitops/core";
import { charts } from "@o11y-gitops/chart-values";
import type { CertManagerValues } from "@o11y-gitops/chart-values/cert-manager";
import type { IngressNginxValues } from "@o11y-gitops/chart-values/ingress-nginx";
import type { MetallbValues } from "@o11y-gitops/chart-values/metallb";
import type { RookCephValues } from "@o11y-gitops/chart-values/rook-ceph";
import type { RookCephClusterValues } from "@o11y-gitops/chart-values/rook-ceph-cluster";
import { INFRA_CHARTS, stackPrometheusIdentity, type InfraChart } from "./shared.js";
import { certManagerMonitoring, checkCertManagerMonitoring } from "./cert-manager.js";
import { checkIngressNginxMonitoring, ingressNginxMonitoring, type IngressNginxMonitoringOptions } from "./ingress-nginx.js";
import { checkMetallbMonitoring, metallbMonitoring, type MetallbMonitoringOptions } from "./metallb.js";
import {
  checkRookCephClusterMonitoring,
  checkRookCephMonitoring,
  checkRookMonitoringPair,
  rookCephClusterMonitoring,
  rookCephMonitoring,
  type RookCephClusterMonitoringOptions,
  type RookCephMonitoringOptions,
} from "./rook-ceph.js";

/** Values of the infrastructure releases, keyed by chart name; any subset may be checked. */
export interface InfraMonitoringValues {
  "ingress-nginx"?: IngressNginxValues;
  metallb?: MetallbValues;
  "rook-ceph"?: RookCephValues;
  "rook-ceph-cluster"?: RookCephClusterValues;
  "cert-manager"?: CertManagerValues;
}

/** Per-chart options of the fragments; each defaults as its builder documents. */
export interface InfraMonitoringOptions {
  /** Options of `ingressNginxMonitoring`. @default {} */
  ingressNginx?: IngressNginxMonitoringOptions;
  /** Options of `metallbMonitoring`. @default {} */
  metallb?: MetallbMonitoringOptions;
  /** Options of `rookCephMonitoring`. @default {} */
  rookCeph?: RookCephMonitoringOptions;
  /** Options of `rookCephClusterMonitoring`. @default {} */
  rookCephCluster?: RookCephClusterMonitoringOptions;
}

/** The five monitoring values fragments for the stack, keyed by chart name. */
export function infraMonitoringValues(stack: Stack, options: InfraMonitoringOptions = {}): Required<InfraMonitoringValues> {
  const values = {
    "ingress-nginx": ingressNginxMonitoring(stack, options.ingressNginx),
    metallb: metallbMonitoring(stack, options.metallb),
    "rook-ceph": rookCephMonitoring(stack, options.rookCeph),
    "rook-ceph-cluster": rookCephClusterMonitoring(stack, options.rookCephCluster),
    "cert-manager": certManagerMonitoring(stack),
  };
  assertNoProblems(checkInfraMonitoring(values));
  return values;
}

/**
 * Every monitoring coupling of the given releases' values (layer each release's values files first, e.g.
 * with `layerValues`): per chart, plus the Rook operator/cluster pair when both are given. Exact messages,
 * paths as `<chart> values: <key>`.
 */
export function checkInfraMonitoring(values: InfraMonitoringValues): Problem[] {
  const problems: Problem[] = [];
  if (values["ingress-nginx"]) problems.push(...checkIngressNginxMonitoring(values["ingress-nginx"]));
  if (values.metallb) problems.push(...checkMetallbMonitoring(values.metallb));
  if (values["rook-ceph"]) problems.push(...checkRookCephMonitoring(values["rook-ceph"]));
  if (values["rook-ceph-cluster"]) problems.push(...checkRookCephClusterMonitoring(values["rook-ceph-cluster"]));
  if (values["rook-ceph"] && values["rook-ceph-cluster"]) problems.push(...checkRookMonitoringPair(values["rook-ceph"], values["rook-ceph-cluster"]));
  if (values["cert-manager"]) problems.push(...checkCertManagerMonitoring(values["cert-manager"]));
  return problems;
}

/** Where the values file of `chart` goes: `<rootPath>/infrastructure/monitoring/<chart>.values.yaml`. */
export function infraMonitoringPath(stack: Stack, chart: InfraChart): string {
  return `${treePaths(stack).infrastructure}/monitoring/${chart}.values.yaml`;
}

/** What each release needs besides this file, for the file's header. */
function requirements(stack: Stack, chart: InfraChart, options: InfraMonitoringOptions): string[] {
  const crds = "Needs the Prometheus Operator CRDs (kube-prometheus-stack) before this release syncs.";
  switch (chart) {
    case "ingress-nginx":
      return [
        crds,
        "The chart renders the PrometheusRule only when the cluster serves monitoring.coreos.com/v1",
        "(`helm template` needs `--api-versions monitoring.coreos.com/v1`). Its rules replace any",
        "controller.metrics.prometheusRule.rules of earlier values files.",
      ];
    case "metallb": {
      const rbac = options.metallb?.prometheusRbac ?? stackPrometheusIdentity(stack);
      return [
        crds,
        rbac === false
          ? "Grants Prometheus no RBAC (prometheus.rbacPrometheus: false): it must read every namespace already."
          : `Grants ServiceAccount ${rbac.namespace}/${rbac.serviceAccount} (the stack's Prometheus) read access to MetalLB's namespace.`,
        "Metrics are HTTPS with a self-signed certificate; the ServiceMonitors skip verification.",
        ...(options.metallb?.frrK8s === false ? [] : ["Monitors the bundled frr-k8s: keep frrk8s.enabled true (the chart default)."]),
      ];
    }
    case "rook-ceph":
      return [
        crds,
        "Pair with rook-ceph-cluster.values.yaml: the operator creates the Ceph ServiceMonitors only for a",
        "CephCluster with monitoring enabled, and fails to reconcile it while the ServiceMonitor CRD is missing.",
      ];
    case "rook-ceph-cluster":
      return [
        crds,
        "Pair with rook-ceph.values.yaml on the operator's release (RBAC to create the ServiceMonitors).",
        "Leave cephClusterSpec.monitoring unset: the chart renders spec.monitoring from these values.",
      ];
    case "cert-manager":
      return [
        crds,
        "cert-manager v1.21 ships no alert rules. Metrics are plain HTTP; with config.metricsTLSConfig set, also set",
        "prometheus.servicemonitor.endpointAdditionalProperties (scheme: https, tlsConfig).",
      ];
  }
}

/** The comment block of a values file: what it is, and how to layer it with helm, ArgoCD and Flux. */
export function infraMonitoringHeader(stack: Stack, chart: InfraChart, options: InfraMonitoringOptions = {}): string[] {
  const pin = charts[chart];
  const path = infraMonitoringPath(stack, chart);
  return [
    `Monitoring values for ${pin.chart} ${pin.version} (${pin.repository}), checked against that chart version.`,
    "Prometheus finds the ServiceMonitors and rules without a `release` label. Layer this file over the",
    "release's own values (later files win; maps merge, lists are replaced):",
    `  helm:   helm upgrade --install <release> ${pin.chart} --repo ${pin.repository} --version ${pin.version} \\`,
    `            -f <your-values>.yaml -f ${path}`,
    `  ArgoCD: spec.sources: the chart source (chart: ${pin.chart}, targetRevision: ${pin.version}) with`,
    `            helm.valueFiles: [<your values>, $values/${repoPath(stack, path)}]`,
    `          plus {repoURL: ${stack.gitops.repoURL}, targetRevision: ${stack.gitops.revision}, ref: values}`,
    "  Flux:   this file as a ConfigMap in the HelmRelease's namespace (kustomize configMapGenerator:",
    `            {name: ${pin.chart}-monitoring-values, files: [values.yaml=${pin.chart}.values.yaml],`,
    "             options: {disableNameSuffixHash: true}}), listed last in",
    `            spec.valuesFrom: {kind: ConfigMap, name: ${pin.chart}-monitoring-values, valuesKey: values.yaml}`,
    "          (spec.values still wins over valuesFrom).",
    ...requirements(stack, chart, options),
  ];
}

/** The `stack.components.infraMonitoring` flag of each chart. */
export const INFRA_CHART_FLAG: Readonly<Record<InfraChart, keyof Stack["components"]["infraMonitoring"]>> = {
  "ingress-nginx": "ingressNginx",
  metallb: "metallb",
  "rook-ceph": "rookCeph",
  "rook-ceph-cluster": "rookCephCluster",
  "cert-manager": "certManager",
};

/**
 * The five fragments as standalone values files, `<rootPath>/infrastructure/monitoring/<chart>.values.yaml`,
 * each with a header that says how to layer it (core prepends its generated-file line). Only the charts
 * switched on in `stack.components.infraMonitoring`.
 */
export function infraMonitoringFiles(stack: Stack, options: InfraMonitoringOptions = {}): ExtraFile[] {
  const values = infraMonitoringValues(stack, options);
  return INFRA_CHARTS.filter((chart) => stack.components.infraMonitoring[INFRA_CHART_FLAG[chart]]).map((chart) => ({
    path: infraMonitoringPath(stack, chart),
    yaml: values[chart],
    header: infraMonitoringHeader(stack, chart, options),
    valuesOf: chart,
  }));
}
