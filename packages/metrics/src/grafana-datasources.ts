import type { Stack } from "@o11y-gitops/core";
import { lokiEndpoints } from "@o11y-gitops/logs";
import { tempoEndpoints } from "@o11y-gitops/traces";
import { DATASOURCE_UID, EXEMPLAR_TRACE_ID_LABEL, LOKI_TENANT_HEADER } from "./_constants.js";
import { httpUrl, metricsEndpoints } from "./endpoints.js";

/** One entry of a Grafana datasource provisioning file (`grafana.additionalDataSources`). */
export interface GrafanaDatasource {
  name: string;
  type: "prometheus" | "loki" | "tempo";
  uid: string;
  url: string;
  access: "proxy";
  isDefault: boolean;
  editable: boolean;
  jsonData: Record<string, unknown>;
  secureJsonData?: Record<string, string>;
}

/** Span attribute → Loki stream label, for trace → logs links (the labels Alloy puts on pod logs). */
const SPAN_TO_LOG_LABELS = [
  { key: "k8s.namespace.name", value: "namespace" },
  { key: "k8s.pod.name", value: "pod" },
] as const;

/**
 * Span metrics of Tempo's generator (`span-metrics` processor): a service's calls and latency, labelled
 * `service` from the span's `service.name`. `$__tags` is Grafana's placeholder for the mapped tags.
 */
const SPAN_METRICS_QUERIES = [
  { name: "Request rate", query: "sum(rate(traces_spanmetrics_calls_total{$__tags}[5m]))" },
  { name: "p95 latency", query: "histogram_quantile(0.95, sum by (le) (rate(traces_spanmetrics_latency_bucket{$__tags}[5m])))" },
] as const;

/** Span attribute → span-metrics label, for trace → metrics links. */
const SPAN_TO_METRIC_LABELS = [{ key: "service.name", value: "service" }] as const;

/** How far around a span Grafana looks for its logs. */
const SPAN_TIME_SHIFT = { spanStartTimeShift: "-5m", spanEndTimeShift: "5m" } as const;

/**
 * Grafana expands `$NAME` / `${NAME}` in provisioning files from its environment; a literal `$` (as in
 * Grafana's own `${__value.raw}` link variables) is written `$$`.
 */
function provisioningLiteral(s: string): string {
  return s.split("$").join("$$");
}

/**
 * Grafana's datasources besides kube-prometheus-stack's own Prometheus/Alertmanager ones: Thanos Query
 * (the default for metrics: recent data from the sidecar plus old blocks from the store gateway), Loki
 * (sending the stack's tenant as `X-Scope-OrgID`) and Tempo, linked every way Grafana supports:
 * exemplars → trace (`exemplarTraceIdDestinations`), log line → trace (`derivedFields`), span → logs
 * (`tracesToLogsV2`), span → metrics (`tracesToMetrics`: request rate and latency of the span's service
 * from the span metrics), the service map, and the node graph of each trace. The service map and span
 * metrics are what Tempo's metrics generator remote-writes into Prometheus (`stackComponents` turns it on);
 * Grafana reads them through Thanos, which serves Prometheus' recent data through the sidecar.
 * Only the datasources of the components that are on (`stack.components`), and only links between them;
 * without Thanos, kube-prometheus-stack's own Prometheus datasource is the default and the metrics side
 * of the links.
 */
export function grafanaDatasources(stack: Stack): GrafanaDatasource[] {
  const on = stack.components;
  // Where span metrics and the service map are read: Thanos, or Prometheus itself without it.
  const metricsUid = on.thanos ? DATASOURCE_UID.thanos : DATASOURCE_UID.prometheus;
  const thanos: GrafanaDatasource = {
    name: "Thanos",
    type: "prometheus",
    uid: DATASOURCE_UID.thanos,
    url: httpUrl(metricsEndpoints(stack).thanosQuery),
    access: "proxy",
    isDefault: true,
    editable: false,
    jsonData: {
      prometheusType: "Thanos",
      httpMethod: "POST",
      timeInterval: stack.scrapeInterval,
      ...(on.tempo
        ? { exemplarTraceIdDestinations: [{ name: EXEMPLAR_TRACE_ID_LABEL, datasourceUid: DATASOURCE_UID.tempo, urlDisplayLabel: "View trace" }] }
        : {}),
    },
  };
  const loki: GrafanaDatasource = {
    name: "Loki",
    type: "loki",
    uid: DATASOURCE_UID.loki,
    url: lokiEndpoints(stack).queryUrl,
    access: "proxy",
    isDefault: false,
    editable: false,
    jsonData: {
      httpHeaderName1: LOKI_TENANT_HEADER,
      maxLines: 1000,
      ...(on.tempo
        ? {
            derivedFields: [
              {
                name: "TraceID",
                matcherType: "regex",
                // logfmt `trace_id=…`/`traceID=…` and JSON `"trace_id":"…"`.
                matcherRegex: '(?:trace_id|traceI[dD])(?:=|":\\s*")(\\w+)',
                url: provisioningLiteral("${__value.raw}"),
                datasourceUid: DATASOURCE_UID.tempo,
                urlDisplayLabel: "View trace",
              },
            ],
          }
        : {}),
    },
    secureJsonData: { httpHeaderValue1: stack.lokiTenant },
  };
  const tempo: GrafanaDatasource = {
    name: "Tempo",
    type: "tempo",
    uid: DATASOURCE_UID.tempo,
    url: tempoEndpoints(stack).queryUrl,
    access: "proxy",
    isDefault: false,
    editable: false,
    jsonData: {
      ...(on.loki
        ? {
            tracesToLogsV2: {
              datasourceUid: DATASOURCE_UID.loki,
              ...SPAN_TIME_SHIFT,
              filterByTraceID: true,
              filterBySpanID: false,
              tags: SPAN_TO_LOG_LABELS.map((t) => ({ ...t })),
            },
          }
        : {}),
      tracesToMetrics: {
        datasourceUid: metricsUid,
        ...SPAN_TIME_SHIFT,
        tags: SPAN_TO_METRIC_LABELS.map((t) => ({ ...t })),
        queries: SPAN_METRICS_QUERIES.map((q) => ({ name: q.name, query: provisioningLiteral(q.query) })),
      },
      serviceMap: { datasourceUid: metricsUid },
      nodeGraph: { enabled: true },
      ...(on.loki ? { lokiSearch: { datasourceUid: DATASOURCE_UID.loki } } : {}),
      search: { hide: false },
    },
  };
  return [...(on.thanos ? [thanos] : []), ...(on.loki ? [loki] : []), ...(on.tempo ? [tempo] : [])];
}
