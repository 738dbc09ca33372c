// ingress-nginx 4.15.1: controller metrics, its ServiceMonitor, and a reviewed set of alert rules (the chart
// ships none: `controller.metrics.prometheusRule.rules` defaults to []).
import { assertNoProblems, type Problem, type Stack } from "@o11y-gitops/core";
import type { IngressNginxValues } from "@o11y-gitops/chart-values/ingress-nginx";
import { at, checkInfraStack, flag, timeoutProblem, valuesPath } from "./_common.js";
import type { AlertRule } from "./shared.js";

const CHART = "ingress-nginx";

/** Thresholds of the ingress-nginx alert rules. */
export interface IngressNginxAlertOptions {
  /** Fire when more than this share of an Ingress's requests end in a 5xx (above 0, at most 1). @default 0.05 */
  max5xxRatio?: number;
  /**
   * ...but only while that Ingress serves more than this many requests per second, so one failed request
   * to an idle host does not page anyone. @default 0.1
   */
  min5xxRequestRate?: number;
  /** Warn when a served certificate expires within this many days (a whole number). @default 14 */
  certificateWarningDays?: number;
  /** Critical when it expires within this many days (fewer than the warning days). @default 3 */
  certificateCriticalDays?: number;
  /**
   * Watch the default certificate too (`host="_"`). Right when `--default-ssl-certificate` serves a real
   * (e.g. wildcard) certificate, as in this homelab; turn off when the controller serves its self-signed
   * fake certificate, which it regenerates at start and which is allowed to expire. @default true
   */
  includeDefaultCertificate?: boolean;
}

/** Options of {@link ingressNginxMonitoring}. Metrics and the ServiceMonitor are always on in the fragment. */
export interface IngressNginxMonitoringOptions {
  /**
   * The alert rules rendered into the chart's PrometheusRule (`controller.metrics.prometheusRule`).
   * `false` leaves the PrometheusRule as the other values files set it.
   * @default {} (every rule, default thresholds)
   */
  alertRules?: false | IngressNginxAlertOptions;
}

const DEFAULT_ALERTS: Required<IngressNginxAlertOptions> = {
  max5xxRatio: 0.05,
  min5xxRequestRate: 0.1,
  certificateWarningDays: 14,
  certificateCriticalDays: 3,
  includeDefaultCertificate: true,
};

const OPTIONS_PATH = "ingressNginxMonitoring options";

/** Problems with the alert thresholds, at `ingressNginxMonitoring options: alertRules.<field>`. */
export function checkIngressNginxAlertOptions(options: IngressNginxAlertOptions): Problem[] {
  const o = { ...DEFAULT_ALERTS, ...options };
  const problems: Problem[] = [];
  const bad = (field: keyof IngressNginxAlertOptions, message: string): void => {
    problems.push({ path: `${OPTIONS_PATH}: alertRules.${field}`, message });
  };
  if (!(Number.isFinite(o.max5xxRatio) && o.max5xxRatio > 0 && o.max5xxRatio <= 1)) {
    bad("max5xxRatio", `${String(o.max5xxRatio)} is not a ratio above 0 and at most 1`);
  }
  if (!(Number.isFinite(o.min5xxRequestRate) && o.min5xxRequestRate >= 0)) {
    bad("min5xxRequestRate", `${String(o.min5xxRequestRate)} is not a request rate of 0 or more per second`);
  }
  for (const field of ["certificateWarningDays", "certificateCriticalDays"] as const) {
    if (!(Number.isInteger(o[field]) && o[field] > 0)) bad(field, `${String(o[field])} is not a whole number of days above 0`);
  }
  if (problems.length === 0 && o.certificateCriticalDays >= o.certificateWarningDays) {
    bad(
      "certificateCriticalDays",
      `${o.certificateCriticalDays} is not fewer than certificateWarningDays (${o.certificateWarningDays}): the warning would never fire before the critical alert`,
    );
  }
  return problems;
}

/**
 * The reviewed ingress-nginx alert rules (each passes `promtool check rules`):
 * - `NginxIngressHigh5xxRatio`: an Ingress answers too many 5xx while it has traffic;
 * - `NginxIngressConfigReloadFailed`: nginx rejected the last generated config, so Ingress changes
 *   (and renewed certificates) stop taking effect;
 * - `NginxIngressCertificateExpiry` (warning, then critical): a served certificate is about to expire,
 *   from `nginx_ingress_controller_ssl_expire_time_seconds`;
 * - `NginxIngressMetricsAbsent`: Prometheus scrapes no controller at all (monitoring is miswired).
 *
 * Request metrics carry the Ingress's namespace as `exported_namespace`: the ServiceMonitor does not honor
 * labels, so the target's own `namespace` label wins.
 */
export function ingressNginxAlertRules(options: IngressNginxAlertOptions = {}): AlertRule[] {
  assertNoProblems(checkIngressNginxAlertOptions(options));
  const o = { ...DEFAULT_ALERTS, ...options };
  const by = "sum by (exported_namespace, ingress)";
  const requests = (selector: string): string => `${by} (rate(nginx_ingress_controller_requests${selector}[5m]))`;
  const certSelector = o.includeDefaultCertificate ? "" : '{host!="_"}';
  const certExpiry = (days: number, severity: "warning" | "critical"): AlertRule => ({
    alert: "NginxIngressCertificateExpiry",
    expr: `min by (host) (nginx_ingress_controller_ssl_expire_time_seconds${certSelector}) - time() < ${days} * 86400`,
    for: "10m",
    labels: { severity },
    annotations: {
      summary: `The certificate for {{ $labels.host }} expires within ${days} days.`,
      description:
        "ingress-nginx serves a certificate for {{ $labels.host }} that expires in {{ $value | humanizeDuration }}. " +
        "Check the Certificate and its issuer: cert-manager renews at two thirds of the lifetime by default (30 days before expiry for a 90-day certificate).",
    },
  });
  return [
    {
      alert: "NginxIngressHigh5xxRatio",
      expr: `(${requests('{status=~"5.."}')} / ${requests("")}) > ${o.max5xxRatio} and ${requests("")} > ${o.min5xxRequestRate}`,
      for: "10m",
      labels: { severity: "warning" },
      annotations: {
        summary: "An Ingress answers too many requests with 5xx.",
        description:
          "{{ $value | humanizePercentage }} of the requests to Ingress {{ $labels.exported_namespace }}/{{ $labels.ingress }} " +
          `ended in a 5xx over the last 5 minutes (threshold ${Number((o.max5xxRatio * 100).toPrecision(6))}%).`,
      },
    },
    {
      alert: "NginxIngressConfigReloadFailed",
      expr: "nginx_ingress_controller_config_last_reload_successful == 0",
      for: "5m",
      labels: { severity: "critical" },
      annotations: {
        summary: "ingress-nginx cannot load its latest configuration.",
        description:
          "The last nginx reload on {{ $labels.controller_pod }} failed; new or changed Ingresses and renewed " +
          "certificates are not served until the offending Ingress is fixed (see the controller log).",
      },
    },
    certExpiry(o.certificateWarningDays, "warning"),
    certExpiry(o.certificateCriticalDays, "critical"),
    {
      alert: "NginxIngressMetricsAbsent",
      expr: "absent(nginx_ingress_controller_config_last_reload_successful)",
      for: "15m",
      labels: { severity: "warning" },
      annotations: {
        summary: "Prometheus scrapes no ingress-nginx controller.",
        description:
          "No ingress-nginx controller metrics arrived for 15 minutes: the controller is down, or its metrics " +
          "Service or ServiceMonitor is missing, so the other ingress-nginx alerts cannot fire.",
      },
    },
  ];
}

/**
 * The ingress-nginx monitoring values fragment: the controller's metrics endpoint and Service, a
 * ServiceMonitor at the stack's scrape interval, and the reviewed alert rules as the chart's PrometheusRule.
 * Layer it over the release's own values (it sets only monitoring keys). No `release` label: the stack's
 * Prometheus selects ServiceMonitors and rules without one.
 */
export function ingressNginxMonitoring(stack: Stack, options: IngressNginxMonitoringOptions = {}): IngressNginxValues {
  const alertOptions = options.alertRules;
  assertNoProblems([...checkInfraStack(stack), ...(alertOptions === false ? [] : checkIngressNginxAlertOptions(alertOptions ?? {}))]);
  const values: IngressNginxValues = {
    controller: {
      metrics: {
        enabled: true,
        service: { enabled: true },
        serviceMonitor: { enabled: true, scrapeInterval: stack.scrapeInterval },
        ...(alertOptions === false ? {} : { prometheusRule: { enabled: true, rules: ingressNginxAlertRules(alertOptions ?? {}) } }),
      },
    },
  };
  assertNoProblems(checkIngressNginxMonitoring(values));
  return values;
}

/**
 * Monitoring couplings of ingress-nginx values (pass the layered values of the release), with chart
 * defaults for unset keys: the ServiceMonitor and PrometheusRule render only with `controller.metrics.enabled`,
 * the ServiceMonitor needs the metrics Service, an enabled PrometheusRule needs rules, and the scrape
 * timeout may not exceed the interval.
 */
export function checkIngressNginxMonitoring(values: IngressNginxValues): Problem[] {
  const m = "controller.metrics";
  const metrics = flag(values, `${m}.enabled`, false);
  const serviceMonitor = flag(values, `${m}.serviceMonitor.enabled`, false);
  const prometheusRule = flag(values, `${m}.prometheusRule.enabled`, false);
  const problems: Problem[] = [];
  if (serviceMonitor && !metrics) {
    problems.push({
      path: valuesPath(CHART, `${m}.serviceMonitor.enabled`),
      message: `is true but ${m}.enabled is not: the chart renders no metrics Service and no ServiceMonitor`,
    });
  }
  if (serviceMonitor && metrics && !flag(values, `${m}.service.enabled`, true)) {
    problems.push({
      path: valuesPath(CHART, `${m}.service.enabled`),
      message: `is false while ${m}.serviceMonitor.enabled is true: the ServiceMonitor selects a metrics Service the chart does not render`,
    });
  }
  if (prometheusRule && !metrics) {
    problems.push({
      path: valuesPath(CHART, `${m}.prometheusRule.enabled`),
      message: `is true but ${m}.enabled is not: the chart renders no PrometheusRule`,
    });
  }
  const rules = at(values, `${m}.prometheusRule.rules`);
  if (prometheusRule && metrics && !(Array.isArray(rules) && rules.length > 0)) {
    problems.push({
      path: valuesPath(CHART, `${m}.prometheusRule.rules`),
      message: `is empty while ${m}.prometheusRule.enabled is true: the chart ships no rules, so the PrometheusRule has no groups`,
    });
  }
  const interval = at(values, `${m}.serviceMonitor.scrapeInterval`) ?? "30s";
  problems.push(
    ...timeoutProblem(CHART, `${m}.serviceMonitor.scrapeTimeout`, at(values, `${m}.serviceMonitor.scrapeTimeout`), `${m}.serviceMonitor.scrapeInterval`, interval),
  );
  return problems;
}
