// Rook v1.20.6: the operator chart (rook-ceph) grants the operator RBAC to create ServiceMonitors; the
// cluster chart (rook-ceph-cluster) turns on the CephCluster's monitoring, so the operator creates the
// ServiceMonitors for the Ceph mgr and ceph-exporter, and renders the Ceph alerts as a PrometheusRule.
import { assertNoProblems, type Problem, type Stack } from "@o11y-gitops/core";
import type { RookCephValues } from "@o11y-gitops/chart-values/rook-ceph";
import type { RookCephClusterValues } from "@o11y-gitops/chart-values/rook-ceph-cluster";
import { at, checkInfraStack, flag, valuesPath } from "./_common.js";

/** Options of {@link rookCephMonitoring}. The operator's monitoring RBAC is always on in the fragment. */
export interface RookCephMonitoringOptions {
  /**
   * The chart's `csi-metrics` ServiceMonitor (port `csi-http-metrics` of Services labelled `app: csi-metrics`).
   * Off by default: Rook 1.20 deploys CSI through ceph-csi-operator, and the liveness metrics it scrapes are
   * off unless enabled there, so the ServiceMonitor would select nothing.
   * @default false
   */
  csiServiceMonitor?: boolean;
}

/** Options of {@link rookCephClusterMonitoring}. Ceph's metrics and monitoring are always on in the fragment. */
export interface RookCephClusterMonitoringOptions {
  /** The chart's Ceph alerts (its `prometheus/localrules.yaml`) as a PrometheusRule. @default true */
  alertRules?: boolean;
}

/**
 * The rook-ceph (operator) monitoring values fragment: `monitoring.enabled`, the RBAC that lets the operator
 * create the Ceph ServiceMonitors (needed together with {@link rookCephClusterMonitoring}), and optionally the
 * CSI ServiceMonitor at the stack's scrape interval.
 */
export function rookCephMonitoring(stack: Stack, options: RookCephMonitoringOptions = {}): RookCephValues {
  assertNoProblems(checkInfraStack(stack));
  const values: RookCephValues = {
    monitoring: { enabled: true },
    ...(options.csiServiceMonitor === true ? { csi: { serviceMonitor: { enabled: true, interval: stack.scrapeInterval } } } : {}),
  };
  assertNoProblems(checkRookCephMonitoring(values));
  return values;
}

/**
 * The rook-ceph-cluster monitoring values fragment: `monitoring.enabled` (the chart renders it into the
 * CephCluster's `spec.monitoring`, and the operator then creates ServiceMonitors for the Ceph mgr and
 * ceph-exporter at the stack's scrape interval), Ceph's metrics on (`metricsDisabled: false`), and the chart's
 * Ceph alerts. Needs {@link rookCephMonitoring} on the operator's release.
 */
export function rookCephClusterMonitoring(stack: Stack, options: RookCephClusterMonitoringOptions = {}): RookCephClusterValues {
  assertNoProblems(checkInfraStack(stack));
  const values: RookCephClusterValues = {
    monitoring: {
      enabled: true,
      metricsDisabled: false,
      interval: stack.scrapeInterval,
      ...(options.alertRules === false ? {} : { createPrometheusRules: true }),
    },
  };
  assertNoProblems(checkRookCephClusterMonitoring(values));
  return values;
}

/** Monitoring couplings of rook-ceph (operator) values: the CSI ServiceMonitor renders only with `monitoring.enabled`. */
export function checkRookCephMonitoring(values: RookCephValues): Problem[] {
  if (flag(values, "csi.serviceMonitor.enabled", false) && !flag(values, "monitoring.enabled", false)) {
    return [
      {
        path: valuesPath("rook-ceph", "csi.serviceMonitor.enabled"),
        message: "is true but monitoring.enabled is not: the chart renders no CSI ServiceMonitor",
      },
    ];
  }
  return [];
}

/**
 * Monitoring couplings of rook-ceph-cluster values: the Ceph alerts need monitoring on, monitoring needs
 * Ceph's metrics on, and `cephClusterSpec.monitoring` must stay unset because the chart renders the
 * CephCluster's `spec.monitoring` from the top-level `monitoring` values.
 */
export function checkRookCephClusterMonitoring(values: RookCephClusterValues): Problem[] {
  const chart = "rook-ceph-cluster";
  const monitoring = flag(values, "monitoring.enabled", false);
  const problems: Problem[] = [];
  if (flag(values, "monitoring.createPrometheusRules", false) && !monitoring) {
    problems.push({
      path: valuesPath(chart, "monitoring.createPrometheusRules"),
      message: "is true but monitoring.enabled is not: the operator creates no ServiceMonitor for Ceph, so the Ceph alerts watch metrics nothing scrapes",
    });
  }
  if (monitoring && flag(values, "monitoring.metricsDisabled", false)) {
    problems.push({
      path: valuesPath(chart, "monitoring.metricsDisabled"),
      message: "is true while monitoring.enabled is true: the Ceph mgr prometheus module and ceph-exporter are off, so the ServiceMonitors scrape nothing",
    });
  }
  if (at(values, "cephClusterSpec.monitoring") !== undefined) {
    problems.push({
      path: valuesPath(chart, "cephClusterSpec.monitoring"),
      message: "duplicates the spec.monitoring block the chart renders from the top-level monitoring values; set monitoring.enabled, monitoring.metricsDisabled and monitoring.interval instead",
    });
  }
  return problems;
}

/**
 * The coupling between the two Rook releases: the cluster's monitoring needs the operator's monitoring RBAC
 * (both charts' `monitoring.enabled`, as Rook's monitoring guide says).
 */
export function checkRookMonitoringPair(operator: RookCephValues, cluster: RookCephClusterValues): Problem[] {
  if (flag(cluster, "monitoring.enabled", false) && !flag(operator, "monitoring.enabled", false)) {
    return [
      {
        path: valuesPath("rook-ceph", "monitoring.enabled"),
        message: "is not true while rook-ceph-cluster monitoring.enabled is: the operator lacks the RBAC to create the Ceph ServiceMonitors",
      },
    ];
  }
  return [];
}
