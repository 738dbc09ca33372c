import { assertNoProblems } from "./problems.js";
import { stackInputShapeProblems } from "./stack-shape.js";

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
    /** Thanos blocks (sidecar uploads, store gateway and compactor read). */
    thanos: string;
    /** Loki chunks and index. */
    lokiChunks: string;
    /** Loki ruler storage. */
    lokiRuler: string;
    /** Tempo trace blocks. */
    tempo: string;
  };
}

/**
 * A Secret the generator owns the shape of (name, namespace, keys), never the values. Its keys are the
 * key fields of each secret below; nothing lists them a second time.
 */
export interface SecretRef {
  /** Secret name in the stack namespace (also its file name under `infrastructure/configs/`). */
  name: string;
}

/** How long each signal is kept, as durations (`7d`, `40h`). */
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
  /**
   * How long a Docker host may be cut off from the write endpoint without losing metrics: Prometheus
   * accepts remote-written samples this far behind its newest sample (`tsdb.outOfOrderTimeWindow`), and
   * the hosts' Alloy keeps unsent samples in its WAL this long (`wal.max_keepalive_time`). Between 1h
   * and `prometheusLocal`.
   */
  remoteWriteBackfill: Duration;
}

/** PersistentVolumeClaim sizes (all in `Stack.storageClass`). */
export interface Volumes {
  /** Prometheus TSDB (holds `retention.prometheusLocal` of samples). */
  prometheus: Quantity;
  /** Alertmanager silences and notification log. */
  alertmanager: Quantity;
  /** Thanos store gateway's index cache of the bucket. */
  thanosStoreGateway: Quantity;
  /** Thanos compactor's scratch space for compaction and downsampling. */
  thanosCompactor: Quantity;
  /** Loki's write-ahead log (chunks go to the object store). */
  lokiWal: Quantity;
  /** Tempo's write-ahead log (blocks go to the object store). */
  tempoWal: Quantity;
  /** Grafana's database (dashboards, users). */
  grafana: Quantity;
}

/** A Pod Security Standards level (`pod-security.kubernetes.io/*` namespace labels). */
export type PodSecurityLevel = "privileged" | "baseline" | "restricted";

/** Container image override for the Bitnami Thanos chart (Bitnami's Aug-2025 catalog change). */
export interface ImageRef {
  /** e.g. `docker.io`. */
  registry: string;
  /** e.g. `bitnamilegacy/thanos`. */
  repository: string;
  /** An exact tag, never `latest`. */
  tag: string;
}

/**
 * Which parts of the stack are rendered. kube-prometheus-stack (Prometheus, Grafana, Alertmanager) is
 * always there; every other signal can be switched off, and whatever depends on it follows (Grafana
 * datasources and links, Alloy pipelines, the Thanos sidecar, sync-wave dependencies, AppProject source
 * repositories, Ingresses, Secrets, `.sops.yaml` rules, the pipeline's own alerts and dashboard panels).
 * Contradictions (an endpoint for a component that is off, collectors with nothing to ship) are refused
 * with the config path. Every flag defaults to `true`; leave the whole field out for the full stack.
 */
export interface Components {
  /** Metrics long-term storage: Thanos (query, store gateway, compactor) and the sidecar in Prometheus. Off: Grafana's default datasource is Prometheus itself, and no Thanos bucket or objstore Secret is used. @default true */
  thanos: boolean;
  /** Logs: Loki, its Grafana datasource and links, Alloy's `loki.write` pipelines. @default true */
  loki: boolean;
  /** Traces: Tempo, its Grafana datasource and links, Alloy's OTLP receiver and exporter. @default true */
  tempo: boolean;
  /** Kubernetes collectors: the Alloy DaemonSet (pod logs to Loki, OTLP traces to Tempo). Needs `loki` or `tempo`. @default true */
  k8sCollectors: boolean;
  /** Docker hosts: the Alloy `compose.yaml`, `config.alloy` and seeded `.sops.env` under `dockerAlloyPath`. Needs at least one write endpoint. @default true */
  dockerHosts: boolean;
  /** The external, basic-auth write endpoints (one Ingress each). With both off, no basic-auth Secret is seeded. */
  writeEndpoints: {
    /** Prometheus remote write (`<hosts.prometheusWrite>.<domain>/api/v1/write`). @default true */
    prometheus: boolean;
    /** Loki push (`<hosts.lokiPush>.<domain>/loki/api/v1/push`). Needs `loki`. @default true */
    loki: boolean;
  };
  /** Monitoring values fragments for other releases of the cluster, one file each under `infrastructure/`. */
  infraMonitoring: {
    /** `infrastructure/monitoring/ingress-nginx.yaml`. @default true */
    ingressNginx: boolean;
    /** `infrastructure/monitoring/metallb.yaml`. @default true */
    metallb: boolean;
    /** `infrastructure/monitoring/rook-ceph.yaml` (the operator). @default true */
    rookCeph: boolean;
    /** `infrastructure/monitoring/rook-ceph-cluster.yaml`. @default true */
    rookCephCluster: boolean;
    /** `infrastructure/monitoring/cert-manager.yaml`. @default true */
    certManager: boolean;
    /** The opt-in ingress-nginx values pinning the Loki push endpoint's tenant (`infrastructure/ingress-nginx/`). Needs `writeEndpoints.loki`. @default true */
    lokiTenantPinning: boolean;
  };
}

/** The one config of an observability stack: hand it to `stackInput` (`@o11y-gitops/stack`) to render. */
export interface Stack {
  /** Cluster name, used in external labels and the ArgoCD app-of-apps name. */
  cluster: string;
  /** Namespace every component is installed into. @default "monitoring" */
  namespace: string;
  /**
   * Pod Security Admission levels for the namespace. node-exporter needs hostNetwork/hostPID/hostPath,
   * so `enforce` is `privileged`; `warn` (and audit) stay stricter so other pods still get flagged.
   * @default { enforce: "privileged", warn: "baseline" }
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
  /** Retention per signal and resolution; the invariants between them are checked. */
  retention: Retention;
  /** Volume sizes. */
  volumes: Volumes;
  /** The S3-compatible store for Thanos blocks, Loki chunks and rules, Tempo traces. */
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
  /**
   * Folder (relative to the output root) of the Docker hosts' Alloy files: `compose.yaml`, `config.alloy`
   * and the seeded `.sops.env`.
   * @default "docker/stacks/shared/alloy"
   */
  dockerAlloyPath: string;
  /** Which signals and parts are rendered (see {@link Components}). @default everything on */
  components: Components;
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
    /** Path of the rendered tree below the output root (the folder `generate` writes into). @default "kubernetes" */
    rootPath: string;
    /**
     * Where the output root sits inside the Git repository: `""` when it is the repository's top folder,
     * `clusters/lab` when this stack renders into that folder (one of several stacks in one repo). ArgoCD's
     * and Flux's paths into the repo are prefixed with it; `generate` warns when the output root it writes
     * into sits elsewhere in the repository.
     * @default ""
     */
    repoDir: string;
    /** Flux namespace. @default "flux-system" */
    fluxNamespace: string;
    /** age recipient(s) SOPS encrypts to (public keys, `age1…`). */
    sopsAgeRecipients: readonly string[];
    /** Flux GitRepository that holds this repo. @default "flux-system" */
    fluxSource: string;
    /** Secret in the Flux namespace holding the age private key (`age.agekey`). @default "sops-age" */
    sopsAgeSecret: string;
  };
}

type Optional<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;

/** A `Stack` as written by hand: the fields documented with `@default` may be left out. */
export type StackInput = Optional<Omit<Stack, "objectStore" | "gitops" | "components">, "namespace" | "podSecurity" | "ingressClassName" | "dockerAlloyPath"> & {
  components?: ComponentsInput;
  objectStore: Optional<ObjectStore, "insecure" | "region" | "forcePathStyle">;
  gitops: Optional<Stack["gitops"], "argocdNamespace" | "rootPath" | "repoDir" | "fluxNamespace" | "fluxSource" | "sopsAgeSecret">;
};

/** `Components` as written by hand: any flag (or group) left out is on. */
export type ComponentsInput = Partial<Omit<Components, "writeEndpoints" | "infraMonitoring">> & {
  writeEndpoints?: Partial<Components["writeEndpoints"]>;
  infraMonitoring?: Partial<Components["infraMonitoring"]>;
};

/** The defaults `defineStack` fills in (the values the `@default` tags name). */
export const STACK_DEFAULTS = {
  namespace: "monitoring",
  podSecurity: { enforce: "privileged", warn: "baseline" },
  ingressClassName: "nginx",
  dockerAlloyPath: "docker/stacks/shared/alloy",
  components: {
    thanos: true,
    loki: true,
    tempo: true,
    k8sCollectors: true,
    dockerHosts: true,
    writeEndpoints: { prometheus: true, loki: true },
    infraMonitoring: { ingressNginx: true, metallb: true, rookCeph: true, rookCephCluster: true, certManager: true, lokiTenantPinning: true },
  },
  objectStore: { insecure: false, region: "us-east-1", forcePathStyle: true },
  gitops: {
    argocdNamespace: "argocd",
    rootPath: "kubernetes",
    repoDir: "",
    fluxNamespace: "flux-system",
    fluxSource: "flux-system",
    sopsAgeSecret: "sops-age",
  },
} as const satisfies {
  namespace: string;
  podSecurity: Stack["podSecurity"];
  ingressClassName: string;
  dockerAlloyPath: string;
  components: Components;
  objectStore: Partial<ObjectStore>;
  gitops: Partial<Stack["gitops"]>;
};

/**
 * The defaulted fields given as a whole: left out, the field gets the whole default; given, it is taken as
 * it is (its own fields are all required). Every other object in STACK_DEFAULTS is filled field by field.
 */
export const WHOLE_DEFAULTS: ReadonlySet<string> = new Set(["podSecurity"]);

function isPlainRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/**
 * `given` completed from `defaults`: a field that is undefined (left out, or an explicit undefined) gets
 * its default; objects in `defaults` are filled field by field, except WHOLE_DEFAULTS. Fields given always win.
 */
function fillDefaults(defaults: Readonly<Record<string, unknown>>, given: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (isPlainRecord(given)) for (const [k, v] of Object.entries(given)) if (v !== undefined) out[k] = v;
  for (const [k, d] of Object.entries(defaults)) {
    if (isPlainRecord(d) && !WHOLE_DEFAULTS.has(k)) out[k] = fillDefaults(d, out[k]);
    else if (out[k] === undefined) out[k] = structuredClone(d);
  }
  return out;
}

/** Every flag of `given` that is set, the rest on (`STACK_DEFAULTS.components`). */
export function withComponentDefaults(given: ComponentsInput = {}): Components {
  return fillDefaults(STACK_DEFAULTS.components, given) as unknown as Components;
}

/**
 * Complete a hand-written stack with the documented defaults (STACK_DEFAULTS). Fields given explicitly
 * always win. Throws a `StackError` naming every unknown key, missing field and wrong type (for configs the
 * type checker never saw, e.g. a plain `.mjs` config), before any field is read.
 */
export function defineStack(input: StackInput): Stack {
  assertNoProblems(stackInputShapeProblems(input));
  return fillDefaults(STACK_DEFAULTS, input) as unknown as Stack;
}

/** The `app.kubernetes.io/part-of` value every generated object carries: `<namespace>-stack`. */
export function stackPartOf(stack: Pick<Stack, "namespace">): string {
  return `${stack.namespace}-stack`;
}

/** A path below the output root as ArgoCD and Flux see it in the Git repository (`gitops.repoDir` first). */
export function repoPath(stack: Pick<Stack, "gitops">, path: string): string {
  return stack.gitops.repoDir === "" ? path : `${stack.gitops.repoDir}/${path}`;
}
