/**
 * This homelab's observability stack: the values of the Phase 3 design, written once.
 * Everything under kubernetes/ and docker/ is derived from this file by `pnpm generate`.
 */
import { defineStack } from "@o11y-gitops/core";

/**
 * Values the design leaves open use the documented defaults (`STACK_DEFAULTS`: ingress class `nginx`,
 * S3 region `us-east-1` with path-style addressing, ArgoCD in `argocd`, Flux in `flux-system` with the
 * age key in `sops-age`, the tree under `kubernetes/`).
 */
export const stack = defineStack({
  cluster: "minipcs",
  namespace: "monitoring",
  podSecurity: { enforce: "privileged", warn: "baseline" },
  domain: "sharmamohit.com",
  hosts: { grafana: "grafana", prometheusWrite: "prometheus", lokiPush: "loki" },
  storageClass: "ceph-block",
  lokiTenant: "homelab",
  scrapeInterval: "30s",
  retention: {
    prometheusLocal: "3d",
    metricsRaw: "7d",
    metrics5m: "30d",
    metrics1h: "180d",
    logs: "30d",
    traces: "7d",
    remoteWriteBackfill: "8h",
  },
  volumes: {
    prometheus: "20Gi",
    alertmanager: "1Gi",
    thanosStoreGateway: "10Gi",
    thanosCompactor: "10Gi",
    lokiWal: "10Gi",
    tempoWal: "10Gi",
    grafana: "2Gi",
  },
  objectStore: {
    endpoint: "seaweedfs.sharmamohit.com:8333",
    insecure: true,
    buckets: {
      thanos: "thanos-metrics",
      lokiChunks: "loki-chunks",
      lokiRuler: "loki-ruler",
      tempo: "tempo-traces",
    },
  },
  secrets: {
    s3Credentials: {
      name: "seaweedfs-s3-secret",
      accessKeyIdKey: "aws-access-key-id",
      secretAccessKeyKey: "aws-secret-access-key",
    },
    thanosObjstore: { name: "thanos-objstore-secret", key: "objstore.yml" },
    basicAuth: { name: "monitoring-basic-auth", key: "auth", user: "alloy" },
    grafanaAdmin: {
      // The name the seed's runbook reads the admin password from (the chart's own Secret name).
      name: "kube-prometheus-stack-grafana",
      userKey: "admin-user",
      passwordKey: "admin-password",
    },
  },
  releases: {
    kubePrometheusStack: "kube-prometheus-stack",
    thanos: "thanos",
    loki: "loki",
    tempo: "tempo",
    alloy: "alloy",
  },
  thanosImage: { registry: "docker.io", repository: "bitnamilegacy/thanos", tag: "0.39.2-debian-12-r2" },
  gitops: {
    repoURL: "https://github.com/sharmamohit/homelab.git",
    revision: "main",
    argocdProject: "monitoring",
    sopsAgeRecipients: ["age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq"],
  },
});
