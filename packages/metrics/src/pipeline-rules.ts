// Alerts on the observability pipeline itself: every hop a sample, log line or span takes, and the object
// store and volumes under them. Typed with the prometheus-operator's own PrometheusRule model and rendered
// into the tree as a manifest; checked with `promtool check rules` and unit-tested with `promtool test rules`.
import { pipelineHops } from "./_selection.js";
import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { MANAGED_BY, MANAGED_BY_LABEL, PART_OF_LABEL, type K8sObject, type Stack } from "@o11y-gitops/core";
import { lokiEndpoints } from "@o11y-gitops/logs";
import { tempoEndpoints } from "@o11y-gitops/traces";
import { DOCKER_HOST_SOURCE, NODE_EXPORTER_JOB, PROMETHEUS_REMOTE_WRITE_PATH } from "./series.js";
import { bitnamiThanosFullname } from "./_fullname.js";
import { metricsEndpoints } from "./endpoints.js";
import { PIPELINE_METRICS as M } from "./_pipeline-metrics.js";

/** One alerting rule, as the PrometheusRule CRD (and promtool) read it. */
export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: "warning" | "critical"; component: PipelineComponent };
  annotations: { summary: string; description: string; runbook: string };
}

/** A rule group. */
export interface AlertGroup {
  name: string;
  rules: AlertRule[];
}

/** The parts of the pipeline an alert can be about (its `component` label). */
export type PipelineComponent =
  | "thanos-sidecar"
  | "thanos-compactor"
  | "thanos-storegateway"
  | "thanos-query"
  | "loki"
  | "tempo"
  | "alloy"
  | "prometheus"
  | "docker-host"
  | "storage";

/**
 * The seed's "Verify observability stack" checks (runbook step 6), with the Service names derived from the
 * stack's releases. Every alert's runbook names the one that confirms it.
 */
export function seedChecks(stack: Stack): Record<"pods" | "targets" | "stores" | "lokiReady" | "tempoReady", string> {
  const ns = stack.namespace;
  const m = metricsEndpoints(stack);
  const loki = lokiEndpoints(stack).http;
  const tempo = tempoEndpoints(stack).http;
  const forward = (svc: string, port: number, path: string) =>
    `kubectl port-forward -n ${ns} svc/${svc} ${port}, then http://localhost:${port}${path}`;
  return {
    pods: `Check all pods are running: kubectl get pods -n ${ns}`,
    targets: `Check Prometheus targets: ${forward(m.prometheus.service, m.prometheus.port, "/targets")}`,
    stores: `Check Thanos stores: ${forward(m.thanosQuery.service, m.thanosQuery.port, "/stores")}`,
    lokiReady: `Check Loki readiness: ${forward(loki.service, loki.port, "/ready")}`,
    tempoReady: `Check Tempo readiness: ${forward(tempo.service, tempo.port, "/ready")}`,
  };
}

/** gRPC codes that mean the server failed (the Thanos mixin's list). */
const GRPC_SERVER_ERRORS = "Unknown|ResourceExhausted|Internal|Unavailable|DataLoss|DeadlineExceeded";

/** How long a Docker host's series may be missing before it counts as "stopped sending". */
const DOCKER_HOST_SILENCE = "10m";

/** How far back the stack remembers which Docker hosts used to send (no hand-kept host list). */
const DOCKER_HOST_MEMORY = "1d";

/** Share of a stack PVC in use at which the volume alert warns (kube-prometheus-stack's own fires at 97%). */
export const PVC_WARN_USED_RATIO = 0.8;

/**
 * The pipeline's alert rules for `stack`, in groups per stage. Job names come from the releases (Bitnami's
 * `<fullname>-<component>` Services, whose names the ServiceMonitors use as `job`); in-cluster series are
 * scoped to the stack's namespace; Alloy's and Docker hosts' series are matched wherever they come from
 * (the DaemonSet via its ServiceMonitor, the Docker hosts through remote write with `source="docker"`).
 */
export function pipelineAlertGroups(stack: Stack): AlertGroup[] {
  const ns = stack.namespace;
  const check = seedChecks(stack);
  const thanos = bitnamiThanosFullname(stack.releases.thanos);
  const job = {
    // kube-prometheus-stack's sidecar ServiceMonitor selects the `<fullname>-thanos-discovery` Service.
    sidecar: metricsEndpoints(stack).thanosSidecar.service,
    compactor: `${thanos}-compactor`,
    storegateway: `${thanos}-storegateway`,
    query: `${thanos}-query`,
  };
  const inNs = `namespace="${ns}"`;
  const docker = `${DOCKER_HOST_SOURCE.label}="${DOCKER_HOST_SOURCE.value}"`;
  const rule = (r: AlertRule): AlertRule => r;

  const thanosRules: AlertRule[] = [
    rule({
      alert: "ThanosSidecarNotUploading",
      // Only once the sidecar has 5h of history, so a fresh one is not flagged before its first block.
      expr: `sum(increase(${M.shipperUploads}{job="${job.sidecar}"}[5h])) == 0 and on () count(${M.shipperUploads}{job="${job.sidecar}"} offset 5h) > 0`,
      for: "30m",
      labels: { severity: "critical", component: "thanos-sidecar" },
      annotations: {
        summary: "The Thanos sidecar has uploaded no block for 5 hours",
        description: "Prometheus completes a block every 2h; none reached the bucket, so Thanos loses recent history once Prometheus' local retention ends.",
        runbook: `${check.stores}: the sidecar must be listed and up. Then the sidecar's log (container thanos-sidecar in the Prometheus pod).`,
      },
    }),
    rule({
      alert: "ThanosSidecarUploadFailures",
      expr: `sum by (pod) (increase(${M.shipperUploadFailures}{job="${job.sidecar}"}[15m])) > 0`,
      labels: { severity: "warning", component: "thanos-sidecar" },
      annotations: {
        summary: "Thanos sidecar in {{ $labels.pod }} failed to upload blocks",
        description: "{{ $value }} block uploads failed in 15 minutes; the sidecar retries, but a failing bucket leaves blocks only on the Prometheus volume.",
        runbook: `${check.stores}; the sidecar's log names the failing block and S3 error.`,
      },
    }),
    rule({
      alert: "ThanosCompactorHalted",
      expr: `max by (job) (${M.compactHalted}{job="${job.compactor}"}) == 1`,
      for: "5m",
      labels: { severity: "critical", component: "thanos-compactor" },
      annotations: {
        summary: "The Thanos compactor halted",
        description: "The compactor stopped compacting, downsampling and applying retention (usually overlapping or corrupt blocks); the bucket grows and long-range queries slow down.",
        runbook: `${check.pods}: ${job.compactor} runs but halted; its log names the blocks. ${check.stores}.`,
      },
    }),
    rule({
      alert: "ThanosCompactorNotRunning",
      expr: `absent(up{job="${job.compactor}", ${inNs}} == 1)`,
      for: "15m",
      labels: { severity: "warning", component: "thanos-compactor" },
      annotations: {
        summary: "The Thanos compactor is not running",
        description: "No scrapeable compactor for 15 minutes: no compaction, downsampling or retention in the bucket.",
        runbook: `${check.pods}: look for ${job.compactor}; ${check.targets}.`,
      },
    }),
    rule({
      alert: "ThanosStoreGatewayErrors",
      expr:
        `sum by (job) (rate(${M.grpcHandled}{job="${job.storegateway}", grpc_code=~"${GRPC_SERVER_ERRORS}"}[5m]))` +
        ` / sum by (job) (rate(${M.grpcStarted}{job="${job.storegateway}"}[5m])) > 0.05`,
      for: "5m",
      labels: { severity: "warning", component: "thanos-storegateway" },
      annotations: {
        summary: "The Thanos store gateway fails {{ $value | humanizePercentage }} of its requests",
        description: "Queries for data older than Prometheus' local retention return errors or partial results.",
        runbook: `${check.stores}: the store gateway must be up; its log shows the failing bucket reads.`,
      },
    }),
    rule({
      alert: "ThanosQueryEndpointMissing",
      // One branch per endpoint type Query must reach; a missing type yields a 0 labelled with it.
      expr: (["sidecar", "store"] as const)
        .map(
          (t) =>
            `(sum by (store_type) (${M.storeConnections}{job="${job.query}", store_type="${t}"}) or label_replace(vector(0), "store_type", "${t}", "", "")) < 1`,
        )
        .join(" or "),
      for: "10m",
      labels: { severity: "critical", component: "thanos-query" },
      annotations: {
        summary: "Thanos Query has no {{ $labels.store_type }} endpoint",
        description:
          "Thanos Query reaches no {{ $labels.store_type }}: without the sidecar Grafana's default datasource has no recent metrics, without the store gateway none older than Prometheus' local retention.",
        runbook: `${check.stores}: every store is listed and up.`,
      },
    }),
  ];

  const lokiRules: AlertRule[] = [
    rule({
      alert: "LokiDiscardingLogs",
      expr: `sum by (reason) (rate(${M.lokiDiscarded}{${inNs}}[5m])) > 0`,
      for: "10m",
      labels: { severity: "warning", component: "loki" },
      annotations: {
        summary: "Loki discards pushed log lines ({{ $labels.reason }})",
        description: "Loki refused {{ $value | humanize }} lines/s for 10 minutes (limits, too old, too long lines); the clients drop them.",
        runbook: `${check.lokiReady}; the reason label names the limit.`,
      },
    }),
    rule({
      alert: "LokiChunkFlushFailures",
      expr: `sum(rate(${M.lokiFlushFailures}{${inNs}}[5m])) > 0`,
      for: "10m",
      labels: { severity: "critical", component: "loki" },
      annotations: {
        summary: "Loki cannot flush chunks to the object store",
        description: "Chunks pile up in memory and the WAL; they are lost if the WAL volume fills or is lost.",
        runbook: `${check.lokiReady}; Loki's log names the S3 error.`,
      },
    }),
    rule({
      alert: "LokiRequestErrors",
      expr:
        `sum by (route) (rate(${M.lokiRequests}{${inNs}, status_code=~"5.."}[5m]))` +
        ` / sum by (route) (rate(${M.lokiRequests}{${inNs}}[5m])) > 0.05`,
      for: "10m",
      labels: { severity: "warning", component: "loki" },
      annotations: {
        summary: "Loki fails {{ $value | humanizePercentage }} of requests on {{ $labels.route }}",
        description: "Pushes or queries on this route return 5xx.",
        runbook: `${check.lokiReady}.`,
      },
    }),
  ];

  const tempoRules: AlertRule[] = [
    rule({
      alert: "TempoDiscardingSpans",
      expr: `sum by (reason) (rate(${M.tempoDiscarded}{${inNs}}[5m])) > 0`,
      for: "10m",
      labels: { severity: "warning", component: "tempo" },
      annotations: {
        summary: "Tempo discards received spans ({{ $labels.reason }})",
        description: "Tempo refused {{ $value | humanize }} spans/s for 10 minutes; those traces are incomplete.",
        runbook: `${check.tempoReady}; the reason label names the limit.`,
      },
    }),
    rule({
      alert: "TempoFlushFailures",
      expr: `sum(increase(${M.tempoFailedFlushes}{${inNs}}[15m])) > 0`,
      labels: { severity: "critical", component: "tempo" },
      annotations: {
        summary: "Tempo cannot flush trace blocks to the object store",
        description: "{{ $value }} flushes failed in 15 minutes; blocks stay in the WAL until the bucket accepts them.",
        runbook: `${check.tempoReady}; Tempo's log names the S3 error.`,
      },
    }),
  ];

  const on = stack.components;
  const hops = pipelineHops(stack);
  const when = (cond: boolean, r: AlertRule): AlertRule[] => (cond ? [r] : []);
  const alloyRules: AlertRule[] = [
    ...when(hops.lokiWrite, {
      alert: "AlloyLokiWriteDropping",
      expr: `sum by (instance, job) (rate(${M.alloyLokiDropped}[5m])) > 0`,
      labels: { severity: "warning", component: "alloy" },
      annotations: {
        summary: "Alloy on {{ $labels.instance }} drops log lines bound for Loki",
        description: "loki.write gave up on {{ $value | humanize }} lines/s (refused or retries exhausted).",
        runbook: `${check.targets} (the alloy targets), then ${check.lokiReady}.`,
      },
    }),
    ...when(hops.dockerMetrics, {
      alert: "AlloyRemoteWriteFailing",
      expr: `sum by (instance, job) (rate(${M.alloyRemoteWriteFailed}[5m])) > 0`,
      for: "5m",
      labels: { severity: "warning", component: "alloy" },
      annotations: {
        summary: "Alloy on {{ $labels.instance }} fails to remote-write samples",
        description: "prometheus.remote_write fails {{ $value | humanize }} samples/s; Docker-host metrics wait in Alloy's WAL (and are lost after the backfill window).",
        runbook: `${check.targets}; then the write endpoint (the seed's remote-write curl check).`,
      },
    }),
    ...when(hops.otlpExport, {
      alert: "AlloyOTLPExportFailing",
      expr: `sum by (instance, job) (rate(${M.alloySpansFailed}[5m])) > 0`,
      for: "5m",
      labels: { severity: "warning", component: "alloy" },
      annotations: {
        summary: "Alloy on {{ $labels.instance }} fails to export spans to Tempo",
        description: "otelcol.exporter.otlp fails {{ $value | humanize }} spans/s.",
        runbook: `${check.tempoReady}.`,
      },
    }),
  ];

  const prometheusRules: AlertRule[] = [
    ...when(hops.remoteWriteReceiver, {
      alert: "PrometheusRemoteWriteReceiverErrors",
      expr: `sum by (code) (rate(${M.prometheusHttpRequests}{${inNs}, handler="${PROMETHEUS_REMOTE_WRITE_PATH}", code=~"5..|400"}[5m])) > 0`,
      for: "10m",
      labels: { severity: "warning", component: "prometheus" },
      annotations: {
        summary: "Prometheus' remote-write receiver answers {{ $labels.code }}",
        description: `${hops.dockerMetrics ? "Docker hosts' pushes" : "Remote writes"} fail; 400 means samples older than the out-of-order window (or malformed), which the sender drops.`,
        runbook: `${check.targets}; the seed's remote-write check (curl -u alloy:<password> -X POST .../api/v1/write answers 400, not 5xx).`,
      },
    }),
    ...when(hops.dockerMetrics, {
      alert: "DockerHostStoppedSending",
      expr:
        `group by (instance) (present_over_time(up{${docker}, job="${NODE_EXPORTER_JOB}"}[${DOCKER_HOST_MEMORY}]))` +
        ` unless on (instance) group by (instance) (up{${docker}, job="${NODE_EXPORTER_JOB}"})`,
      for: DOCKER_HOST_SILENCE,
      labels: { severity: "warning", component: "docker-host" },
      annotations: {
        summary: "Docker host {{ $labels.instance }} stopped sending metrics",
        description: `The host sent metrics in the last ${DOCKER_HOST_MEMORY} but none for ${DOCKER_HOST_SILENCE}: its Alloy is down, cut off, or refused (check the container's log: an encrypted .sops.env makes it refuse to start). Samples come back if it returns within stack.retention.remoteWriteBackfill (${stack.retention.remoteWriteBackfill}).`,
        runbook: `${check.targets} lists only in-cluster targets: run docker logs alloy on the host, then the seed's remote-write curl check from it.`,
      },
    }),
  ];

  const storageRules: AlertRule[] = [
    ...([
      ["thanos-sidecar", `sum by (job) (rate(${M.objstoreFailures}{job="${job.sidecar}"}[5m]))`],
      ["thanos-compactor", `sum by (job) (rate(${M.objstoreFailures}{job="${job.compactor}"}[5m]))`],
      ["thanos-storegateway", `sum by (job) (rate(${M.objstoreFailures}{job="${job.storegateway}"}[5m]))`],
      ["loki", `sum by (operation) (rate(${M.lokiS3Requests}{${inNs}, status_code=~"5.."}[5m]))`],
      ["tempo", `sum by (operation) (rate(${M.tempoBackendRequests}{${inNs}, status_code=~"5.."}[5m]))`],
    ] as const).filter(([component]) => (component === "loki" || component === "tempo" ? on[component] : on.thanos)).map(([component, failures]) =>
      rule({
        alert: "ObjectStorageErrors",
        expr: `${failures} > 0`,
        for: "10m",
        labels: { severity: "warning", component },
        annotations: {
          summary: `${component} gets errors from the object store`,
          description: `${component}'s requests to ${stack.objectStore.endpoint} fail ({{ $value | humanize }}/s for 10 minutes).`,
          runbook: component.startsWith("thanos")
            ? `${check.stores}; the component's log names the S3 error.`
            : `${component === "loki" ? check.lokiReady : check.tempoReady}; its log names the S3 error.`,
        },
      }),
    ),
    rule({
      alert: "StackVolumeFillingUp",
      expr:
        `1 - ${M.volumeAvailable}{${inNs}} / ${M.volumeCapacity}{${inNs}} > ${PVC_WARN_USED_RATIO}`,
      for: "15m",
      labels: { severity: "warning", component: "storage" },
      annotations: {
        summary: "Volume {{ $labels.persistentvolumeclaim }} is {{ $value | humanizePercentage }} full",
        description: "A PVC of the observability stack (Prometheus TSDB, WALs, compactor scratch, Grafana) passed 80% use.",
        runbook: `${check.pods}; then the pod that mounts the claim.`,
      },
    }),
  ];

  // Only the rules of components that are on (`stack.components`); a group left empty is dropped.
  const groups: AlertGroup[] = [
    { name: "pipeline-thanos", rules: on.thanos ? thanosRules : [] },
    { name: "pipeline-loki", rules: on.loki ? lokiRules : [] },
    { name: "pipeline-tempo", rules: on.tempo ? tempoRules : [] },
    { name: "pipeline-alloy", rules: alloyRules },
    { name: "pipeline-prometheus", rules: prometheusRules },
    { name: "pipeline-storage", rules: storageRules },
  ];
  return groups.filter((g) => g.rules.length > 0);
}

/** Labels of the pipeline's own objects (rule and dashboard). */
export function pipelineLabels(stack: Stack): Record<string, string> {
  return {
    "app.kubernetes.io/name": PIPELINE_RULE_NAME,
    "app.kubernetes.io/component": "self-monitoring",
    [MANAGED_BY_LABEL]: MANAGED_BY,
    [PART_OF_LABEL]: `${stack.namespace}-stack`,
  };
}

/** Name of the PrometheusRule object. */
export const PIPELINE_RULE_NAME = "observability-pipeline";

/**
 * The pipeline rules as a PrometheusRule in the stack namespace (the stack's Prometheus selects every rule),
 * validated against the operator's schema.
 */
export function pipelinePrometheusRule(stack: Stack): K8sObject {
  const spec: IPrometheusRule["spec"] = { groups: pipelineAlertGroups(stack) };
  const rule = new PrometheusRule({
    metadata: { name: PIPELINE_RULE_NAME, namespace: stack.namespace, labels: pipelineLabels(stack) },
    spec,
  });
  rule.validate();
  return rule.toJSON() as K8sObject;
}
