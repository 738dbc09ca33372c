// Metric names of the pinned components that the pipeline alerts and dashboard read, written once.
// Verified against the components' sources and mixins: Thanos 0.39 (shipper, compact, objstore, store
// nodes), Loki 3.x (distributor/ingester/S3 client), Tempo 2.10 (distributor/ingester/tempodb backend),
// Alloy 1.18 (loki.write, prometheus.remote_write, otelcol exporters), Prometheus 3 and the kubelet.
export const PIPELINE_METRICS = {
  shipperUploads: "thanos_shipper_uploads_total",
  shipperUploadFailures: "thanos_shipper_upload_failures_total",
  compactHalted: "thanos_compact_halted",
  grpcHandled: "grpc_server_handled_total",
  grpcStarted: "grpc_server_started_total",
  storeConnections: "thanos_store_nodes_grpc_connections",
  objstoreFailures: "thanos_objstore_bucket_operation_failures_total",
  lokiDiscarded: "loki_discarded_samples_total",
  lokiFlushFailures: "loki_ingester_chunks_flush_failures_total",
  lokiRequests: "loki_request_duration_seconds_count",
  lokiS3Requests: "loki_s3_request_duration_seconds_count",
  tempoDiscarded: "tempo_discarded_spans_total",
  tempoFailedFlushes: "tempo_ingester_failed_flushes_total",
  tempoBackendRequests: "tempodb_backend_request_duration_seconds_count",
  alloyLokiSent: "loki_write_sent_entries_total",
  alloyLokiDropped: "loki_write_dropped_entries_total",
  alloyRemoteWriteSent: "prometheus_remote_storage_samples_total",
  alloyRemoteWriteFailed: "prometheus_remote_storage_samples_failed_total",
  alloySpansSent: "otelcol_exporter_sent_spans_total",
  alloySpansFailed: "otelcol_exporter_send_failed_spans_total",
  prometheusHttpRequests: "prometheus_http_requests_total",
  volumeAvailable: "kubelet_volume_stats_available_bytes",
  volumeCapacity: "kubelet_volume_stats_capacity_bytes",
} as const;
