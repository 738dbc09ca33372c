import { serviceEndpoint, type ServiceEndpoint, type Stack } from "@o11y-gitops/core";

/** Tempo's in-cluster addresses (monolithic chart: Service named after the release). */
export function tempoEndpoints(stack: Stack): {
  http: ServiceEndpoint;
  otlpGrpc: ServiceEndpoint;
  otlpHttp: ServiceEndpoint;
  queryUrl: string;
} {
  const svc = stack.releases.tempo;
  const http = serviceEndpoint(svc, stack.namespace, 3200);
  return {
    http,
    otlpGrpc: serviceEndpoint(svc, stack.namespace, 4317),
    otlpHttp: serviceEndpoint(svc, stack.namespace, 4318),
    queryUrl: `http://${http.host}:${http.port}`,
  };
}
