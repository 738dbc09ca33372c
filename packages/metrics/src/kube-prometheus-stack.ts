import type { KubePrometheusStackValues } from "@o11y-gitops/chart-values/kube-prometheus-stack";
import { assertNoProblems, stackConfigProblems, type Component, type Stack } from "@o11y-gitops/core";
import { kpsFullname } from "./_fullname.js";
import { buildKubePrometheusStackValues } from "./_kps-values.js";
import { checkMetrics, operatorSpecProblems } from "./check.js";

/** Component (ArgoCD Application) name; also the file stem of its values. */
export const KUBE_PROMETHEUS_STACK = "kube-prometheus-stack";

/**
 * kube-prometheus-stack values for the stack: Prometheus (scrape interval, local retention, PVC,
 * remote-write receiver, every namespace's monitors and rules, Thanos sidecar to the objstore Secret),
 * Alertmanager with a PVC, node-exporter, kube-state-metrics, and Grafana with a PVC, its Ingress and
 * the Thanos/Loki/Tempo datasources. Throws a StackError when {@link checkMetrics} or core's
 * `stackConfigProblems` finds a problem, or the operator specs in the built values fail the
 * prometheus-operator's schema ({@link operatorSpecProblems}).
 */
export function kubePrometheusStackValues(stack: Stack): KubePrometheusStackValues {
  assertNoProblems([...checkMetrics(stack), ...stackConfigProblems(stack)]);
  const kps = buildKubePrometheusStackValues(stack);
  assertNoProblems(operatorSpecProblems(kps));
  return kps;
}

/**
 * The kube-prometheus-stack Application (sync wave 1: no dependencies). Server-side apply, because the
 * prometheus-operator CRDs exceed the 256 KiB last-applied annotation of client-side apply; the
 * admission webhooks' `caBundle` is written by the chart's patch job, not by the chart, so it is ignored
 * in diffs.
 */
export function kubePrometheusStackComponent(stack: Stack): Component<KubePrometheusStackValues> {
  const webhook = `${kpsFullname(stack.releases.kubePrometheusStack)}-admission`;
  return {
    name: KUBE_PROMETHEUS_STACK,
    chart: "kube-prometheus-stack",
    release: stack.releases.kubePrometheusStack,
    dependsOn: [],
    values: kubePrometheusStackValues(stack),
    manifests: [],
    syncOptions: ["ServerSideApply=true"],
    // The chart puts the Services that expose control-plane metrics (coredns, kube-controller-manager,
    // kube-scheduler, kube-etcd, kube-proxy) into the kubelet namespace, kube-system.
    extraNamespaces: ["kube-system"],
    ignoreDifferences: (["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"] as const).map((kind) => ({
      group: "admissionregistration.k8s.io",
      kind,
      name: webhook,
      jqPathExpressions: [".webhooks[]?.clientConfig.caBundle"],
    })),
  };
}
