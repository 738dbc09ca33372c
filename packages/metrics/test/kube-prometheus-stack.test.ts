import { describe, expect, it } from "vitest";
import { Application } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application";
import { Alertmanager } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Alertmanager";
import { Prometheus } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Prometheus";
import { charts, validateValues } from "@o11y-gitops/chart-values";
import { StackError, type Stack } from "@o11y-gitops/core";
import { kubePrometheusStackComponent, kubePrometheusStackValues, metricsEndpoints, thanosValues } from "../src/index.js";
import { homelab, pathsContaining, withStack } from "./_helpers.js";

const values = kubePrometheusStackValues(homelab);
const prom = values.prometheus!;
const spec = prom.prometheusSpec!;
const grafana = values.grafana!;

describe("kubePrometheusStackValues: the seed's Prometheus", () => {
  it("scrapes every 30s, keeps 3 days locally on a 20Gi ceph-block volume and accepts remote writes", () => {
    expect(spec.scrapeInterval).toBe("30s");
    expect(spec.retention).toBe("3d");
    expect(spec.storageSpec).toEqual({
      volumeClaimTemplate: {
        spec: { storageClassName: "ceph-block", accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "20Gi" } } },
      },
    });
    expect(spec.enableRemoteWriteReceiver).toBe(true);
  });

  it.each([
    "serviceMonitorSelectorNilUsesHelmValues",
    "podMonitorSelectorNilUsesHelmValues",
    "ruleSelectorNilUsesHelmValues",
    "probeSelectorNilUsesHelmValues",
    "scrapeConfigSelectorNilUsesHelmValues",
  ] as const)("selects objects of every release: %s is false", (key) => {
    expect(spec[key]).toBe(false);
  });

  it("leaves the namespace selectors at the chart's `{}` (all namespaces)", () => {
    for (const key of ["serviceMonitorNamespaceSelector", "podMonitorNamespaceSelector", "ruleNamespaceSelector", "probeNamespaceSelector"] as const) {
      expect(spec[key]).toBeUndefined();
    }
  });

  it("runs the Thanos sidecar on the thanos-objstore-secret/objstore.yml Secret, discoverable over gRPC", () => {
    expect(spec.thanos).toEqual({
      objectStorageConfig: { existingSecret: { name: "thanos-objstore-secret", key: "objstore.yml" } },
      additionalArgs: [{ name: "shipper.upload-compacted" }, { name: "shipper.allow-out-of-order-uploads" }],
    });
    expect(prom.thanosService?.enabled).toBe(true);
    expect(prom.thanosServiceMonitor?.enabled).toBe(true);
    expect(metricsEndpoints(homelab).thanosSidecar).toMatchObject({ service: "kube-prometheus-stack-thanos-discovery", port: 10901 });
  });

  it("accepts remote-written samples up to retention.remoteWriteBackfill late; the sidecar ships the blocks that makes", () => {
    expect(spec.tsdb).toEqual({ outOfOrderTimeWindow: "8h" });
    expect(spec.tsdb?.outOfOrderTimeWindow).toBe(homelab.retention.remoteWriteBackfill);
    const other = kubePrometheusStackValues({ ...homelab, retention: { ...homelab.retention, remoteWriteBackfill: "1d" } });
    expect(other.prometheus?.prometheusSpec?.tsdb?.outOfOrderTimeWindow).toBe("1d");
    // Overlapping blocks are merged in the bucket by the compactor (see thanos.test.ts).
    expect(thanosValues(homelab).compactor?.extraFlags).toEqual(["--compact.enable-vertical-compaction"]);
  });

  it("labels series for Thanos: the cluster, and the replica label Query deduplicates along", () => {
    expect(spec.externalLabels).toEqual({ cluster: "minipcs" });
    expect(spec.replicaExternalLabelName).toBe("prometheus_replica");
    expect(thanosValues(homelab).query?.replicaLabel).toEqual([spec.replicaExternalLabelName]);
  });

  it("stores exemplars for the exemplar → trace links", () => {
    expect(spec.enableFeatures).toEqual(["exemplar-storage"]);
  });

  it("passes the operator specs the chart forwards through the operator's own schema", () => {
    const { objectStorageConfig, ...thanos } = spec.thanos!;
    const cr = new Prometheus({
      metadata: { name: "kube-prometheus-stack-prometheus" },
      spec: { storage: spec.storageSpec!, thanos: { ...thanos, objectStorageConfig: objectStorageConfig!.existingSecret! } },
    });
    expect(() => cr.validate()).not.toThrow();
    const am = new Alertmanager({ metadata: { name: "kube-prometheus-stack-alertmanager" }, spec: { storage: values.alertmanager!.alertmanagerSpec!.storage! } });
    expect(() => am.validate()).not.toThrow();
  });
});

describe("kubePrometheusStackValues: Alertmanager, exporters, Grafana", () => {
  it("gives Alertmanager a 1Gi ceph-block volume and turns node-exporter and kube-state-metrics on", () => {
    expect(values.alertmanager?.enabled).toBe(true);
    expect(values.alertmanager?.alertmanagerSpec?.storage?.volumeClaimTemplate?.spec).toEqual({
      storageClassName: "ceph-block",
      accessModes: ["ReadWriteOnce"],
      resources: { requests: { storage: "1Gi" } },
    });
    expect(values.nodeExporter?.enabled).toBe(true);
    expect(values.kubeStateMetrics?.enabled).toBe(true);
  });

  it("gives Grafana 2Gi of ceph-block storage, recreated on rollout (ReadWriteOnce)", () => {
    expect(grafana.persistence).toEqual({
      enabled: true,
      type: "pvc",
      storageClassName: "ceph-block",
      accessModes: ["ReadWriteOnce"],
      size: "2Gi",
    });
    expect(grafana.deploymentStrategy).toEqual({ type: "Recreate" });
  });

  it("serves Grafana at https://grafana.sharmamohit.com through nginx with no TLS section", () => {
    expect(grafana.ingress).toEqual({
      enabled: true,
      ingressClassName: "nginx",
      hosts: ["grafana.sharmamohit.com"],
      path: "/",
      annotations: { "nginx.ingress.kubernetes.io/force-ssl-redirect": "true" },
    });
    expect(grafana["grafana.ini"]?.server?.root_url).toBe("https://grafana.sharmamohit.com");
  });

  it("reads the admin login from the generator-owned Secret instead of a random per-render password", () => {
    expect(grafana.admin).toEqual({ existingSecret: "kube-prometheus-stack-grafana", userKey: "admin-user", passwordKey: "admin-password" });
  });

  it("keeps the chart's Prometheus datasource but not as default, so Thanos is the only default", () => {
    const ds = grafana.sidecar?.datasources;
    expect(ds?.defaultDatasourceEnabled).toBe(true);
    expect(ds?.isDefaultDatasource).toBe(false);
    expect(ds?.exemplarTraceIdDestinations).toEqual({ datasourceUid: "tempo", traceIdLabelName: "trace_id", urlDisplayLabel: "View trace" });
    const defaults = (grafana.additionalDataSources ?? []).filter((d) => d.isDefault).map((d) => d.name);
    expect(defaults).toEqual(["Thanos"]);
  });

  it("lets failed webhook calls through so the first ArgoCD sync can reach the CA patch job", () => {
    expect(values.prometheusOperator?.admissionWebhooks).toEqual({ enabled: true, failurePolicy: "Ignore" });
  });
});

describe("kubePrometheusStackValues: chart schema and stack wiring", () => {
  it("passes the pinned chart's schema", () => {
    expect(validateValues("kube-prometheus-stack", values)).toEqual([]);
  });

  it("is deterministic and does not share objects between calls", () => {
    const again = kubePrometheusStackValues(homelab);
    expect(again).toEqual(values);
    expect(again.grafana).not.toBe(values.grafana);
  });

  it.each<[string, (s: Stack) => Stack, string, string]>([
    ["storageClass", (s) => ({ ...s, storageClass: "fast-ssd" }), "ceph-block", "fast-ssd"],
    ["lokiTenant", (s) => ({ ...s, lokiTenant: "tenant-x" }), "homelab", "tenant-x"],
    ["cluster", (s) => ({ ...s, cluster: "lab-2" }), "minipcs", "lab-2"],
    ["domain", (s) => ({ ...s, domain: "example.org" }), "sharmamohit.com", "example.org"],
    ["namespace", (s) => ({ ...s, namespace: "observability" }), ".monitoring.svc", ".observability.svc"],
    ["scrapeInterval", (s) => ({ ...s, scrapeInterval: "15s" }), "30s", "15s"],
    ["secrets.thanosObjstore.name", (s) => ({ ...s, secrets: { ...s.secrets, thanosObjstore: { ...s.secrets.thanosObjstore, name: "bucket-creds" } } }), "thanos-objstore-secret", "bucket-creds"],
    ["ingressClassName", (s) => ({ ...s, ingressClassName: "traefik" }), "nginx", "traefik"],
  ])("changing stack.%s changes every place it appears in both charts' values", (_field, patch, before, after) => {
    const both = (s: Stack) => ({ kps: kubePrometheusStackValues(s), thanos: thanosValues(s) });
    const old = both(homelab);
    const changed = both(withStack(patch));
    const where = pathsContaining(old, before);
    expect(where.length).toBeGreaterThan(0);
    expect(pathsContaining(changed, before)).toEqual([]);
    expect(pathsContaining(changed, after)).toEqual(where);
  });

  it("throws a StackError naming the stack path on bad input", () => {
    const bad = withStack((s) => ({ ...s, retention: { ...s.retention, metricsRaw: "24h" } }));
    expect(() => kubePrometheusStackValues(bad)).toThrow(StackError);
    expect(() => kubePrometheusStackValues(bad)).toThrow(
      `stack.retention.metricsRaw: "24h" is below Thanos' 40h minimum for raw retention while downsampling is on`,
    );
  });
});

describe("kubePrometheusStackComponent", () => {
  const c = kubePrometheusStackComponent(homelab);

  it("is the kube-prometheus-stack release of the pinned 81.6.9 chart, with no dependencies (wave 1)", () => {
    expect([c.name, c.chart, c.release, c.dependsOn]).toEqual(["kube-prometheus-stack", "kube-prometheus-stack", "kube-prometheus-stack", []]);
    expect(charts[c.chart as keyof typeof charts].version).toBe("81.6.9");
    expect(c.values).toEqual(values);
    expect(c.manifests).toEqual([]);
    expect(c.extraValues).toBeUndefined();
  });

  it("applies server-side (CRDs too large for client-side apply) and ignores the patched webhook caBundle", () => {
    expect(c.syncOptions).toEqual(["ServerSideApply=true"]);
    expect(c.ignoreDifferences).toEqual(
      ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"].map((kind) => ({
        group: "admissionregistration.k8s.io",
        kind,
        name: "kube-prometheus-stack-admission",
        jqPathExpressions: [".webhooks[]?.clientConfig.caBundle"],
      })),
    );
  });

  it("has sync settings an ArgoCD Application accepts", () => {
    const app = new Application({
      metadata: { name: c.name, namespace: "argocd" },
      spec: {
        project: "monitoring",
        destination: { server: "https://kubernetes.default.svc", namespace: homelab.namespace },
        source: { repoURL: charts["kube-prometheus-stack"].repository, chart: c.chart, targetRevision: "81.6.9" },
        syncPolicy: { syncOptions: [...(c.syncOptions ?? [])] },
        ignoreDifferences: (c.ignoreDifferences ?? []).map((d) => ({ ...d })) as never,
      },
    });
    expect(() => app.validate()).not.toThrow();
  });

  it("names the webhook configurations after the release's fullname", () => {
    const c2 = kubePrometheusStackComponent(withStack((s) => ({ ...s, releases: { ...s.releases, kubePrometheusStack: "monitoring" } })));
    expect(c2.ignoreDifferences?.map((d) => d.name)).toEqual(["monitoring-kube-prometheus-admission", "monitoring-kube-prometheus-admission"]);
  });
});
