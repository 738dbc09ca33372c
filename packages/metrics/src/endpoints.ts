import { serviceEndpoint, type ServiceEndpoint, type Stack } from "@o11y-gitops/core";
import { PORTS, THANOS_GRPC_PORT } from "./_constants.js";
import { PROMETHEUS_REMOTE_WRITE_PATH } from "./series.js";
import { bitnamiThanosComponentName, kpsFullname, kpsGrafanaFullname } from "./_fullname.js";

/** In-cluster addresses of the metrics components (see {@link metricsEndpoints}). */
export interface MetricsEndpoints {
  /** `<kps fullname>-prometheus`:9090 — also the remote-write receiver (`/api/v1/write`). */
  prometheus: ServiceEndpoint;
  /** `<kps fullname>-alertmanager`:9093. */
  alertmanager: ServiceEndpoint;
  /** Grafana (the kps grafana subchart's Service, port 80). */
  grafana: ServiceEndpoint;
  /** Headless `<kps fullname>-thanos-discovery` Service of the Thanos sidecars, gRPC 10901. */
  thanosSidecar: ServiceEndpoint;
  /** `<thanos fullname>-query`:9090 — Grafana's metrics datasource. */
  thanosQuery: ServiceEndpoint;
  /** `<thanos fullname>-query-frontend`:9090. */
  thanosQueryFrontend: ServiceEndpoint;
  /** `<thanos fullname>-storegateway` gRPC 10901. */
  thanosStoreGateway: ServiceEndpoint;
}

/**
 * Service names kube-prometheus-stack and the Bitnami Thanos chart create for the configured releases,
 * following each chart's fullname rule: kube-prometheus-stack uses the release name when it contains
 * `kube-prometheus-stack` (else `<release>-kube-prometheus-stack`), cut to 26 characters; the grafana
 * subchart and Bitnami's `common.names.fullname` do the same with their chart names and 63 characters, and
 * Bitnami cuts each `<fullname>-<component>` name to 63 characters again.
 */
export function metricsEndpoints(stack: Stack): MetricsEndpoints {
  const kps = kpsFullname(stack.releases.kubePrometheusStack);
  const thanos = (component: string): string => bitnamiThanosComponentName(stack.releases.thanos, component);
  const ns = stack.namespace;
  return {
    prometheus: serviceEndpoint(`${kps}-prometheus`, ns, PORTS.prometheus),
    alertmanager: serviceEndpoint(`${kps}-alertmanager`, ns, PORTS.alertmanager),
    grafana: serviceEndpoint(kpsGrafanaFullname(stack.releases.kubePrometheusStack), ns, PORTS.grafana),
    thanosSidecar: serviceEndpoint(`${kps}-thanos-discovery`, ns, THANOS_GRPC_PORT),
    thanosQuery: serviceEndpoint(thanos("query"), ns, PORTS.thanosQuery),
    thanosQueryFrontend: serviceEndpoint(thanos("query-frontend"), ns, PORTS.thanosQueryFrontend),
    thanosStoreGateway: serviceEndpoint(thanos("storegateway"), ns, THANOS_GRPC_PORT),
  };
}

/** `http://<host>:<port>` of a Service endpoint. */
export function httpUrl(e: ServiceEndpoint): string {
  return `http://${e.host}:${e.port}`;
}

/**
 * The in-cluster remote-write URL of the stack's Prometheus (`--web.enable-remote-write-receiver`), the
 * one Tempo's metrics generator writes to.
 */
export function prometheusRemoteWriteUrl(stack: Stack): string {
  return `${httpUrl(metricsEndpoints(stack).prometheus)}${PROMETHEUS_REMOTE_WRITE_PATH}`;
}
