// The pipeline's own alerts, checked by Prometheus's tool: `promtool check rules` (syntax, PromQL,
// annotation templates) and `promtool test rules` (each alert fires on its failure and stays quiet on the
// healthy case, on synthetic series). promtool comes from the Debian package `prometheus`; without it these
// tests fail in CI and skip locally.
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { describe, expect, it } from "vitest";
import { stack as homelab } from "../../../stack.config.js";
import { needPromtool, promtool, scratchFiles } from "./_promtool.js";
import { pipelineAlertGroups, pipelinePrometheusRule, seedChecks, type AlertRule } from "../src/index.js";

const write = scratchFiles("pipeline-rules-");

const groups = pipelineAlertGroups(homelab);
const rules = groups.flatMap((g) => g.rules);
const alertNames = [...new Set(rules.map((r) => r.alert))];

describe("the pipeline PrometheusRule", () => {
  it("passes the operator's schema and sits in the stack namespace", () => {
    const obj = pipelinePrometheusRule(homelab);
    expect(() => new PrometheusRule(obj as never).validate()).not.toThrow();
    expect(obj.metadata).toMatchObject({ name: "observability-pipeline", namespace: "monitoring" });
    expect((obj as unknown as { spec: { groups: unknown } }).spec.groups).toEqual(groups);
  });

  it("has every alert the issue asks for", () => {
    expect(alertNames).toEqual([
      "ThanosSidecarNotUploading",
      "ThanosSidecarUploadFailures",
      "ThanosCompactorHalted",
      "ThanosCompactorNotRunning",
      "ThanosStoreGatewayErrors",
      "ThanosQueryEndpointMissing",
      "LokiDiscardingLogs",
      "LokiChunkFlushFailures",
      "LokiRequestErrors",
      "TempoDiscardingSpans",
      "TempoFlushFailures",
      "AlloyLokiWriteDropping",
      "AlloyRemoteWriteFailing",
      "AlloyOTLPExportFailing",
      "PrometheusRemoteWriteReceiverErrors",
      "DockerHostStoppedSending",
      "ObjectStorageErrors",
      "StackVolumeFillingUp",
    ]);
  });

  it("every runbook names one of the seed's verification checks", () => {
    const checks = Object.values(seedChecks(homelab));
    for (const r of rules) expect(checks.some((c) => r.annotations.runbook.includes(c)), r.alert).toBe(true);
    expect(seedChecks(homelab)).toEqual({
      pods: "Check all pods are running: kubectl get pods -n monitoring",
      targets: "Check Prometheus targets: kubectl port-forward -n monitoring svc/kube-prometheus-stack-prometheus 9090, then http://localhost:9090/targets",
      stores: "Check Thanos stores: kubectl port-forward -n monitoring svc/thanos-query 9090, then http://localhost:9090/stores",
      lokiReady: "Check Loki readiness: kubectl port-forward -n monitoring svc/loki 3100, then http://localhost:3100/ready",
      tempoReady: "Check Tempo readiness: kubectl port-forward -n monitoring svc/tempo 3200, then http://localhost:3200/ready",
    });
  });

  it("job selectors follow the releases", () => {
    const other = pipelineAlertGroups({ ...homelab, releases: { ...homelab.releases, thanos: "lts", kubePrometheusStack: "mon" } }).flatMap((g) => g.rules);
    const exprs = other.map((r) => r.expr).join("\n");
    expect(exprs).toContain('job="lts-thanos-compactor"');
    expect(exprs).toContain('job="lts-thanos-query"');
    expect(exprs).toContain('job="mon-kube-prometheus-stack-thanos-discovery"');
    expect(exprs).not.toContain('job="thanos-');
  });
});

describe("promtool check rules", () => {
  it("accepts every rule, annotations included", (ctx) => {
    needPromtool(ctx);
    const result = promtool("check", "rules", write("rules.yaml", { groups }));
    expect(result.output).toContain(`SUCCESS: ${rules.length} rules found`);
    expect(result.status, result.output).toBe(0);
  });

  it("fails a broken expression, so the check above can fail", (ctx) => {
    needPromtool(ctx);
    const broken: AlertRule = { ...(rules[0] as AlertRule), expr: "sum(rate(thanos_shipper_uploads_total[5m])" };
    const result = promtool("check", "rules", write("broken.yaml", { groups: [{ name: "x", rules: [broken] }] }));
    expect(result.status).not.toBe(0);
    expect(result.output).toContain("FAILED");
  });
});

interface Series {
  series: string;
  values: string;
}
interface Expected {
  eval_time: string;
  alertname: string;
  exp_alerts: { exp_labels: Record<string, string> }[];
}

/** `promtool test rules` on the rules without annotations (otherwise every rendered text must be spelled out). */
function testRules(series: Series[], expected: Expected[]): { status: number | null; output: string } {
  const bare = groups.map((g) => ({ name: g.name, rules: g.rules.map(({ annotations: _a, ...rest }) => rest) }));
  const rulesFile = write("rules.yaml", { groups: bare });
  const testFile = write("test.yaml", {
    rule_files: [rulesFile],
    evaluation_interval: "1m",
    tests: [{ interval: "1m", input_series: series, alert_rule_test: expected }],
  });
  return promtool("test", "rules", testFile);
}

const ns = 'namespace="monitoring"';
const sidecar = 'job="kube-prometheus-stack-thanos-discovery"';
const fired = (alertname: string, eval_time: string, ...labels: Record<string, string>[]): Expected => ({
  eval_time,
  alertname,
  exp_alerts: labels.map((l) => ({ exp_labels: l })),
});
const quiet = (alertname: string, eval_time: string): Expected => ({ eval_time, alertname, exp_alerts: [] });
/** A counter that grows by one every two hours (a block per Prometheus block period), for `hours`. */
const everyTwoHours = (hours: number) => Array.from({ length: hours / 2 }, (_, i) => `${i}x119`).join(" ");

/** [name, input series, what fires (or not) when]. */
const CASES: [string, Series[], Expected[]][] = [
  [
    "sidecar: no upload for 5h fires; a fresh sidecar (no 5h of history) stays quiet",
    [{ series: `thanos_shipper_uploads_total{${sidecar},${ns},pod="prometheus-0"}`, values: "0x400" }],
    [
      quiet("ThanosSidecarNotUploading", "3h"),
      fired("ThanosSidecarNotUploading", "6h", { severity: "critical", component: "thanos-sidecar" }),
    ],
  ],
  [
    "sidecar uploading a block every 2h stays quiet",
    [{ series: `thanos_shipper_uploads_total{${sidecar},${ns},pod="prometheus-0"}`, values: everyTwoHours(10) }],
    [quiet("ThanosSidecarNotUploading", "9h")],
  ],
  [
    "sidecar upload failures fire per pod",
    [
      { series: `thanos_shipper_upload_failures_total{${sidecar},${ns},pod="prometheus-0"}`, values: "0 0 0 1x20" },
      { series: `thanos_shipper_upload_failures_total{${sidecar},${ns},pod="prometheus-1"}`, values: "0x20" },
    ],
    [fired("ThanosSidecarUploadFailures", "10m", { severity: "warning", component: "thanos-sidecar", pod: "prometheus-0" }), quiet("ThanosSidecarUploadFailures", "1m")],
  ],
  [
    "compactor halted fires; running compactor quiet",
    [{ series: 'thanos_compact_halted{job="thanos-compactor"}', values: "0x5 1x20" }],
    [quiet("ThanosCompactorHalted", "5m"), fired("ThanosCompactorHalted", "20m", { severity: "critical", component: "thanos-compactor", job: "thanos-compactor" })],
  ],
  [
    "compactor down for 15m fires",
    [{ series: `up{job="thanos-compactor",${ns},pod="thanos-compactor-0"}`, values: "1x5 0x30" }],
    [quiet("ThanosCompactorNotRunning", "10m"), fired("ThanosCompactorNotRunning", "30m", { severity: "warning", component: "thanos-compactor" })],
  ],
  [
    "compactor up stays quiet",
    [{ series: `up{job="thanos-compactor",${ns},pod="thanos-compactor-0"}`, values: "1x30" }],
    [quiet("ThanosCompactorNotRunning", "30m")],
  ],
  [
    "store gateway failing 10% of gRPC requests fires; 1% stays quiet",
    [
      { series: 'grpc_server_handled_total{job="thanos-storegateway",grpc_code="Unavailable"}', values: "0+10x20" },
      { series: 'grpc_server_started_total{job="thanos-storegateway"}', values: "0+100x20" },
      { series: 'grpc_server_handled_total{job="other-storegateway",grpc_code="Unavailable"}', values: "0+1x20" },
      { series: 'grpc_server_started_total{job="other-storegateway"}', values: "0+100x20" },
    ],
    [fired("ThanosStoreGatewayErrors", "15m", { severity: "warning", component: "thanos-storegateway", job: "thanos-storegateway" })],
  ],
  [
    "store gateway failing 1% of gRPC requests stays quiet",
    [
      { series: 'grpc_server_handled_total{job="thanos-storegateway",grpc_code="Unavailable"}', values: "0+1x20" },
      { series: 'grpc_server_handled_total{job="thanos-storegateway",grpc_code="OK"}', values: "0+99x20" },
      { series: 'grpc_server_started_total{job="thanos-storegateway"}', values: "0+100x20" },
    ],
    [quiet("ThanosStoreGatewayErrors", "15m")],
  ],
  [
    "Thanos Query without a sidecar endpoint fires for the missing type only",
    [{ series: 'thanos_store_nodes_grpc_connections{job="thanos-query",store_type="store",external_labels="{}"}', values: "1x20" }],
    [fired("ThanosQueryEndpointMissing", "15m", { severity: "critical", component: "thanos-query", store_type: "sidecar" })],
  ],
  [
    "Thanos Query with both endpoint types stays quiet",
    [
      { series: 'thanos_store_nodes_grpc_connections{job="thanos-query",store_type="store"}', values: "1x20" },
      { series: 'thanos_store_nodes_grpc_connections{job="thanos-query",store_type="sidecar"}', values: "1x20" },
    ],
    [quiet("ThanosQueryEndpointMissing", "15m")],
  ],
  [
    "Loki discarding lines and failing flushes fire; idle counters stay quiet",
    [
      { series: `loki_discarded_samples_total{${ns},reason="rate_limited",tenant="homelab"}`, values: "0+5x30" },
      { series: `loki_discarded_samples_total{${ns},reason="line_too_long",tenant="homelab"}`, values: "0x30" },
      { series: `loki_ingester_chunks_flush_failures_total{${ns}}`, values: "0+1x30" },
    ],
    [
      fired("LokiDiscardingLogs", "20m", { severity: "warning", component: "loki", reason: "rate_limited" }),
      fired("LokiChunkFlushFailures", "20m", { severity: "critical", component: "loki" }),
    ],
  ],
  [
    "Loki healthy: nothing discarded, nothing failing",
    [
      { series: `loki_discarded_samples_total{${ns},reason="rate_limited"}`, values: "0x30" },
      { series: `loki_ingester_chunks_flush_failures_total{${ns}}`, values: "0x30" },
    ],
    [quiet("LokiDiscardingLogs", "20m"), quiet("LokiChunkFlushFailures", "20m")],
  ],
  [
    "Loki 10% 5xx on push fires; 1% on queries stays quiet",
    [
      { series: `loki_request_duration_seconds_count{${ns},route="loki_api_v1_push",status_code="500"}`, values: "0+10x30" },
      { series: `loki_request_duration_seconds_count{${ns},route="loki_api_v1_push",status_code="204"}`, values: "0+90x30" },
      { series: `loki_request_duration_seconds_count{${ns},route="loki_api_v1_query_range",status_code="500"}`, values: "0+1x30" },
      { series: `loki_request_duration_seconds_count{${ns},route="loki_api_v1_query_range",status_code="200"}`, values: "0+99x30" },
    ],
    [fired("LokiRequestErrors", "20m", { severity: "warning", component: "loki", route: "loki_api_v1_push" })],
  ],
  [
    "Loki answering 1% 5xx stays quiet",
    [
      { series: `loki_request_duration_seconds_count{${ns},route="loki_api_v1_push",status_code="500"}`, values: "0+1x30" },
      { series: `loki_request_duration_seconds_count{${ns},route="loki_api_v1_push",status_code="204"}`, values: "0+99x30" },
    ],
    [quiet("LokiRequestErrors", "20m")],
  ],
  [
    "Tempo discarding spans and failing flushes fire",
    [
      { series: `tempo_discarded_spans_total{${ns},reason="rate_limited"}`, values: "0+5x30" },
      { series: `tempo_ingester_failed_flushes_total{${ns}}`, values: "0 0 0 1x30" },
    ],
    [
      fired("TempoDiscardingSpans", "20m", { severity: "warning", component: "tempo", reason: "rate_limited" }),
      fired("TempoFlushFailures", "10m", { severity: "critical", component: "tempo" }),
    ],
  ],
  [
    "Tempo healthy stays quiet",
    [
      { series: `tempo_discarded_spans_total{${ns},reason="rate_limited"}`, values: "0x30" },
      { series: `tempo_ingester_failed_flushes_total{${ns}}`, values: "0x30" },
    ],
    [quiet("TempoDiscardingSpans", "20m"), quiet("TempoFlushFailures", "20m")],
  ],
  [
    "Alloy write failures fire for the failing instance, DaemonSet and Docker host alike",
    [
      { series: 'loki_write_dropped_entries_total{job="alloy",instance="10.0.0.5:12345",reason="ingester_error"}', values: "0+3x20" },
      { series: 'loki_write_dropped_entries_total{job="alloy",instance="10.0.0.6:12345",reason="ingester_error"}', values: "0x20" },
      { series: 'prometheus_remote_storage_samples_failed_total{job="integrations/alloy",instance="docker-1",source="docker"}', values: "0+50x20" },
      { series: 'otelcol_exporter_send_failed_spans_total{job="alloy",instance="10.0.0.5:12345",exporter="otlp/tempo"}', values: "0+7x20" },
    ],
    [
      fired("AlloyLokiWriteDropping", "5m", { severity: "warning", component: "alloy", instance: "10.0.0.5:12345", job: "alloy" }),
      fired("AlloyRemoteWriteFailing", "15m", { severity: "warning", component: "alloy", instance: "docker-1", job: "integrations/alloy" }),
      fired("AlloyOTLPExportFailing", "15m", { severity: "warning", component: "alloy", instance: "10.0.0.5:12345", job: "alloy" }),
    ],
  ],
  [
    "Alloy healthy stays quiet",
    [
      { series: 'loki_write_dropped_entries_total{job="alloy",instance="a"}', values: "0x20" },
      { series: 'prometheus_remote_storage_samples_failed_total{job="integrations/alloy",instance="docker-1"}', values: "0x20" },
      { series: 'otelcol_exporter_send_failed_spans_total{job="alloy",instance="a"}', values: "0x20" },
    ],
    [quiet("AlloyLokiWriteDropping", "15m"), quiet("AlloyRemoteWriteFailing", "15m"), quiet("AlloyOTLPExportFailing", "15m")],
  ],
  [
    "the remote-write receiver refusing samples (400) fires; accepted pushes (204) stay quiet",
    [
      { series: `prometheus_http_requests_total{${ns},handler="/api/v1/write",code="400"}`, values: "0+2x30" },
      { series: `prometheus_http_requests_total{${ns},handler="/api/v1/write",code="204"}`, values: "0+100x30" },
      { series: `prometheus_http_requests_total{${ns},handler="/api/v1/query",code="400"}`, values: "0+5x30" },
    ],
    [fired("PrometheusRemoteWriteReceiverErrors", "20m", { severity: "warning", component: "prometheus", code: "400" })],
  ],
  [
    "remote-write receiver healthy stays quiet",
    [{ series: `prometheus_http_requests_total{${ns},handler="/api/v1/write",code="204"}`, values: "0+100x30" }],
    [quiet("PrometheusRemoteWriteReceiverErrors", "20m")],
  ],
  [
    "a Docker host that stops sending fires, by name, with no host list; the others stay quiet",
    [
      { series: 'up{source="docker",job="node-exporter",instance="docker-1"}', values: "1x30" },
      { series: 'up{source="docker",job="node-exporter",instance="docker-2"}', values: "1x90" },
    ],
    [
      quiet("DockerHostStoppedSending", "30m"),
      fired("DockerHostStoppedSending", "60m", { severity: "warning", component: "docker-host", instance: "docker-1" }),
    ],
  ],
  [
    "Docker hosts all sending stay quiet",
    [
      { series: 'up{source="docker",job="node-exporter",instance="docker-1"}', values: "1x90" },
      { series: 'up{source="docker",job="node-exporter",instance="docker-2"}', values: "1x90" },
    ],
    [quiet("DockerHostStoppedSending", "60m")],
  ],
  [
    "object-store errors fire per component (Thanos compactor, sidecar, Loki, Tempo)",
    [
      { series: 'thanos_objstore_bucket_operation_failures_total{job="thanos-compactor",bucket="thanos-metrics",operation="get"}', values: "0+1x30" },
      { series: 'thanos_objstore_bucket_operation_failures_total{job="kube-prometheus-stack-thanos-discovery",bucket="thanos-metrics",operation="upload"}', values: "0+1x30" },
      { series: 'thanos_objstore_bucket_operation_failures_total{job="thanos-storegateway",bucket="thanos-metrics",operation="get"}', values: "0x30" },
      { series: `loki_s3_request_duration_seconds_count{${ns},operation="S3.PutObject",status_code="500"}`, values: "0+1x30" },
      { series: `loki_s3_request_duration_seconds_count{${ns},operation="S3.GetObject",status_code="404"}`, values: "0+9x30" },
      { series: `tempodb_backend_request_duration_seconds_count{${ns},operation="PUT",status_code="503"}`, values: "0+1x30" },
    ],
    [
      fired(
        "ObjectStorageErrors",
        "20m",
        { severity: "warning", component: "thanos-sidecar", job: "kube-prometheus-stack-thanos-discovery" },
        { severity: "warning", component: "thanos-compactor", job: "thanos-compactor" },
        { severity: "warning", component: "loki", operation: "S3.PutObject" },
        { severity: "warning", component: "tempo", operation: "PUT" },
      ),
    ],
  ],
  [
    "object store healthy (404 lookups are normal) stays quiet",
    [
      { series: 'thanos_objstore_bucket_operation_failures_total{job="thanos-compactor",operation="get"}', values: "0x30" },
      { series: `loki_s3_request_duration_seconds_count{${ns},operation="S3.GetObject",status_code="404"}`, values: "0+9x30" },
      { series: `tempodb_backend_request_duration_seconds_count{${ns},operation="GET",status_code="200"}`, values: "0+9x30" },
    ],
    [quiet("ObjectStorageErrors", "20m")],
  ],
  [
    "a stack PVC 90% full fires; one 50% full and one in another namespace stay quiet",
    [
      { series: `kubelet_volume_stats_available_bytes{${ns},persistentvolumeclaim="storage-loki-0"}`, values: "10x30" },
      { series: `kubelet_volume_stats_capacity_bytes{${ns},persistentvolumeclaim="storage-loki-0"}`, values: "100x30" },
      { series: `kubelet_volume_stats_available_bytes{${ns},persistentvolumeclaim="storage-tempo-0"}`, values: "50x30" },
      { series: `kubelet_volume_stats_capacity_bytes{${ns},persistentvolumeclaim="storage-tempo-0"}`, values: "100x30" },
      { series: 'kubelet_volume_stats_available_bytes{namespace="apps",persistentvolumeclaim="data"}', values: "1x30" },
      { series: 'kubelet_volume_stats_capacity_bytes{namespace="apps",persistentvolumeclaim="data"}', values: "100x30" },
    ],
    [
      quiet("StackVolumeFillingUp", "10m"),
      fired("StackVolumeFillingUp", "20m", { severity: "warning", component: "storage", namespace: "monitoring", persistentvolumeclaim: "storage-loki-0" }),
    ],
  ],
];

describe("promtool test rules: each alert fires on its failure and stays quiet when healthy", () => {
  it("every alert has a case where it fires and one where it stays quiet", () => {
    const expectations = CASES.flatMap(([, , e]) => e);
    const firing = new Set(expectations.filter((e) => e.exp_alerts.length > 0).map((e) => e.alertname));
    const silent = new Set(expectations.filter((e) => e.exp_alerts.length === 0).map((e) => e.alertname));
    for (const name of alertNames) {
      expect(firing.has(name), `${name} fires somewhere`).toBe(true);
      expect(silent.has(name), `${name} stays quiet somewhere`).toBe(true);
    }
  });

  it.for(CASES)("%s", ([name, series, expected], ctx) => {
    needPromtool(ctx);
    const result = testRules(series, expected);
    expect(result.status, `${name}:\n${result.output}`).toBe(0);
    expect(result.output).toContain("SUCCESS");
  });

  it("a wrong expectation fails, so the cases above can fail", (ctx) => {
    needPromtool(ctx);
    const result = testRules(
      [{ series: 'thanos_compact_halted{job="thanos-compactor"}', values: "0x20" }],
      [fired("ThanosCompactorHalted", "20m", { severity: "critical", component: "thanos-compactor", job: "thanos-compactor" })],
    );
    expect(result.status).not.toBe(0);
    expect(result.output).toContain("FAILED");
  });
});
