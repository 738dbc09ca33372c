// MetalLB 0.16.1: ServiceMonitors for the controller and speakers (HTTPS metrics, self-signed by default), the
// RBAC that lets Prometheus read MetalLB's namespace, the chart's own alert rules, and the bundled frr-k8s.
import { assertNoProblems, type Problem, type Stack } from "@o11y-gitops/core";
import type { MetallbValues } from "@o11y-gitops/chart-values/metallb";
import { at, checkInfraStack, flag, truthy, valuesPath } from "./_common.js";
import { stackPrometheusIdentity, type AlertRule, type PrometheusIdentity } from "./shared.js";

const CHART = "metallb";

/** Options of {@link metallbMonitoring}. The ServiceMonitors are always on in the fragment. */
export interface MetallbMonitoringOptions {
  /**
   * Whom the chart's Role/RoleBinding lets read pods, services and endpoints in MetalLB's namespace
   * (`prometheus.rbacPrometheus`, which then requires `prometheus.serviceAccount` and `prometheus.namespace`).
   * `false` creates no RBAC: only when Prometheus can already read every namespace.
   * @default the stack's kube-prometheus-stack Prometheus ServiceAccount
   */
  prometheusRbac?: false | PrometheusIdentity;
  /**
   * The chart's own alert rules (stale or unloaded config, address pool usage, BGP sessions).
   * @default true
   */
  alertRules?: boolean;
  /**
   * Monitor the bundled frr-k8s (0.16's BGP backend, installed by default with `frrk8s.enabled: true`): its
   * ServiceMonitor, and with `alertRules` an alert on `frrk8s_bgp_session_up` (the chart's own BGP alert
   * watches `metallb_bgp_session_up`, which only the deprecated FRR mode exports). Turn off when the
   * release sets `frrk8s.enabled: false`.
   * @default true
   */
  frrK8s?: boolean;
}

/** An alert on frr-k8s BGP sessions, appended to the chart's rules (`prometheus.prometheusRule.extraAlerts`). */
export function frrK8sBgpSessionDownRule(): AlertRule {
  return {
    alert: "MetalLBFRRK8sBGPSessionDown",
    expr: "frrk8s_bgp_session_up == 0",
    for: "1m",
    labels: { severity: "critical" },
    annotations: {
      summary: "A MetalLB BGP session is down.",
      description:
        "frr-k8s on {{ $labels.pod }} reports the BGP session to {{ $labels.peer }} down for more than a minute; " +
        "LoadBalancer addresses announced over it are unreachable from that router.",
    },
  };
}

function checkOptions(options: MetallbMonitoringOptions): Problem[] {
  const rbac = options.prometheusRbac;
  if (rbac === undefined || rbac === false) return [];
  const problems: Problem[] = [];
  for (const field of ["serviceAccount", "namespace"] as const) {
    const value: unknown = rbac[field];
    if (typeof value !== "string" || value.trim() === "") {
      problems.push({ path: `metallbMonitoring options: prometheusRbac.${field}`, message: "is empty: the chart's RoleBinding for Prometheus needs it" });
    }
  }
  return problems;
}

/**
 * The MetalLB monitoring values fragment: ServiceMonitors for controller and speakers at Prometheus's own
 * scrape interval (the stack's; the chart cannot set a valid one, see below) (PodMonitor off: the chart refuses both), RBAC for the stack's Prometheus, the chart's
 * alert rules, and frr-k8s's ServiceMonitor. MetalLB serves metrics only over HTTPS with a self-signed
 * certificate unless `tls.*MetricsTLSSecret` is set, so the ServiceMonitors skip certificate verification.
 */
export function metallbMonitoring(stack: Stack, options: MetallbMonitoringOptions = {}): MetallbValues {
  assertNoProblems([...checkInfraStack(stack), ...checkOptions(options)]);
  const rbac = options.prometheusRbac ?? stackPrometheusIdentity(stack);
  const alertRules = options.alertRules ?? true;
  const frrK8s = options.frrK8s ?? true;
  const skipVerify = { tlsConfig: { insecureSkipVerify: true } };
  const values: MetallbValues = {
    prometheus: {
      ...(rbac === false ? { rbacPrometheus: false } : { rbacPrometheus: true, serviceAccount: rbac.serviceAccount, namespace: rbac.namespace }),
      podMonitor: { enabled: false },
      // No `interval`: the chart's values.schema.json allows only an integer, which the ServiceMonitor CRD
      // refuses (it wants a duration string), so the monitors take Prometheus's scrapeInterval (the stack's).
      serviceMonitor: { enabled: true, speaker: skipVerify, controller: skipVerify },
      ...(alertRules ? { prometheusRule: { enabled: true, ...(frrK8s ? { extraAlerts: [frrK8sBgpSessionDownRule()] } : {}) } } : {}),
    },
    ...(frrK8s ? { "frr-k8s": { prometheus: { serviceMonitor: { enabled: true } } } } : {}),
  };
  assertNoProblems(checkMetallbMonitoring(values));
  return values;
}

/**
 * Monitoring couplings of MetalLB values (pass the layered values of the release), with chart defaults for
 * unset keys: ServiceMonitor and PodMonitor are exclusive (the chart fails), `rbacPrometheus` with a monitor
 * requires `prometheus.serviceAccount` and `prometheus.namespace` (the chart fails), the alert rules need a
 * monitor, a self-signed metrics certificate needs `insecureSkipVerify`, and frr-k8s's ServiceMonitor needs
 * the frr-k8s subchart (and, with its own `rbacPrometheus`, the Prometheus ServiceAccount and namespace).
 */
export function checkMetallbMonitoring(values: MetallbValues): Problem[] {
  const p = "prometheus";
  const serviceMonitor = flag(values, `${p}.serviceMonitor.enabled`, false);
  const podMonitor = flag(values, `${p}.podMonitor.enabled`, false);
  const problems: Problem[] = [];
  if (serviceMonitor && podMonitor) {
    problems.push({
      path: valuesPath(CHART, `${p}.serviceMonitor.enabled`),
      message: `and ${p}.podMonitor.enabled are both true: the chart fails ("prometheus.serviceMonitor.enabled and prometheus.podMonitor.enabled cannot both be set")`,
    });
  }
  const monitor = serviceMonitor ? `${p}.serviceMonitor.enabled` : podMonitor ? `${p}.podMonitor.enabled` : undefined;
  if (monitor !== undefined && flag(values, `${p}.rbacPrometheus`, true)) {
    for (const field of ["serviceAccount", "namespace"] as const) {
      if (!truthy(at(values, `${p}.${field}`))) {
        problems.push({
          path: valuesPath(CHART, `${p}.${field}`),
          message: `is empty while ${p}.rbacPrometheus and ${monitor} are true: the chart's RoleBinding for Prometheus requires it and rendering fails`,
        });
      }
    }
  }
  if (flag(values, `${p}.prometheusRule.enabled`, false) && monitor === undefined) {
    problems.push({
      path: valuesPath(CHART, `${p}.prometheusRule.enabled`),
      message: `is true but neither ${p}.serviceMonitor.enabled nor ${p}.podMonitor.enabled is: the MetalLB alerts watch metrics nothing scrapes`,
    });
  }
  if (serviceMonitor) {
    for (const [component, secret] of [
      ["controller", "tls.controllerMetricsTLSSecret"],
      ["speaker", "tls.speakerMetricsTLSSecret"],
    ] as const) {
      const key = `${p}.serviceMonitor.${component}.tlsConfig.insecureSkipVerify`;
      if (!truthy(at(values, secret)) && !flag(values, key, true)) {
        problems.push({
          path: valuesPath(CHART, key),
          message: `is false but ${secret} is empty: the ${component} serves metrics with a self-signed certificate, so every scrape fails verification`,
        });
      }
    }
  }
  const frr = "frr-k8s.prometheus";
  const frrMonitor = flag(values, `${frr}.serviceMonitor.enabled`, false);
  if (frrMonitor && !flag(values, "frrk8s.enabled", true)) {
    problems.push({
      path: valuesPath(CHART, `${frr}.serviceMonitor.enabled`),
      message: "is true but frrk8s.enabled is false: the frr-k8s subchart is not installed, so no ServiceMonitor is rendered",
    });
  }
  if (frrMonitor && flag(values, `${frr}.rbacPrometheus`, false)) {
    for (const field of ["serviceAccount", "namespace"] as const) {
      if (!truthy(at(values, `${frr}.${field}`))) {
        problems.push({
          path: valuesPath(CHART, `${frr}.${field}`),
          message: `is empty while ${frr}.rbacPrometheus and ${frr}.serviceMonitor.enabled are true: frr-k8s's RoleBinding for Prometheus requires it`,
        });
      }
    }
  }
  return problems;
}
