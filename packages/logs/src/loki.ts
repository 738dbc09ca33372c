import { S3_CREDENTIAL_ENV, s3CredentialEnv, stackConfigProblems, StackError, type Component, type Stack } from "@o11y-gitops/core";
import type { LokiValues } from "@o11y-gitops/chart-values/loki";
import { LOKI_HTTP_PORT } from "./_chart.js";
import { hoursMinutesSeconds } from "@o11y-gitops/core";
import { checkLoki, lokiRetentionSeconds } from "./check.js";

/**
 * First day of the TSDB/v13 schema period. A period start must lie in the past when Loki first starts and
 * must never move afterwards (Loki reads older data with the period it was written under); a later schema
 * change adds a second period instead. The date Loki's docs and the chart's test schema use.
 */
export const LOKI_SCHEMA_FROM = "2024-04-01";

/** Name of the object store in schema_config and the compactor's delete-request store. */
const OBJECT_STORE = "s3";

/**
 * Memcached sizes for a homelab. The chart defaults reserve 8 GiB (chunks) and 1 GiB (results) plus
 * 500m CPU each; one SingleBinary pod reading a few GB of logs a day needs a fraction of that. Memory is
 * in MB (the chart requests 1.2 × this as the pod's memory).
 */
const CACHE_SIZING = {
  chunks: { allocatedMemory: 512, allocatedCPU: "100m" },
  results: { allocatedMemory: 128, allocatedCPU: "50m" },
} as const;

/**
 * Helm values for the loki chart (6.57.0) in SingleBinary mode: one StatefulSet pod runs every Loki
 * target (ingest, query, compactor, ruler) with its WAL on a PVC, chunks and ruler state in S3.
 *
 * - Multi-tenant (`auth_enabled: true`): clients send the stack's tenant as `X-Scope-OrgID`.
 * - Every scalable/distributed target is scaled to 0 (the chart's validate.yaml refuses single-binary
 *   replicas next to scalable or distributed ones), replication factor 1 (one ingester).
 * - No nginx gateway: the single-binary Service (`loki:3100`) is the push and query address.
 * - S3 endpoint, `insecure`, region, path-style, buckets and the credentials Secret come from the stack;
 *   the credentials are env vars from the Secret, referenced as `${AWS_…}` in the rendered config.
 * - TSDB v13 schema with a 24h index period; retention enforced by the compactor
 *   (`retention_enabled`, `delete_request_store`) with `limits_config.retention_period`.
 * - A ServiceMonitor for Loki's own metrics (scraped every `stack.scrapeInterval`).
 * - Canary and Helm test off (the canary is a DaemonSet on every node; the test needs the canary),
 *   rules sidecar off (rules live in the ruler bucket), memcached caches shrunk to homelab sizes.
 *
 * Throws a StackError listing every problem {@link checkLoki} and core's `stackConfigProblems` find.
 */
export function lokiValues(stack: Stack): LokiValues {
  const retention = lokiRetentionSeconds(stack);
  const problems = [...checkLoki(stack), ...stackConfigProblems(stack)];
  if (typeof retention !== "number" || problems.length > 0) throw new StackError(problems);
  const store = stack.objectStore;
  const scheme = store.insecure ? "http" : "https";

  return {
    deploymentMode: "SingleBinary",
    loki: {
      auth_enabled: true,
      server: { http_listen_port: LOKI_HTTP_PORT },
      commonConfig: { replication_factor: 1 },
      schemaConfig: {
        configs: [
          {
            from: LOKI_SCHEMA_FROM,
            store: "tsdb",
            object_store: OBJECT_STORE,
            schema: "v13",
            index: { prefix: "loki_index_", period: "24h" },
          },
        ],
      },
      storage: {
        type: OBJECT_STORE,
        bucketNames: { chunks: store.buckets.lokiChunks, ruler: store.buckets.lokiRuler },
        s3: {
          endpoint: `${scheme}://${store.endpoint}`,
          region: store.region,
          accessKeyId: `\${${S3_CREDENTIAL_ENV.accessKeyId}}`,
          secretAccessKey: `\${${S3_CREDENTIAL_ENV.secretAccessKey}}`,
          s3ForcePathStyle: store.forcePathStyle,
          insecure: store.insecure,
        },
      },
      limits_config: { retention_period: hoursMinutesSeconds(retention) },
      compactor: { retention_enabled: true, delete_request_store: OBJECT_STORE },
    },
    singleBinary: {
      replicas: 1,
      extraArgs: ["-config.expand-env=true"],
      extraEnv: s3CredentialEnv(stack),
      persistence: { enabled: true, size: stack.volumes.lokiWal, storageClass: stack.storageClass },
    },
    // Simple-scalable targets default to 3 replicas each; distributed ones default to 0 but are pinned
    // here too, so a chart default change cannot trip validate.yaml's mixed-mode checks.
    backend: { replicas: 0 },
    read: { replicas: 0 },
    write: { replicas: 0 },
    ingester: { replicas: 0 },
    distributor: { replicas: 0 },
    querier: { replicas: 0 },
    queryFrontend: { replicas: 0 },
    queryScheduler: { replicas: 0 },
    indexGateway: { replicas: 0 },
    compactor: { replicas: 0 },
    // The ruler runs inside the single binary (no ruler pods) and keeps its rules in the ruler bucket;
    // `enabled` is what puts the ruler block (with that bucket) into Loki's config.
    ruler: { enabled: true, replicas: 0 },
    bloomGateway: { replicas: 0 },
    bloomPlanner: { replicas: 0 },
    bloomBuilder: { replicas: 0 },
    patternIngester: { replicas: 0 },
    overridesExporter: { replicas: 0 },
    gateway: { enabled: false },
    lokiCanary: { enabled: false },
    test: { enabled: false },
    sidecar: { rules: { enabled: false } },
    // Prometheus scrapes Loki's own metrics for the pipeline alerts. The chart's MetricsInstance (a Grafana
    // Agent operator object) renders only where the cluster serves monitoring.grafana.com/v1alpha1, which
    // this stack's cluster does not (pnpm template's dead-value check: setting it off changes nothing).
    // The chart's ServiceMonitor sets `cluster` on Loki's series to this (default: the release name).
    clusterLabelOverride: stack.cluster,
    monitoring: {
      serviceMonitor: { enabled: true, interval: stack.scrapeInterval },
    },
    chunksCache: { ...CACHE_SIZING.chunks },
    resultsCache: { ...CACHE_SIZING.results },
  };
}

/**
 * The `loki` component: chart `loki`, release `stack.releases.loki`, after kube-prometheus-stack
 * (sync wave 2). No extra sync options: the chart ships no CRDs and no objects too large for
 * client-side apply.
 */
export function lokiComponent(stack: Stack): Component<LokiValues> {
  return {
    name: "loki",
    chart: "loki",
    release: stack.releases.loki,
    dependsOn: ["kube-prometheus-stack"],
    values: lokiValues(stack),
    manifests: [],
  };
}
