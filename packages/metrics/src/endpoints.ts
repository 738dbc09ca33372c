import { serviceEndpoint, type ServiceEndpoint, type Stack } from "@o11y-gitops/core";

/**
 * Service names kube-prometheus-stack and the Bitnami Thanos chart create for the configured releases.
 * kube-prometheus-stack prefixes with its fullname (the release name when it contains the chart name).
 */
export function metricsEndpoints(stack: Stack): {
  prometheus: ServiceEndpoint;
  alertmanager: ServiceEndpoint;
  thanosQuery: ServiceEndpoint;
  thanosQueryFrontend: ServiceEndpoint;
} {
  const kps = stack.releases.kubePrometheusStack;
  const thanos = stack.releases.thanos;
  return {
    prometheus: serviceEndpoint(`${kps}-prometheus`, stack.namespace, 9090),
    alertmanager: serviceEndpoint(`${kps}-alertmanager`, stack.namespace, 9093),
    thanosQuery: serviceEndpoint(`${thanos}-query`, stack.namespace, 9090),
    thanosQueryFrontend: serviceEndpoint(`${thanos}-query-frontend`, stack.namespace, 9090),
  };
}
