// Labels and paths that data made by other packages must carry to meet this package's rules, dashboards and
// endpoints (the Docker-host Alloy's series, the write-endpoint Ingress). Public: the one owner of each.

/**
 * The `job` label kube-prometheus-stack's node-exporter rules and dashboards select (`job="node-exporter"`,
 * the chart's `prometheus-node-exporter.podLabels.jobLabel`). Docker-host node_exporter series carry it too,
 * so the same alerts and dashboards cover the Docker hosts.
 */
export const NODE_EXPORTER_JOB = "node-exporter";

/** The label every Docker-host series and log stream carries (the design: `source="docker"`). */
export const DOCKER_HOST_SOURCE = { label: "source", value: "docker" } as const;

/** Prometheus' remote-write receiver path (`--web.enable-remote-write-receiver`). */
export const PROMETHEUS_REMOTE_WRITE_PATH = "/api/v1/write";
