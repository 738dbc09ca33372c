import { serviceEndpoint, type ServiceEndpoint, type Stack } from "@o11y-gitops/core";
import { LOKI_HTTP_PORT, lokiFullname } from "./_chart.js";

/** Loki's push API path (also the one path the external write Ingress exposes for Loki). */
export const LOKI_PUSH_PATH = "/loki/api/v1/push";

/**
 * Loki's in-cluster addresses for the configured release. The stack runs Loki in SingleBinary mode
 * with the chart's nginx gateway off, so clients talk to the single-binary Service, which the chart
 * names `loki.fullname` (`loki` for release `loki`, `<release>-loki` for a release without "loki" in
 * it) and which serves HTTP on 3100 (push `/loki/api/v1/push`, queries, `/ready`).
 */
export function lokiEndpoints(stack: Stack): { http: ServiceEndpoint; pushUrl: string; queryUrl: string } {
  const http = serviceEndpoint(lokiFullname(stack.releases.loki), stack.namespace, LOKI_HTTP_PORT);
  const base = `http://${http.host}:${http.port}`;
  return { http, pushUrl: `${base}${LOKI_PUSH_PATH}`, queryUrl: base };
}
