import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { metricsEndpoints } from "../src/index.js";
import { homelab, withStack } from "./_helpers.js";

describe("metricsEndpoints", () => {
  it("gives the seed's addresses for the homelab releases", () => {
    const e = metricsEndpoints(homelab);
    expect(`http://${e.prometheus.host}:${e.prometheus.port}`).toBe("http://kube-prometheus-stack-prometheus.monitoring.svc:9090");
    expect(`http://${e.alertmanager.host}:${e.alertmanager.port}`).toBe("http://kube-prometheus-stack-alertmanager.monitoring.svc:9093");
    expect(`http://${e.thanosQuery.host}:${e.thanosQuery.port}`).toBe("http://thanos-query.monitoring.svc:9090");
    expect(e.thanosQueryFrontend.service).toBe("thanos-query-frontend");
    expect(e.thanosStoreGateway).toMatchObject({ service: "thanos-storegateway", port: 10901 });
    // The seed reads the admin password from this name's Secret; the Service shares it.
    expect(e.grafana).toMatchObject({ service: "kube-prometheus-stack-grafana", port: 80 });
  });

  // Helm fullname rules: kube-prometheus-stack keeps a release containing its chart name and cuts at 26
  // characters (dropping a trailing "-"); grafana and Bitnami's thanos do the same at 63.
  it.each([
    ["kube-prometheus-stack", "thanos", "kube-prometheus-stack-prometheus", "kube-prometheus-stack-grafana", "thanos-query"],
    ["monitoring", "lts", "monitoring-kube-prometheus-prometheus", "monitoring-grafana", "lts-thanos-query"],
    ["prometheus-operator", "metrics-thanos", "prometheus-operator-kube-p-prometheus", "prometheus-operator-grafana", "metrics-thanos-query"],
    ["kps", "thanos-lts", "kps-kube-prometheus-stack-prometheus", "kps-grafana", "thanos-lts-query"],
    ["my-kube-prometheus-stack-release", "t", "my-kube-prometheus-stack-r-prometheus", "my-kube-prometheus-stack-release-grafana", "t-thanos-query"],
    ["grafana-kube-prometheus-stack", "x", "grafana-kube-prometheus-st-prometheus", "grafana-kube-prometheus-stack", "x-thanos-query"],
    ["abcdefghijklmnopqrstuvwxy-z", "x", "abcdefghijklmnopqrstuvwxy-prometheus", "abcdefghijklmnopqrstuvwxy-z-grafana", "x-thanos-query"],
  ])("release %s / %s → %s, %s, %s", (kps, thanos, prometheus, grafana, query) => {
    const e = metricsEndpoints(withStack((s) => ({ ...s, releases: { ...s.releases, kubePrometheusStack: kps, thanos } })));
    expect([e.prometheus.service, e.grafana.service, e.thanosQuery.service]).toEqual([prometheus, grafana, query]);
  });

  // Bitnami cuts `<fullname>-<component>` to 63 characters again (`thanos.query-frontend.fullname`: printf
  // "%s-%s" … | trunc 63 | trimSuffix "-"). The first row is fast-check's counterexample (seed 1811420711):
  // the service name was `<49-character fullname>-query-frontend`, 64 characters.
  it.each([
    [
      "0aa0aa0a-a0000a0a-0000aa00-aaa0aaa-a00a0aa",
      "0aa0aa0a-a0000a0a-0000aa00-aaa0aaa-a00a0aa-thanos-query",
      "0aa0aa0a-a0000a0a-0000aa00-aaa0aaa-a00a0aa-thanos-query-fronten",
      "0aa0aa0a-a0000a0a-0000aa00-aaa0aaa-a00a0aa-thanos-storegateway",
    ],
    // The cut lands on a "-", which trimSuffix drops: `…-query-` (63) → `…-query` (62).
    ["x".repeat(49), `${"x".repeat(49)}-thanos-query`, `${"x".repeat(49)}-thanos-query`, `${"x".repeat(49)}-thanos-storeg`],
  ])("thanos release %s → %s, %s, %s", (thanos, query, frontend, storegateway) => {
    const e = metricsEndpoints(withStack((s) => ({ ...s, releases: { ...s.releases, kubePrometheusStack: "a", thanos } })));
    expect([e.thanosQuery.service, e.thanosQueryFrontend.service, e.thanosStoreGateway.service]).toEqual([query, frontend, storegateway]);
  });

  it("keeps every Service name a valid DNS label for any release name", () => {
    const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
    // DNS-label release names: alphanumeric words joined by single dashes (a chart's `trimSuffix "-"`
    // drops only one trailing dash, so `a--b`-style names are out of scope).
    const release = fc.array(fc.stringMatching(/^[a-z0-9]{1,8}$/), { minLength: 1, maxLength: 5 }).map((w) => w.join("-"));
    fc.assert(
      fc.property(release, release, (kps, thanos) => {
        const e = metricsEndpoints(withStack((s) => ({ ...s, releases: { ...s.releases, kubePrometheusStack: kps, thanos } })));
        for (const ep of Object.values(e)) {
          expect(ep.service).toMatch(dnsLabel);
          expect(ep.service.length).toBeLessThanOrEqual(63);
          expect(ep.host).toBe(`${ep.service}.${homelab.namespace}.svc`);
        }
        // kube-prometheus-stack's prefix is at most 26 characters.
        expect(e.prometheus.service.length - "-prometheus".length).toBeLessThanOrEqual(26);
      }),
    );
  });
});
