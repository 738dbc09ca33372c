import type { ThanosValues } from "@o11y-gitops/chart-values/thanos";
import type { Stack } from "@o11y-gitops/core";
import { PROMETHEUS_REPLICA_LABEL } from "./_constants.js";
import { metricsEndpoints } from "./endpoints.js";

/** The file name every Thanos component reads its objstore config from (`--objstore.config-file`). */
const OBJSTORE_FILE = "objstore.yml";

/**
 * Bitnami presets default every component to `nano` (≈192Mi memory limit), which the compactor and
 * store gateway outgrow on real blocks; leave requests/limits unset instead.
 */
const NO_PRESET = "none";

/**
 * Compactor flags: vertical compaction merges the overlapping blocks that Prometheus' out-of-order window
 * (`stack.retention.remoteWriteBackfill`) produces; without it the compactor halts on the first overlap
 * ("overlaps found while gathering blocks"). Series with identical labels are merged, samples with equal
 * timestamps deduplicated.
 */
export const THANOS_COMPACTOR_FLAGS = ["--compact.enable-vertical-compaction"] as const;

/** Thanos values without the invariant check (checkMetrics inspects these). */
export function buildThanosValues(stack: Stack): ThanosValues {
  const objstore = stack.secrets.thanosObjstore;
  const sidecar = metricsEndpoints(stack).thanosSidecar;
  const volume = (size: string) => ({ enabled: true, storageClass: stack.storageClass, accessModes: ["ReadWriteOnce"], size });
  return {
    global: {
      // Bitnami's chart refuses images other than its own defaults unless this is set; the defaults
      // (docker.io/bitnami/*) are gone since the Aug-2025 catalog change.
      security: { allowInsecureImages: true },
    },
    image: { registry: stack.thanosImage.registry, repository: stack.thanosImage.repository, tag: stack.thanosImage.tag },
    // The only other Bitnami image the chart uses (os-shell) belongs to this init container: keep it off.
    volumePermissions: { enabled: false },
    existingObjstoreSecret: objstore.name,
    existingObjstoreSecretItems: [{ key: objstore.key, path: OBJSTORE_FILE }],
    query: {
      enabled: true,
      resourcesPreset: NO_PRESET,
      // The Prometheus operator labels each replica's blocks and series with this external label.
      replicaLabel: [PROMETHEUS_REPLICA_LABEL],
      // `--endpoint=dnssrv+_grpc._tcp.<sidecar svc>.<ns>.svc...` for recent data, and (because the store
      // gateway is on) `dnssrv+_grpc._tcp.<release>-storegateway...` for blocks in the bucket.
      dnsDiscovery: { enabled: true, sidecarsService: sidecar.service, sidecarsNamespace: sidecar.namespace },
    },
    queryFrontend: { enabled: true, resourcesPreset: NO_PRESET },
    storegateway: {
      enabled: true,
      resourcesPreset: NO_PRESET,
      persistence: volume(stack.volumes.thanosStoreGateway),
    },
    compactor: {
      enabled: true,
      resourcesPreset: NO_PRESET,
      // Downsampling stays on (the compactor default); see checkMetrics for the retention minimums.
      retentionResolutionRaw: stack.retention.metricsRaw,
      retentionResolution5m: stack.retention.metrics5m,
      retentionResolution1h: stack.retention.metrics1h,
      persistence: volume(stack.volumes.thanosCompactor),
      extraFlags: [...THANOS_COMPACTOR_FLAGS],
    },
    bucketweb: { enabled: false },
    ruler: { enabled: false },
    receive: { enabled: false },
    metrics: { enabled: true, serviceMonitor: { enabled: true } },
  };
}

