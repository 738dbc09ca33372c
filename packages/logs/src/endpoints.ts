import { serviceEndpoint, type ServiceEndpoint, type Stack } from "@o11y-gitops/core";

/**
 * Loki's in-cluster addresses for the configured release. In SingleBinary mode the chart's gateway-less
 * Service is named after the release (`loki` for release `loki`) and serves HTTP on 3100.
 */
export function lokiEndpoints(stack: Stack): { http: ServiceEndpoint; pushUrl: string; queryUrl: string } {
  const http = serviceEndpoint(stack.releases.loki, stack.namespace, 3100);
  const base = `http://${http.host}:${http.port}`;
  return { http, pushUrl: `${base}/loki/api/v1/push`, queryUrl: base };
}
