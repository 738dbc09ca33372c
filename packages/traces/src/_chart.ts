// Facts about the pinned tempo chart (grafana-community 1.26.7, monolithic) shared by the builder and
// the endpoints.
import { helmFullname } from "@o11y-gitops/core";

/** The chart's name, as its `tempo.name` helper returns it (no nameOverride). */
export const TEMPO_CHART_NAME = "tempo";

/**
 * Ports of the chart's Service. Its targetPorts are fixed numbers (3200 for HTTP, 4317/4318 for OTLP),
 * so Tempo must listen exactly there: the builder sets `tempo.server.http_listen_port` and the OTLP
 * receiver endpoints from these values (the Service port of each receiver is read back from its endpoint).
 */
export const TEMPO_PORTS = { http: 3200, otlpGrpc: 4317, otlpHttp: 4318 } as const;


/**
 * `tempo.fullname` without overrides: the release name when it contains `tempo`, else
 * `<release>-tempo`, cut to 63 characters. The StatefulSet and its Service carry this name.
 */
export function tempoFullname(release: string): string {
  return helmFullname(release, TEMPO_CHART_NAME);
}
