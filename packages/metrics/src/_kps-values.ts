import type { KubePrometheusStackValues } from "@o11y-gitops/chart-values/kube-prometheus-stack";
import { INGRESS_NGINX_PREFIX, type Stack } from "@o11y-gitops/core";
import { CLUSTER_LABEL, DATASOURCE_UID, EXEMPLAR_TRACE_ID_LABEL, PROMETHEUS_REPLICA_LABEL } from "./_constants.js";
import { grafanaDatasources } from "./grafana-datasources.js";
import { pipelineHops } from "./_selection.js";
import { GRAFANA_DASHBOARD_LABEL } from "./pipeline-dashboard.js";

type PrometheusSpecValues = NonNullable<NonNullable<KubePrometheusStackValues["prometheus"]>["prometheusSpec"]>;
type AlertmanagerSpecValues = NonNullable<NonNullable<KubePrometheusStackValues["alertmanager"]>["alertmanagerSpec"]>;

/**
 * Sidecar flags out-of-order ingestion needs. Prometheus writes out-of-order samples as extra 2h blocks
 * that overlap the regular ones and merges overlapping blocks by itself (vertical compaction, level 2),
 * often before the sidecar's next 30s sync: the shipper skips compacted blocks unless
 * `--shipper.upload-compacted`, and refuses a compacted block that overlaps one already in the bucket
 * (stopping that sync) unless `--shipper.allow-out-of-order-uploads`. The overlaps are then merged in the
 * bucket by the compactor's vertical compaction (`THANOS_COMPACTOR_FLAGS`).
 */
export const OUT_OF_ORDER_SIDECAR_ARGS = ["shipper.upload-compacted", "shipper.allow-out-of-order-uploads"] as const;

/** A ReadWriteOnce claim template of `size` on the stack's StorageClass (the operator's StorageSpec). */
function claim(stack: Stack, size: string): NonNullable<PrometheusSpecValues["storageSpec"]> & NonNullable<AlertmanagerSpecValues["storage"]> {
  return {
    volumeClaimTemplate: {
      spec: {
        storageClassName: stack.storageClass,
        accessModes: ["ReadWriteOnce"],
        resources: { requests: { storage: size } },
      },
    },
  };
}

/** Public hostname `<hosts.grafana>.<domain>`. */
function grafanaHost(stack: Stack): string {
  return `${stack.hosts.grafana}.${stack.domain}`;
}

/** kube-prometheus-stack values without the invariant check (checkMetrics inspects these). */
export function buildKubePrometheusStackValues(stack: Stack): KubePrometheusStackValues {
  const objstore = stack.secrets.thanosObjstore;
  const admin = stack.secrets.grafanaAdmin;
  const host = grafanaHost(stack);
  const on = stack.components;
  return {
    crds: { enabled: true },
    prometheusOperator: {
      enabled: true,
      admissionWebhooks: {
        enabled: true,
        // Under ArgoCD the webhook CA is patched in by the PostSync job; with `Fail` the first sync's
        // PrometheusRules are rejected before that job can run, so the sync never completes. Rules are
        // still validated once the webhook is up.
        failurePolicy: "Ignore",
      },
    },
    alertmanager: {
      enabled: true,
      alertmanagerSpec: { storage: claim(stack, stack.volumes.alertmanager) },
    },
    kubeStateMetrics: { enabled: true },
    nodeExporter: { enabled: true },
    prometheus: {
      enabled: true,
      // Headless `<fullname>-thanos-discovery` (gRPC 10901) that Thanos Query discovers the sidecar through.
      ...(on.thanos ? { thanosService: { enabled: true }, thanosServiceMonitor: { enabled: true } } : {}),
      prometheusSpec: {
        scrapeInterval: stack.scrapeInterval,
        retention: stack.retention.prometheusLocal,
        storageSpec: claim(stack, stack.volumes.prometheus),
        // Docker hosts push through the authenticated write Ingress (`--web.enable-remote-write-receiver`).
        // Also Tempo's metrics generator; off when nothing writes.
        enableRemoteWriteReceiver: pipelineHops(stack).remoteWriteReceiver,
        // A Docker host cut off for a while sends its backlog when it reconnects; without a window, samples
        // older than the head block (about 1h) are refused with a non-retryable 400 and dropped.
        tsdb: { outOfOrderTimeWindow: stack.retention.remoteWriteBackfill },
        // Exemplars (trace ids on samples) for Grafana's exemplar → trace links.
        enableFeatures: ["exemplar-storage"],
        externalLabels: { [CLUSTER_LABEL]: stack.cluster },
        replicaExternalLabelName: PROMETHEUS_REPLICA_LABEL,
        // Select ServiceMonitors, PodMonitors, rules, probes and ScrapeConfigs of every release, not
        // only those labelled `release: <this release>` (namespace selectors stay `{}` = all namespaces).
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        ruleSelectorNilUsesHelmValues: false,
        probeSelectorNilUsesHelmValues: false,
        scrapeConfigSelectorNilUsesHelmValues: false,
        // The sidecar uploads every completed 2h block to the bucket named in this Secret (no sidecar
        // without Thanos).
        ...(on.thanos
          ? {
              thanos: {
                objectStorageConfig: { existingSecret: { name: objstore.name, key: objstore.key } },
                additionalArgs: OUT_OF_ORDER_SIDECAR_ARGS.map((name) => ({ name })),
              },
            }
          : {}),
      },
    },
    grafana: {
      enabled: true,
      admin: { existingSecret: admin.name, userKey: admin.userKey, passwordKey: admin.passwordKey },
      persistence: {
        enabled: true,
        type: "pvc",
        storageClassName: stack.storageClass,
        accessModes: ["ReadWriteOnce"],
        size: stack.volumes.grafana,
      },
      // A ReadWriteOnce volume cannot be mounted by the new pod while the old one runs.
      deploymentStrategy: { type: "Recreate" },
      ingress: {
        enabled: true,
        ingressClassName: stack.ingressClassName,
        hosts: [host],
        path: "/",
        // No `tls`: ingress-nginx serves the wildcard default certificate. Without a tls section the
        // controller does not redirect HTTP to HTTPS on its own, so the login would be accepted over plain
        // HTTP: force the redirect, as on the write endpoints.
        annotations: { [`${INGRESS_NGINX_PREFIX}force-ssl-redirect`]: "true" },
      },
      "grafana.ini": { server: { root_url: `https://${host}` } },
      sidecar: {
        // Loads every ConfigMap with this label, in all namespaces (the chart's searchNamespace: ALL), such
        // as the pipeline dashboard.
        dashboards: { enabled: true, label: GRAFANA_DASHBOARD_LABEL.name, labelValue: GRAFANA_DASHBOARD_LABEL.value },
        datasources: {
          // kube-prometheus-stack's own datasource for the local Prometheus stays (uid `prometheus`) but
          // is not the default: Thanos is. Two defaults make Grafana refuse the provisioning file.
          defaultDatasourceEnabled: true,
          // Without Thanos it is the default.
          isDefaultDatasource: !on.thanos,
          uid: DATASOURCE_UID.prometheus,
          ...(on.tempo
            ? {
                exemplarTraceIdDestinations: {
                  datasourceUid: DATASOURCE_UID.tempo,
                  traceIdLabelName: EXEMPLAR_TRACE_ID_LABEL,
                  urlDisplayLabel: "View trace",
                },
              }
            : {}),
        },
      },
      additionalDataSources: grafanaDatasources(stack),
    },
  };
}

