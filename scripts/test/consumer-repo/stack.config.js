// @ts-check
/**
 * Another homelab's stack, as a consumer repo writes it: plain JavaScript that node runs as is, typed by
 * the JSDoc annotation (tsc checks it with checkJs against the packages' .d.ts). Every value differs from
 * the workspace's stack.config.ts where a value can differ.
 */

/** @type {import("@o11y-gitops/core").Stack} */
export const stack = {
  cluster: "edge-lab",
  namespace: "observability",
  podSecurity: { enforce: "privileged", warn: "restricted" },
  domain: "edge.example.org",
  hosts: { grafana: "dash", prometheusWrite: "metrics-in", lokiPush: "logs-in" },
  ingressClassName: "nginx",
  storageClass: "local-path",
  lokiTenant: "edgeops",
  scrapeInterval: "60s",
  retention: {
    prometheusLocal: "1d",
    metricsRaw: "3d",
    metrics5m: "14d",
    metrics1h: "90d",
    logs: "14d",
    traces: "3d",
    remoteWriteBackfill: "4h",
  },
  volumes: {
    prometheus: "8Gi",
    alertmanager: "512Mi",
    thanosStoreGateway: "4Gi",
    thanosCompactor: "6Gi",
    lokiWal: "4Gi",
    tempoWal: "4Gi",
    grafana: "1Gi",
  },
  objectStore: {
    endpoint: "minio.edge.example.org:9000",
    insecure: false,
    region: "eu-west-1",
    forcePathStyle: true,
    buckets: { thanos: "edge-metrics", lokiChunks: "edge-log-chunks", lokiRuler: "edge-log-rules", tempo: "edge-traces" },
  },
  secrets: {
    s3Credentials: {
      name: "minio-credentials",
      accessKeyIdKey: "access-key",
      secretAccessKeyKey: "secret-key",
    },
    thanosObjstore: { name: "thanos-bucket-config", key: "objstore.yml" },
    basicAuth: { name: "edge-write-auth", key: "auth", user: "shipper" },
    grafanaAdmin: {
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
  dockerAlloyPath: "komodo/stacks/alloy",
  components: {
    thanos: true,
    loki: true,
    tempo: true,
    k8sCollectors: true,
    dockerHosts: true,
    writeEndpoints: { prometheus: true, loki: true },
    infraMonitoring: { ingressNginx: true, metallb: true, rookCeph: true, rookCephCluster: true, certManager: true, lokiTenantPinning: true },
  },
  gitops: {
    repoURL: "https://git.example.org/edge/cluster-config.git",
    revision: "production",
    argocdNamespace: "argocd",
    argocdProject: "observability",
    rootPath: "deploy",
    repoDir: "",
    fluxNamespace: "flux-system",
    fluxSource: "flux-system",
    sopsAgeSecret: "sops-age",
    sopsAgeRecipients: ["age1zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"],
  },
};
