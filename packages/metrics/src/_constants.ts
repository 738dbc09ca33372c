// Fixed facts of the pinned charts and of Thanos/Prometheus that several values in this package share.
// They are not homelab choices (those live in the Stack); naming them once keeps every use in step.

/**
 * The external label the Prometheus operator puts on each replica (`replicaExternalLabelName`, default
 * `prometheus_replica`); Thanos Query deduplicates along it (`--query.replica-label`).
 */
export const PROMETHEUS_REPLICA_LABEL = "prometheus_replica";

/** The external label naming the cluster, so series from several clusters stay apart in Thanos. */
export const CLUSTER_LABEL = "cluster";

/** Thanos StoreAPI gRPC port on the sidecar (kps `thanosService.port`) and on every Thanos component. */
export const THANOS_GRPC_PORT = 10901;

/** HTTP ports of the Services the charts create (their chart defaults, which we do not change). */
export const PORTS = {
  prometheus: 9090,
  alertmanager: 9093,
  grafana: 80,
  thanosQuery: 9090,
  thanosQueryFrontend: 9090,
} as const;

/** Prometheus TSDB head block period: the sidecar uploads blocks once they are complete (2h). */
export const BLOCK_PERIOD_HOURS = 2;

/** Thanos compactor: raw retention must be at least this while downsampling is on (5m blocks start at 40h). */
export const MIN_RAW_RETENTION_HOURS = 40;

/** Thanos compactor: 5m retention must be at least this while downsampling is on (1h blocks start at 10d). */
export const MIN_5M_RETENTION_HOURS = 240;

/**
 * Downsampling stays on (the compactor's default; we never pass `--downsampling.disable`). The
 * retention minimums above apply because of it.
 */
export const DOWNSAMPLING_ENABLED = true;

/** Grafana datasource UIDs; the cross-links between datasources refer to these. */
export const DATASOURCE_UID = {
  /** kube-prometheus-stack's own datasource for the local Prometheus (`sidecar.datasources.uid`). */
  prometheus: "prometheus",
  thanos: "thanos",
  loki: "loki",
  tempo: "tempo",
} as const;

/** The exemplar label OpenTelemetry SDKs put the trace id in. */
export const EXEMPLAR_TRACE_ID_LABEL = "trace_id";

/** The tenant header Loki reads when `auth_enabled: true`. */
export const LOKI_TENANT_HEADER = "X-Scope-OrgID";
