// The monitoring couplings of the infrastructure charts: each half-enabled state is a problem with an exact
// message; layering a fragment over the release's values clears them.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Problem } from "@o11y-gitops/core";
import type { CertManagerValues } from "@o11y-gitops/chart-values/cert-manager";
import type { IngressNginxValues } from "@o11y-gitops/chart-values/ingress-nginx";
import type { MetallbValues } from "@o11y-gitops/chart-values/metallb";
import type { RookCephClusterValues } from "@o11y-gitops/chart-values/rook-ceph-cluster";
import { stack as homelab } from "../../../stack.config.js";
import {
  certManagerMonitoring,
  checkCertManagerMonitoring,
  checkInfraMonitoring,
  checkIngressNginxAlertOptions,
  checkIngressNginxMonitoring,
  checkMetallbMonitoring,
  infraMonitoringValues,
  ingressNginxMonitoring,
  layerValues,
  metallbMonitoring,
  rookCephClusterMonitoring,
  rookCephMonitoring,
  type InfraMonitoringValues,
} from "../src/infra/index.js";

const rules = [{ alert: "A", expr: "vector(1)" }];

describe("checkInfraMonitoring: one exact problem per half-enabled state", () => {
  it.each<[string, InfraMonitoringValues, Problem[]]>([
    [
      "ingress-nginx ServiceMonitor without metrics (chart default metrics.enabled: false)",
      { "ingress-nginx": { controller: { metrics: { serviceMonitor: { enabled: true } } } } },
      [
        {
          path: "ingress-nginx values: controller.metrics.serviceMonitor.enabled",
          message: "is true but controller.metrics.enabled is not: the chart renders no metrics Service and no ServiceMonitor",
        },
      ],
    ],
    [
      "ingress-nginx ServiceMonitor with the metrics Service off",
      { "ingress-nginx": { controller: { metrics: { enabled: true, service: { enabled: false }, serviceMonitor: { enabled: true } } } } },
      [
        {
          path: "ingress-nginx values: controller.metrics.service.enabled",
          message: "is false while controller.metrics.serviceMonitor.enabled is true: the ServiceMonitor selects a metrics Service the chart does not render",
        },
      ],
    ],
    [
      "ingress-nginx PrometheusRule without metrics",
      { "ingress-nginx": { controller: { metrics: { enabled: false, prometheusRule: { enabled: true, rules } } } } },
      [
        {
          path: "ingress-nginx values: controller.metrics.prometheusRule.enabled",
          message: "is true but controller.metrics.enabled is not: the chart renders no PrometheusRule",
        },
      ],
    ],
    [
      "ingress-nginx PrometheusRule without rules",
      { "ingress-nginx": { controller: { metrics: { enabled: true, prometheusRule: { enabled: true } } } } },
      [
        {
          path: "ingress-nginx values: controller.metrics.prometheusRule.rules",
          message: "is empty while controller.metrics.prometheusRule.enabled is true: the chart ships no rules, so the PrometheusRule has no groups",
        },
      ],
    ],
    [
      "ingress-nginx scrape timeout above the interval",
      { "ingress-nginx": { controller: { metrics: { enabled: true, serviceMonitor: { enabled: true, scrapeInterval: "30s", scrapeTimeout: "1m" } } } } },
      [
        {
          path: "ingress-nginx values: controller.metrics.serviceMonitor.scrapeTimeout",
          message: '"1m" exceeds controller.metrics.serviceMonitor.scrapeInterval "30s": Prometheus rejects a scrape timeout longer than the interval',
        },
      ],
    ],
    [
      "MetalLB ServiceMonitor and PodMonitor together",
      { metallb: { prometheus: { rbacPrometheus: false, serviceMonitor: { enabled: true }, podMonitor: { enabled: true } } } },
      [
        {
          path: "metallb values: prometheus.serviceMonitor.enabled",
          message:
            'and prometheus.podMonitor.enabled are both true: the chart fails ("prometheus.serviceMonitor.enabled and prometheus.podMonitor.enabled cannot both be set")',
        },
      ],
    ],
    [
      "MetalLB ServiceMonitor with the default rbacPrometheus and no ServiceAccount or namespace",
      { metallb: { prometheus: { serviceMonitor: { enabled: true } } } },
      [
        {
          path: "metallb values: prometheus.serviceAccount",
          message:
            "is empty while prometheus.rbacPrometheus and prometheus.serviceMonitor.enabled are true: the chart's RoleBinding for Prometheus requires it and rendering fails",
        },
        {
          path: "metallb values: prometheus.namespace",
          message:
            "is empty while prometheus.rbacPrometheus and prometheus.serviceMonitor.enabled are true: the chart's RoleBinding for Prometheus requires it and rendering fails",
        },
      ],
    ],
    [
      "MetalLB PodMonitor with RBAC but no namespace",
      { metallb: { prometheus: { podMonitor: { enabled: true }, serviceAccount: "prometheus" } } },
      [
        {
          path: "metallb values: prometheus.namespace",
          message:
            "is empty while prometheus.rbacPrometheus and prometheus.podMonitor.enabled are true: the chart's RoleBinding for Prometheus requires it and rendering fails",
        },
      ],
    ],
    [
      "MetalLB alert rules without any monitor",
      { metallb: { prometheus: { prometheusRule: { enabled: true } } } },
      [
        {
          path: "metallb values: prometheus.prometheusRule.enabled",
          message: "is true but neither prometheus.serviceMonitor.enabled nor prometheus.podMonitor.enabled is: the MetalLB alerts watch metrics nothing scrapes",
        },
      ],
    ],
    [
      "MetalLB verifying the self-signed controller certificate",
      { metallb: { prometheus: { rbacPrometheus: false, serviceMonitor: { enabled: true, controller: { tlsConfig: { insecureSkipVerify: false } } } } } },
      [
        {
          path: "metallb values: prometheus.serviceMonitor.controller.tlsConfig.insecureSkipVerify",
          message: "is false but tls.controllerMetricsTLSSecret is empty: the controller serves metrics with a self-signed certificate, so every scrape fails verification",
        },
      ],
    ],
    [
      "MetalLB verifying the speaker certificate is fine once a TLS secret is given",
      {
        metallb: {
          tls: { speakerMetricsTLSSecret: "speaker-metrics-tls" },
          prometheus: { rbacPrometheus: false, serviceMonitor: { enabled: true, speaker: { tlsConfig: { insecureSkipVerify: false } } } },
        },
      },
      [],
    ],
    [
      "frr-k8s ServiceMonitor with the frr-k8s subchart off",
      { metallb: { frrk8s: { enabled: false }, "frr-k8s": { prometheus: { serviceMonitor: { enabled: true } } } } },
      [
        {
          path: "metallb values: frr-k8s.prometheus.serviceMonitor.enabled",
          message: "is true but frrk8s.enabled is false: the frr-k8s subchart is not installed, so no ServiceMonitor is rendered",
        },
      ],
    ],
    [
      "frr-k8s ServiceMonitor with its own rbacPrometheus and no ServiceAccount",
      { metallb: { "frr-k8s": { prometheus: { rbacPrometheus: true, namespace: "monitoring", serviceMonitor: { enabled: true } } } } },
      [
        {
          path: "metallb values: frr-k8s.prometheus.serviceAccount",
          message:
            "is empty while frr-k8s.prometheus.rbacPrometheus and frr-k8s.prometheus.serviceMonitor.enabled are true: frr-k8s's RoleBinding for Prometheus requires it",
        },
      ],
    ],
    [
      "rook-ceph CSI ServiceMonitor without monitoring",
      { "rook-ceph": { csi: { serviceMonitor: { enabled: true } } } },
      [{ path: "rook-ceph values: csi.serviceMonitor.enabled", message: "is true but monitoring.enabled is not: the chart renders no CSI ServiceMonitor" }],
    ],
    [
      "Ceph PrometheusRules without monitoring",
      { "rook-ceph-cluster": { monitoring: { createPrometheusRules: true } } },
      [
        {
          path: "rook-ceph-cluster values: monitoring.createPrometheusRules",
          message: "is true but monitoring.enabled is not: the operator creates no ServiceMonitor for Ceph, so the Ceph alerts watch metrics nothing scrapes",
        },
      ],
    ],
    [
      "Ceph monitoring with Ceph's metrics disabled",
      { "rook-ceph-cluster": { monitoring: { enabled: true, metricsDisabled: true } } },
      [
        {
          path: "rook-ceph-cluster values: monitoring.metricsDisabled",
          message: "is true while monitoring.enabled is true: the Ceph mgr prometheus module and ceph-exporter are off, so the ServiceMonitors scrape nothing",
        },
      ],
    ],
    [
      "Ceph monitoring written into cephClusterSpec",
      // The generated type already rejects the key; values read from YAML are not typed, so check those too.
      { "rook-ceph-cluster": { cephClusterSpec: { monitoring: { enabled: true } } } as unknown as RookCephClusterValues },
      [
        {
          path: "rook-ceph-cluster values: cephClusterSpec.monitoring",
          message:
            "duplicates the spec.monitoring block the chart renders from the top-level monitoring values; set monitoring.enabled, monitoring.metricsDisabled and monitoring.interval instead",
        },
      ],
    ],
    [
      "Ceph cluster monitoring without the operator's monitoring RBAC",
      { "rook-ceph": {}, "rook-ceph-cluster": { monitoring: { enabled: true } } },
      [
        {
          path: "rook-ceph values: monitoring.enabled",
          message: "is not true while rook-ceph-cluster monitoring.enabled is: the operator lacks the RBAC to create the Ceph ServiceMonitors",
        },
      ],
    ],
    [
      "cert-manager ServiceMonitor with prometheus.enabled false",
      { "cert-manager": { prometheus: { enabled: false, servicemonitor: { enabled: true } } } },
      [
        {
          path: "cert-manager values: prometheus.servicemonitor.enabled",
          message: "is true but prometheus.enabled is not: the chart renders no metrics Service and no ServiceMonitor",
        },
      ],
    ],
    [
      "cert-manager ServiceMonitor and PodMonitor together",
      { "cert-manager": { prometheus: { servicemonitor: { enabled: true }, podmonitor: { enabled: true } } } },
      [
        {
          path: "cert-manager values: prometheus.servicemonitor.enabled",
          message:
            'and prometheus.podmonitor.enabled are both true: the chart fails ("Either .Values.prometheus.podmonitor.enabled or .Values.prometheus.servicemonitor.enabled can be enabled at a time, but not both.")',
        },
      ],
    ],
    [
      "cert-manager's default 30s timeout under a 15s interval",
      { "cert-manager": { prometheus: { servicemonitor: { enabled: true, interval: "15s" } } } },
      [
        {
          path: "cert-manager values: prometheus.servicemonitor.scrapeTimeout",
          message: '"30s" exceeds prometheus.servicemonitor.interval "15s": Prometheus rejects a scrape timeout longer than the interval',
        },
      ],
    ],
    [
      "cert-manager TLS metrics scraped over http",
      { "cert-manager": { config: { metricsTLSConfig: { dynamic: { secretName: "cert-manager-metrics-ca" } } }, prometheus: { servicemonitor: { enabled: true } } } },
      [
        {
          path: "cert-manager values: prometheus.servicemonitor.endpointAdditionalProperties.scheme",
          message: 'is not "https" while config.metricsTLSConfig is set: metrics are served over TLS, so plain-HTTP scrapes fail',
        },
      ],
    ],
  ])("%s", (_name, values, want) => {
    expect(checkInfraMonitoring(values)).toEqual(want);
  });

  it("the chart defaults alone (monitoring off) are no problem", () => {
    expect(checkInfraMonitoring({ "ingress-nginx": {}, metallb: {}, "rook-ceph": {}, "rook-ceph-cluster": {}, "cert-manager": {} })).toEqual([]);
  });

  it("the five fragments together are no problem", () => {
    expect(checkInfraMonitoring(infraMonitoringValues(homelab))).toEqual([]);
  });
});

describe("couplings as properties over every switch combination", () => {
  // undefined = unset (chart default), null = deleted by a later values file (chart default too).
  const sw = fc.constantFrom<boolean | undefined | null>(true, false, undefined, null);
  const on = (v: boolean | undefined | null, chartDefault: boolean): boolean => (v === undefined || v === null ? chartDefault : v);

  it("ingress-nginx: a ServiceMonitor or PrometheusRule problem exactly when it is on and metrics are not", () => {
    fc.assert(
      fc.property(sw, sw, sw, (metrics, serviceMonitor, prometheusRule) => {
        const values = { controller: { metrics: { enabled: metrics, serviceMonitor: { enabled: serviceMonitor }, prometheusRule: { enabled: prometheusRule, rules } } } };
        const paths = checkIngressNginxMonitoring(values as IngressNginxValues).map((p) => p.path);
        const m = on(metrics, false);
        expect(paths.includes("ingress-nginx values: controller.metrics.serviceMonitor.enabled")).toBe(on(serviceMonitor, false) && !m);
        expect(paths.includes("ingress-nginx values: controller.metrics.prometheusRule.enabled")).toBe(on(prometheusRule, false) && !m);
      }),
    );
  });

  it("MetalLB: the RoleBinding subject is required exactly when RBAC and a monitor are on", () => {
    const name = fc.constantFrom<string | undefined>("prometheus", "", undefined);
    fc.assert(
      fc.property(sw, sw, sw, name, name, (rbac, serviceMonitor, podMonitor, serviceAccount, namespace) => {
        const values = { prometheus: { rbacPrometheus: rbac, serviceMonitor: { enabled: serviceMonitor }, podMonitor: { enabled: podMonitor }, serviceAccount, namespace } };
        const paths = checkMetallbMonitoring(values as MetallbValues).map((p) => p.path);
        const needed = on(rbac, true) && (on(serviceMonitor, false) || on(podMonitor, false));
        expect(paths.includes("metallb values: prometheus.serviceAccount")).toBe(needed && !serviceAccount);
        expect(paths.includes("metallb values: prometheus.namespace")).toBe(needed && !namespace);
        expect(paths.includes("metallb values: prometheus.serviceMonitor.enabled")).toBe(on(serviceMonitor, false) && on(podMonitor, false));
      }),
    );
  });

  it("cert-manager: ServiceMonitor problems exactly for prometheus.enabled off or a PodMonitor beside it", () => {
    fc.assert(
      fc.property(sw, sw, sw, (enabled, serviceMonitor, podMonitor) => {
        const values = { prometheus: { enabled, servicemonitor: { enabled: serviceMonitor }, podmonitor: { enabled: podMonitor } } };
        const messages = checkCertManagerMonitoring(values as CertManagerValues).map((p) => p.message);
        const sm = on(serviceMonitor, false);
        expect(messages.some((m) => m.startsWith("is true but prometheus.enabled is not"))).toBe(sm && !on(enabled, true));
        expect(messages.some((m) => m.startsWith("and prometheus.podmonitor.enabled are both true"))).toBe(sm && on(podMonitor, false));
      }),
    );
  });

  it("ingress-nginx alert thresholds: any ratio outside (0, 1] is refused with its value in the message", () => {
    fc.assert(
      fc.property(fc.oneof(fc.double({ max: 0 }), fc.double({ min: 1, minExcluded: true }), fc.constant(Number.NaN)), (ratio) => {
        expect(checkIngressNginxAlertOptions({ max5xxRatio: ratio })).toEqual([
          { path: "ingressNginxMonitoring options: alertRules.max5xxRatio", message: `${String(ratio)} is not a ratio above 0 and at most 1` },
        ]);
      }),
    );
  });

  it("ingress-nginx alert thresholds: any valid set is accepted and lands in the rule expressions", () => {
    const days = fc.integer({ min: 1, max: 365 });
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 1, noNaN: true }), fc.double({ min: 0, max: 1000, noNaN: true }), days, days, (ratio, rate, a, b) => {
        fc.pre(a !== b);
        const options = { max5xxRatio: ratio, min5xxRequestRate: rate, certificateWarningDays: Math.max(a, b), certificateCriticalDays: Math.min(a, b) };
        expect(checkIngressNginxAlertOptions(options)).toEqual([]);
        const built = ingressNginxMonitoring(homelab, { alertRules: options }).controller?.metrics?.prometheusRule?.rules ?? [];
        expect(built[0]?.expr).toContain(`> ${ratio} and`);
        expect(built[0]?.expr.endsWith(`> ${rate}`)).toBe(true);
        expect(built[2]?.expr.endsWith(`< ${Math.max(a, b)} * 86400`)).toBe(true);
        expect(built[3]?.expr.endsWith(`< ${Math.min(a, b)} * 86400`)).toBe(true);
      }),
    );
  });

  it.each<[string, Parameters<typeof checkIngressNginxAlertOptions>[0], Problem[]]>([
    [
      "critical days not fewer than warning days",
      { certificateWarningDays: 7, certificateCriticalDays: 7 },
      [
        {
          path: "ingressNginxMonitoring options: alertRules.certificateCriticalDays",
          message: "7 is not fewer than certificateWarningDays (7): the warning would never fire before the critical alert",
        },
      ],
    ],
    [
      "fractional days",
      { certificateWarningDays: 1.5 },
      [{ path: "ingressNginxMonitoring options: alertRules.certificateWarningDays", message: "1.5 is not a whole number of days above 0" }],
    ],
    [
      "a negative request rate",
      { min5xxRequestRate: -1 },
      [{ path: "ingressNginxMonitoring options: alertRules.min5xxRequestRate", message: "-1 is not a request rate of 0 or more per second" }],
    ],
  ])("ingress-nginx alert thresholds: %s", (_name, options, want) => {
    expect(checkIngressNginxAlertOptions(options)).toEqual(want);
  });
});

describe("layering a fragment over the release's values", () => {
  it.each<[string, InfraMonitoringValues, () => InfraMonitoringValues]>([
    [
      "ingress-nginx: a release that had metrics off",
      { "ingress-nginx": { controller: { metrics: { enabled: false, service: { enabled: false } } } } },
      () => ({ "ingress-nginx": ingressNginxMonitoring(homelab) }),
    ],
    [
      "MetalLB: a release that used the PodMonitor",
      { metallb: { prometheus: { podMonitor: { enabled: true }, serviceAccount: "", namespace: "" } } },
      () => ({ metallb: metallbMonitoring(homelab) }),
    ],
    [
      "cert-manager: a release that used the PodMonitor with prometheus off",
      { "cert-manager": { prometheus: { enabled: false, podmonitor: { enabled: true } } } },
      () => ({ "cert-manager": certManagerMonitoring(homelab) }),
    ],
    [
      "Rook: a cluster release with Ceph metrics disabled",
      { "rook-ceph": {}, "rook-ceph-cluster": { monitoring: { enabled: false, metricsDisabled: true } } },
      () => ({ "rook-ceph": rookCephMonitoring(homelab), "rook-ceph-cluster": rookCephClusterMonitoring(homelab) }),
    ],
  ])("%s: no problem once the fragment is layered on top", (_name, base, fragment) => {
    const layered: InfraMonitoringValues = {};
    const over = fragment();
    for (const chart of Object.keys(base) as (keyof InfraMonitoringValues)[]) {
      (layered as Record<string, object>)[chart] = layerValues(base[chart] as object, (over[chart] ?? {}) as object);
    }
    expect(checkInfraMonitoring(layered)).toEqual([]);
  });

  it("layerValues merges maps, replaces lists and scalars, and deletes on null (Helm's rules)", () => {
    const base = { a: { x: 1, y: [1, 2], z: "keep" }, b: "old", c: { gone: true } };
    const over = { a: { x: 2, y: [3] }, b: "new", c: null };
    expect(layerValues<Record<string, unknown>>(base, over)).toEqual({ a: { x: 2, y: [3], z: "keep" }, b: "new" });
    expect(base).toEqual({ a: { x: 1, y: [1, 2], z: "keep" }, b: "old", c: { gone: true } });
  });
});
