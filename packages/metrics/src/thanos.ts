import type { ThanosValues } from "@o11y-gitops/chart-values/thanos";
import { assertNoProblems, stackConfigProblems, type Component, type Stack } from "@o11y-gitops/core";
import { buildThanosValues } from "./_thanos-values.js";
import { checkMetrics } from "./check.js";
import { KUBE_PROMETHEUS_STACK } from "./kube-prometheus-stack.js";

/** Component (ArgoCD Application) name. */
export const THANOS = "thanos";

/**
 * Bitnami Thanos values: Query (deduplicating along `prometheus_replica`, federating the kube-prometheus
 * sidecar and the store gateway), Query Frontend, Store Gateway and Compactor with PVCs on the stack's
 * StorageClass, retention per resolution from `stack.retention`, every component reading the objstore
 * Secret the sidecar uses, and images from `stack.thanosImage`. Throws a StackError when
 * {@link checkMetrics} or core's `stackConfigProblems` finds a problem.
 */
export function thanosValues(stack: Stack): ThanosValues {
  assertNoProblems([...checkMetrics(stack), ...stackConfigProblems(stack)]);
  return buildThanosValues(stack);
}

/**
 * The Thanos Application: after kube-prometheus-stack (its CRDs for the ServiceMonitors, and the sidecar
 * the querier federates), so sync wave 2.
 */
export function thanosComponent(stack: Stack): Component<ThanosValues> {
  return {
    name: THANOS,
    chart: "thanos",
    release: stack.releases.thanos,
    dependsOn: [KUBE_PROMETHEUS_STACK],
    values: thanosValues(stack),
    manifests: [],
  };
}
