/**
 * The stack configuration: every value that appears in more than one place in the rendered tree is
 * written here once and derived everywhere else. A homelab repo writes one `Stack` (see the repo's
 * `stack.config.ts`) and hands it to the builders.
 */

/** A duration in Prometheus/Thanos/Loki notation: an integer and one unit, e.g. `7d`, `40h`, `30m`. */
export type Duration = `${number}${"s" | "m" | "h" | "d" | "w" | "y"}`;

/** A Kubernetes quantity for a volume size, e.g. `10Gi`. */
export type Quantity = `${number}${"Ki" | "Mi" | "Gi" | "Ti"}`;

/** An S3-compatible object store reached by every long-term storage consumer. */
export interface ObjectStore {
  /** Host and port without scheme, e.g. `seaweedfs.example.com:8333`. */
  endpoint: string;
  /**
   * Plain HTTP when true (`insecure: true` in Thanos/Tempo, `http://` for Loki). Reported as a warning by
   * `generate` until the object store serves TLS.
   * @default false
   */
  insecure: boolean;
  /** S3 region string handed to the SDKs. @default "us-east-1" */
  region: string;
  /** Path-style addressing (`http://host/bucket`), required by SeaweedFS and MinIO. @default true */
  forcePathStyle: boolean;
  /** Bucket names, one per consumer. */
  buckets: {
    thanos: string;
    lokiChunks: string;
    lokiRuler: string;
    tempo: string;
  };
}

/** A Secret the generator owns the shape of (name, namespace, keys), never the values. */
export interface SecretRef {
  name: string;
  /** The keys the consumers read. */
  keys: readonly string[];
}

export interface Retention {
  /** Prometheus local TSDB retention. Must be ≥ 2 × the 2h block period. */
  prometheusLocal: Duration;
  /** Thanos compactor raw-resolution retention (≥ 40h when downsampling is on). */
  metricsRaw: Duration;
  /** Thanos compactor 5m-resolution retention (≥ 10d when downsampling is on). */
  metrics5m: Duration;
  /** Thanos compactor 1h-resolution retention. */
  metrics1h: Duration;
  /** Loki retention, enforced by the compactor. */
  logs: Duration;
  /** Tempo block retention. */
  traces: Duration;
}

export interface Volumes {
  prometheus: Quantity;
  alertmanager: Quantity;
  thanosStoreGateway: Quantity;
  thanosCompactor: Quantity;
  lokiWal: Quantity;
  tempoWal: Quantity;
  grafana: Quantity;
}

export type PodSecurityLevel = "privileged" | "baseline" | "restricted";

/** Container image override for the Bitnami Thanos chart (Bitnami's Aug-2025 catalog change). */
export interface ImageRef {
  registry: string;
  repository: string;
  tag: string;
}

export interface Stack {
  /** Cluster name, used in external labels and the ArgoCD app-of-apps name. */
  cluster: string;
  /** Namespace every component is installed into. @default "monitoring" */
  namespace: string;
  /**
   * Pod Security Admission levels for the namespace. node-exporter needs hostNetwork/hostPID/hostPath,
   * so `enforce` is `privileged`; `warn` (and audit) stay stricter so other pods still get flagged.
   */
  podSecurity: { enforce: PodSecurityLevel; warn: PodSecurityLevel };
  /** Base DNS domain; hostnames are derived as `<name>.<domain>`. */
  domain: string;
  /** Host names (first label) under `domain`. */
  hosts: { grafana: string; prometheusWrite: string; lokiPush: string };
  /**
   * IngressClass every Ingress of the stack names (Grafana's, the write endpoints'); the wildcard
   * certificate is ingress-nginx's `default-ssl-certificate`, so Ingresses carry no TLS section.
   * @default "nginx"
   */
  ingressClassName: string;
  /** StorageClass for every PVC. */
  storageClass: string;
  /** Loki tenant id: `auth_enabled` on Loki, Alloy's `tenant_id`, Grafana's `X-Scope-OrgID`. */
  lokiTenant: string;
  /** Prometheus scrape interval. */
  scrapeInterval: Duration;
  retention: Retention;
  volumes: Volumes;
  objectStore: ObjectStore;
  /** Secrets the stack reads; rendered as value-free skeletons for SOPS. */
  secrets: {
    /** S3 credentials as environment variables for Loki and Tempo. */
    s3Credentials: SecretRef & { accessKeyIdKey: string; secretAccessKeyKey: string };
    /** Thanos objstore config (`objstore.yml`) for the sidecar and all Thanos components. */
    thanosObjstore: SecretRef & { key: string };
    /** htpasswd for the external write endpoints. */
    basicAuth: SecretRef & { key: string; user: string };
    /**
     * Grafana's admin login (`grafana.admin.existingSecret`). Without it the chart generates a random
     * password on every render, which ArgoCD (no Helm `lookup`) sees as permanent drift and a restart.
     * With it set, the chart creates no Secret of its own, so the chart's name (`<release>-grafana`) is
     * free to use and keeps `kubectl get secret kube-prometheus-stack-grafana` working.
     */
    grafanaAdmin: SecretRef & { userKey: string; passwordKey: string };
  };
  /** Helm release names; service names derive from them. */
  releases: {
    kubePrometheusStack: string;
    thanos: string;
    loki: string;
    tempo: string;
    alloy: string;
  };
  /** Images for the Bitnami thanos chart (docker.io/bitnami tags are gone). */
  thanosImage: ImageRef;
  /** GitOps wiring. */
  gitops: {
    /** Git repository ArgoCD and Flux read. */
    repoURL: string;
    /** Branch or tag. */
    revision: string;
    /** Namespace ArgoCD runs in. @default "argocd" */
    argocdNamespace: string;
    /** ArgoCD project for the Applications. */
    argocdProject: string;
    /** Path of the rendered tree inside the repo. @default "kubernetes" */
    rootPath: string;
    /** Flux namespace. @default "flux-system" */
    fluxNamespace: string;
    /** age recipient(s) SOPS encrypts to (public keys, `age1…`). */
    sopsAgeRecipients: readonly string[];
    /** Flux GitRepository that holds this repo. @default "flux-system" */
    fluxSource: string;
    /** Secret in the Flux namespace holding the age private key (`age.agekey`). @default "sops-age" */
    sopsAgeSecret: string;
  };
  /** Docker hosts running Alloy outside the cluster. */
  dockerHosts: readonly string[];
}
