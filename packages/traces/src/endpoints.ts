import { serviceEndpoint, type ServiceEndpoint, type Stack } from "@o11y-gitops/core";
import { TEMPO_PORTS, tempoFullname } from "./_chart.js";

/**
 * Tempo's in-cluster addresses. The monolithic chart's Service is named `tempo.fullname` (`tempo` for
 * release `tempo`, `<release>-tempo` otherwise) and publishes HTTP (queries, `/ready`) on 3200 and the
 * OTLP receivers on 4317 (gRPC) and 4318 (HTTP).
 */
export function tempoEndpoints(stack: Stack): {
  http: ServiceEndpoint;
  otlpGrpc: ServiceEndpoint;
  otlpHttp: ServiceEndpoint;
  queryUrl: string;
} {
  const svc = tempoFullname(stack.releases.tempo);
  const http = serviceEndpoint(svc, stack.namespace, TEMPO_PORTS.http);
  return {
    http,
    otlpGrpc: serviceEndpoint(svc, stack.namespace, TEMPO_PORTS.otlpGrpc),
    otlpHttp: serviceEndpoint(svc, stack.namespace, TEMPO_PORTS.otlpHttp),
    queryUrl: `http://${http.host}:${http.port}`,
  };
}
