// The infrastructure monitoring fragments: valid per chart schema, only real chart keys, the seed's
// "ServiceMonitors Enabled" facts, no release label, stack fields flowing through, the values files.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { charts, validateValues } from "@o11y-gitops/chart-values";
import type { RookCephClusterValues } from "@o11y-gitops/chart-values/rook-ceph-cluster";
import { StackError, type Stack } from "@o11y-gitops/core";
import { keyPaths, leaves } from "../../../test-support/values.js";
import { homelab, withStack } from "./_helpers.js";
import {
  certManagerMonitoring,
  INFRA_CHARTS,
  infraMonitoringFiles,
  infraMonitoringValues,
  ingressNginxMonitoring,
  metallbMonitoring,
  rookCephClusterMonitoring,
  rookCephMonitoring,
  type InfraChart,
} from "../src/infra/index.js";

const values = infraMonitoringValues(homelab);


interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
}

/** The committed schema of the pinned chart version (schemas/<chart>/<version>/values.schema.json). */
function pinnedSchema(chart: InfraChart): SchemaNode {
  const url = new URL(`../../../schemas/${chart}/${charts[chart].version}/values.schema.json`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")) as SchemaNode;
}

/**
 * Keys of `v` the schema does not list by name. Keys inside a typed map (`additionalProperties: {schema}`,
 * e.g. a rule's labels) are data and are checked against that schema; an untyped open map is an error
 * here, because a fragment key landing in one would not be a known chart key.
 */
function unknownKeys(v: unknown, node: SchemaNode, path: string): string[] {
  if (Array.isArray(v)) return node.items ? v.flatMap((item, i) => unknownKeys(item, node.items as SchemaNode, `${path}[${i}]`)) : [`${path}[]`];
  if (v === null || typeof v !== "object") return [];
  return Object.entries(v).flatMap(([k, child]) => {
    const p = path === "" ? k : `${path}.${k}`;
    const named = node.properties?.[k];
    if (named) return unknownKeys(child, named, p);
    if (node.additionalProperties && typeof node.additionalProperties === "object") return unknownKeys(child, node.additionalProperties, p);
    return [p];
  });
}

describe("infraMonitoringValues", () => {
  it.each(INFRA_CHARTS)("%s: the fragment alone validates against the pinned chart schema", (chart) => {
    expect(validateValues(chart, values[chart])).toEqual([]);
  });

  it.each(INFRA_CHARTS)("%s: every key is a key the pinned chart's schema lists", (chart) => {
    expect(unknownKeys(values[chart], pinnedSchema(chart), "")).toEqual([]);
  });

  // The seed's "ServiceMonitors Enabled" list, asserted on the built values.
  it.each<[string, InfraChart, string, unknown]>([
    ["ingress-nginx metrics", "ingress-nginx", "controller.metrics.enabled", true],
    ["ingress-nginx metrics Service", "ingress-nginx", "controller.metrics.service.enabled", true],
    ["ingress-nginx ServiceMonitor", "ingress-nginx", "controller.metrics.serviceMonitor.enabled", true],
    ["ingress-nginx prometheusRule", "ingress-nginx", "controller.metrics.prometheusRule.enabled", true],
    ["MetalLB serviceMonitor", "metallb", "prometheus.serviceMonitor.enabled", true],
    ["MetalLB not also a PodMonitor", "metallb", "prometheus.podMonitor.enabled", false],
    ["MetalLB prometheusRule", "metallb", "prometheus.prometheusRule.enabled", true],
    ["MetalLB RBAC for Prometheus", "metallb", "prometheus.rbacPrometheus", true],
    ["frr-k8s ServiceMonitor", "metallb", "frr-k8s.prometheus.serviceMonitor.enabled", true],
    ["rook-ceph operator monitoring", "rook-ceph", "monitoring.enabled", true],
    ["Ceph cluster monitoring", "rook-ceph-cluster", "monitoring.enabled", true],
    ["Ceph metrics on", "rook-ceph-cluster", "monitoring.metricsDisabled", false],
    ["Ceph PrometheusRules", "rook-ceph-cluster", "monitoring.createPrometheusRules", true],
    ["cert-manager metrics", "cert-manager", "prometheus.enabled", true],
    ["cert-manager ServiceMonitor", "cert-manager", "prometheus.servicemonitor.enabled", true],
    ["cert-manager not also a PodMonitor", "cert-manager", "prometheus.podmonitor.enabled", false],
  ])("%s: %s %s is %j", (_name, chart, path, want) => {
    expect(new Map(leaves(values[chart])).get(path)).toEqual(want);
  });

  it("ingress-nginx carries its alert rules in the chart's PrometheusRule", () => {
    const rules = values["ingress-nginx"].controller?.metrics?.prometheusRule?.rules ?? [];
    expect(rules.map((r) => [r.alert, r.labels?.severity])).toEqual([
      ["NginxIngressHigh5xxRatio", "warning"],
      ["NginxIngressConfigReloadFailed", "critical"],
      ["NginxIngressCertificateExpiry", "warning"],
      ["NginxIngressCertificateExpiry", "critical"],
      ["NginxIngressMetricsAbsent", "warning"],
    ]);
    expect(rules.find((r) => r.alert === "NginxIngressCertificateExpiry")?.expr).toContain("nginx_ingress_controller_ssl_expire_time_seconds");
  });

  it.each(INFRA_CHARTS)("%s: no key named release anywhere (Prometheus selects without release labels)", (chart) => {
    const found = keyPaths(values[chart]).filter((p) => /(^|\.)release$/.test(p));
    expect(found).toEqual([]);
    expect(keyPaths(values[chart]).filter((p) => /additionalLabels|\.labels$/.test(p) && !/rules\[\d+\]\.labels$|extraAlerts\[\d+\]\.labels$/.test(p))).toEqual([]);
  });
});

describe("stack fields reach every place they appear", () => {
  const scrapePaths: [InfraChart, string][] = [
    ["ingress-nginx", "controller.metrics.serviceMonitor.scrapeInterval"],
    ["rook-ceph-cluster", "monitoring.interval"],
    ["cert-manager", "prometheus.servicemonitor.interval"],
  ];

  it.each(scrapePaths)("stack.scrapeInterval → %s %s", (chart, path) => {
    const changed = infraMonitoringValues(withStack((s) => ({ ...s, scrapeInterval: "1m" })));
    expect(new Map(leaves(values[chart])).get(path)).toBe(homelab.scrapeInterval);
    expect(new Map(leaves(changed[chart])).get(path)).toBe("1m");
  });

  it("MetalLB's ServiceMonitors set no interval (the chart's schema allows only integers, the CRD only durations): Prometheus's scrapeInterval applies", () => {
    expect(values.metallb.prometheus?.serviceMonitor).not.toHaveProperty("interval");
  });

  it("stack.scrapeInterval appears in no other place (a short interval also becomes cert-manager's scrape timeout)", () => {
    const changed = infraMonitoringValues(withStack((s) => ({ ...s, scrapeInterval: "23s" })));
    const where = INFRA_CHARTS.flatMap((chart) => leaves(changed[chart]).filter(([, v]) => v === "23s").map(([p]) => `${chart} ${p}`));
    expect(where.sort()).toEqual([...scrapePaths.map(([c, p]) => `${c} ${p}`), "cert-manager prometheus.servicemonitor.scrapeTimeout"].sort());
  });

  it.each<[string, string, string]>([
    ["15s", "15s", "a timeout no longer than a short interval"],
    ["30s", "30s", "the chart's 30s default when it fits"],
    ["2m", "30s", "the chart's 30s default, not the long interval"],
  ])("cert-manager scrapeTimeout for interval %s is %s (%s)", (interval, timeout) => {
    const v = certManagerMonitoring(withStack((s) => ({ ...s, scrapeInterval: interval as Stack["scrapeInterval"] })));
    expect(v.prometheus?.servicemonitor?.scrapeTimeout).toBe(timeout);
  });

  it("MetalLB's RBAC names the stack's Prometheus: kube-prometheus-stack release and namespace", () => {
    expect(values.metallb.prometheus).toMatchObject({ serviceAccount: "kube-prometheus-stack-prometheus", namespace: "monitoring" });
    const other = metallbMonitoring(withStack((s) => ({ ...s, namespace: "observability", releases: { ...s.releases, kubePrometheusStack: "kps" } })));
    expect(other.prometheus).toMatchObject({ serviceAccount: "kps-kube-prometheus-stack-prometheus", namespace: "observability" });
  });

  it("stack.gitops.rootPath places the files; repoURL and revision appear in every header", () => {
    const files = infraMonitoringFiles(withStack((s) => ({ ...s, gitops: { ...s.gitops, rootPath: "clusters/a", repoURL: "https://git.example/x.git", revision: "v2" } })));
    expect(files.map((f) => f.path)).toEqual(INFRA_CHARTS.map((c) => `clusters/a/infrastructure/monitoring/${c}.values.yaml`));
    for (const f of files) {
      const header = "header" in f ? (f.header ?? []).join("\n") : "";
      expect(header).toContain("{repoURL: https://git.example/x.git, targetRevision: v2, ref: values}");
      expect(header).toContain(`$values/${f.path}`);
    }
  });
});

describe("infraMonitoringFiles", () => {
  const files = infraMonitoringFiles(homelab);

  it.each(INFRA_CHARTS.map((c, i) => [c, i] as const))("%s: one standalone values file holding the fragment", (chart, i) => {
    const f = files[i];
    expect(f?.path).toBe(`kubernetes/infrastructure/monitoring/${chart}.values.yaml`);
    expect(f && "yaml" in f ? f.yaml : undefined).toEqual(values[chart]);
  });

  it.each(INFRA_CHARTS.map((c, i) => [c, i] as const))("%s: the header names the pinned chart and how to layer it with helm, ArgoCD and Flux", (chart, i) => {
    const f = files[i];
    const header = f && "header" in f ? (f.header ?? []) : [];
    const pin = charts[chart];
    expect(header[0]).toBe(`Monitoring values for ${chart} ${pin.version} (${pin.repository}), checked against that chart version.`);
    const text = header.join("\n");
    expect(text).toContain(`-f kubernetes/infrastructure/monitoring/${chart}.values.yaml`);
    expect(text).toContain(`helm.valueFiles: [<your values>, $values/kubernetes/infrastructure/monitoring/${chart}.values.yaml]`);
    expect(text).toContain(`spec.valuesFrom: {kind: ConfigMap, name: ${chart}-monitoring-values, valuesKey: values.yaml}`);
    expect(header.every((l) => !l.startsWith("#") && !l.includes("\n"))).toBe(true);
  });

  it("MetalLB's header states the RBAC it grants; with prometheusRbac false it says none", () => {
    const text = (i: number, fs = files) => (fs[i] && "header" in (fs[i] as object) ? ((fs[i] as { header?: string[] }).header ?? []).join("\n") : "");
    expect(text(1)).toContain("Grants ServiceAccount monitoring/kube-prometheus-stack-prometheus");
    expect(text(1, infraMonitoringFiles(homelab, { metallb: { prometheusRbac: false } }))).toContain("prometheus.rbacPrometheus: false");
  });
});

describe("builder options", () => {
  it("ingress-nginx: alertRules false leaves the PrometheusRule to the other values files, metrics stay on", () => {
    expect(ingressNginxMonitoring(homelab, { alertRules: false })).toEqual({
      controller: { metrics: { enabled: true, service: { enabled: true }, serviceMonitor: { enabled: true, scrapeInterval: "30s" } } },
    });
  });

  it("MetalLB: prometheusRbac false turns the chart's RBAC off instead of leaving the ServiceAccount empty", () => {
    const v = metallbMonitoring(homelab, { prometheusRbac: false });
    expect(v.prometheus?.rbacPrometheus).toBe(false);
    expect(v.prometheus && "serviceAccount" in v.prometheus).toBe(false);
  });

  it("MetalLB: frrK8s false drops frr-k8s's ServiceMonitor and its BGP alert", () => {
    const v = metallbMonitoring(homelab, { frrK8s: false });
    expect(v["frr-k8s"]).toBeUndefined();
    expect(v.prometheus?.prometheusRule).toEqual({ enabled: true });
  });

  it("rook-ceph: the CSI ServiceMonitor is opt-in and then scrapes at the stack's interval", () => {
    expect(rookCephMonitoring(homelab)).toEqual({ monitoring: { enabled: true } });
    expect(rookCephMonitoring(homelab, { csiServiceMonitor: true })).toEqual({
      monitoring: { enabled: true },
      csi: { serviceMonitor: { enabled: true, interval: "30s" } },
    });
  });

  it("rook-ceph-cluster: alertRules false keeps monitoring without the PrometheusRule", () => {
    expect(rookCephClusterMonitoring(homelab, { alertRules: false })).toEqual({ monitoring: { enabled: true, metricsDisabled: false, interval: "30s" } });
  });

  it("half-enabled states do not type-check", () => {
    // @ts-expect-error a MetalLB RBAC subject needs both the ServiceAccount and its namespace
    expect(() => metallbMonitoring(homelab, { prometheusRbac: { serviceAccount: "prometheus" } })).toThrow(
      "metallbMonitoring options: prometheusRbac.namespace: is empty: the chart's RoleBinding for Prometheus needs it",
    );
    // @ts-expect-error the metrics endpoint cannot be switched off while the ServiceMonitor is on
    ingressNginxMonitoring(homelab, { metrics: false });
    // @ts-expect-error the operator's monitoring RBAC is not optional in its fragment
    rookCephMonitoring(homelab, { monitoring: false });
    // @ts-expect-error the Ceph metrics cannot be disabled in the cluster fragment
    rookCephClusterMonitoring(homelab, { metricsDisabled: true });
    // @ts-expect-error the chart renders the CephCluster's spec.monitoring itself; the values type has no such key
    const cluster: RookCephClusterValues = { cephClusterSpec: { monitoring: { enabled: true } } };
    expect(cluster.cephClusterSpec).toBeDefined();
  });

  it.each<[string, () => unknown, string]>([
    [
      "an empty MetalLB ServiceAccount",
      () => metallbMonitoring(homelab, { prometheusRbac: { serviceAccount: " ", namespace: "monitoring" } }),
      "metallbMonitoring options: prometheusRbac.serviceAccount: is empty: the chart's RoleBinding for Prometheus needs it",
    ],
    [
      "a malformed scrape interval",
      () => certManagerMonitoring(withStack((s) => ({ ...s, scrapeInterval: "30 s" as Stack["scrapeInterval"] }))),
      'stack.scrapeInterval: "30 s" is not a duration like 30d (an integer and one unit: s, m, h, d, w or y)',
    ],
    [
      "a zero scrape interval",
      () => infraMonitoringFiles(withStack((s) => ({ ...s, scrapeInterval: "0s" }))),
      'stack.scrapeInterval: "0s" must be longer than 0s',
    ],
    [
      "a 5xx ratio above 1",
      () => ingressNginxMonitoring(homelab, { alertRules: { max5xxRatio: 5 } }),
      "ingressNginxMonitoring options: alertRules.max5xxRatio: 5 is not a ratio above 0 and at most 1",
    ],
  ])("throws a StackError for %s", (_name, build, message) => {
    expect(build).toThrow(StackError);
    expect(build).toThrow(message);
  });
});
