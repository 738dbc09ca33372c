// cert-manager v1.21.1: the metrics Service and one ServiceMonitor for controller, webhook and cainjector.
// The chart ships no alert rules in this version.
import { assertNoProblems, type Problem, type Stack } from "@o11y-gitops/core";
import type { CertManagerValues } from "@o11y-gitops/chart-values/cert-manager";
import { at, checkInfraStack, flag, scrapeTimeoutFor, timeoutProblem, truthy, valuesPath } from "./_common.js";

const CHART = "cert-manager";

/** The chart's `prometheus.servicemonitor.scrapeTimeout` default. */
const CHART_SCRAPE_TIMEOUT = "30s";

/**
 * The cert-manager monitoring values fragment: `prometheus.enabled` with the ServiceMonitor (PodMonitor off:
 * the chart refuses both) at the stack's scrape interval, and a scrape timeout no longer than it. Metrics are
 * plain HTTP unless `config.metricsTLSConfig` is set (see {@link checkCertManagerMonitoring}).
 */
export function certManagerMonitoring(stack: Stack): CertManagerValues {
  assertNoProblems(checkInfraStack(stack));
  const values: CertManagerValues = {
    prometheus: {
      enabled: true,
      podmonitor: { enabled: false },
      servicemonitor: {
        enabled: true,
        interval: stack.scrapeInterval,
        scrapeTimeout: scrapeTimeoutFor(stack.scrapeInterval, CHART_SCRAPE_TIMEOUT),
      },
    },
  };
  assertNoProblems(checkCertManagerMonitoring(values));
  return values;
}

/**
 * Monitoring couplings of cert-manager values (pass the layered values of the release), with chart defaults
 * for unset keys: the ServiceMonitor renders only with `prometheus.enabled`, ServiceMonitor and PodMonitor are
 * exclusive (the chart fails), the scrape timeout may not exceed the interval, and TLS metrics
 * (`config.metricsTLSConfig`, `webhook.config.metricsTLSConfig`) need an https endpoint on the ServiceMonitor.
 */
export function checkCertManagerMonitoring(values: CertManagerValues): Problem[] {
  const sm = "prometheus.servicemonitor";
  const serviceMonitor = flag(values, `${sm}.enabled`, false);
  const problems: Problem[] = [];
  if (serviceMonitor && !flag(values, "prometheus.enabled", true)) {
    problems.push({
      path: valuesPath(CHART, `${sm}.enabled`),
      message: "is true but prometheus.enabled is not: the chart renders no metrics Service and no ServiceMonitor",
    });
  }
  if (serviceMonitor && flag(values, "prometheus.podmonitor.enabled", false)) {
    problems.push({
      path: valuesPath(CHART, `${sm}.enabled`),
      message:
        'and prometheus.podmonitor.enabled are both true: the chart fails ("Either .Values.prometheus.podmonitor.enabled or .Values.prometheus.servicemonitor.enabled can be enabled at a time, but not both.")',
    });
  }
  if (serviceMonitor) {
    problems.push(...timeoutProblem(CHART, `${sm}.scrapeTimeout`, at(values, `${sm}.scrapeTimeout`) ?? "30s", `${sm}.interval`, at(values, `${sm}.interval`) ?? "60s"));
    const scheme = at(values, `${sm}.endpointAdditionalProperties.scheme`);
    for (const tls of ["config.metricsTLSConfig", "webhook.config.metricsTLSConfig"]) {
      if (truthy(at(values, tls)) && scheme !== "https") {
        problems.push({
          path: valuesPath(CHART, `${sm}.endpointAdditionalProperties.scheme`),
          message: `is not "https" while ${tls} is set: metrics are served over TLS, so plain-HTTP scrapes fail`,
        });
      }
    }
  }
  return problems;
}
