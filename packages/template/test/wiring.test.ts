import { describe, expect, it } from "vitest";
import { stackNamespace } from "@o11y-gitops/core";
import { metricsEndpoints } from "@o11y-gitops/metrics";
import { stack } from "../../../stack.config.js";
import { selectionFindings } from "../src/checks/selection.js";
import { parseAddress, renderedAddresses, stackAddresses, wiringFindings } from "../src/checks/wiring.js";
import type { RenderedObject } from "../src/objects.js";
import { deployment, job, rendered, service } from "./_fixtures.js";

const ns = stack.namespace;
const q = metricsEndpoints(stack).thanosQuery;
const labels = { app: "query" };

function datasources(url: string): RenderedObject {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "ds", namespace: ns, labels: { grafana_datasource: "1" } }, data: { "datasource.yaml": `apiVersion: 1\ndatasources:\n- name: Thanos\n  url: ${url}\n` } };
}

function wiring(objects: RenderedObject[]): string[] {
  const renders = [rendered(job("kube-prometheus-stack", ns), objects)];
  return wiringFindings(renders, renderedAddresses(renders, new Set([ns]))).map((f) => f.message);
}

describe("check 3: every address resolves to a Service port backed by pods exposing the target port", () => {
  const svc = service(q.service, ns, [{ name: "http", port: q.port, targetPort: "http" }], labels);
  const pods = deployment(q.service, ns, labels, [{ containerPort: 10902, name: "http" }]);

  it("holds for Grafana's Thanos datasource on the derived Service port", () => {
    expect(wiring([datasources(`http://${q.host}:${q.port}`), svc, pods])).toEqual([]);
  });
  it("a wrong port in a datasource URL", () => {
    expect(wiring([datasources(`http://${q.host}:9091`), svc, pods])).toEqual([
      `ConfigMap ${ns}/ds datasource.yaml datasource Thanos: http://${q.host}:9091: Service ${ns}/${q.service} has no port 9091 (it has http ${q.port})`,
    ]);
  });
  it("a missing Service", () => {
    expect(wiring([datasources(`http://${q.host}:${q.port}`), pods])).toEqual([`ConfigMap ${ns}/ds datasource.yaml datasource Thanos: http://${q.host}:${q.port}: no Service ${ns}/${q.service} rendered`]);
  });
  it("a Service whose selector matches no pods", () => {
    expect(wiring([datasources(`http://${q.host}:${q.port}`), svc, deployment("other", ns, { app: "other" }, [{ containerPort: 10902, name: "http" }])])).toEqual([
      `ConfigMap ${ns}/ds datasource.yaml datasource Thanos: http://${q.host}:${q.port}: Service ${ns}/${q.service} selects no rendered pods (selector {"app":"query"})`,
    ]);
  });
  it("pods that do not expose the Service's target port", () => {
    expect(wiring([datasources(`http://${q.host}:${q.port}`), svc, deployment(q.service, ns, labels, [{ containerPort: 10902, name: "web" }])])).toEqual([
      `ConfigMap ${ns}/ds datasource.yaml datasource Thanos: http://${q.host}:${q.port}: no pod behind Service ${ns}/${q.service} (Deployment ${ns}/${q.service}) exposes target port http`,
    ]);
  });
  it("Thanos Query's DNS SRV endpoint needs a port of that name; Ingress backends resolve too", () => {
    const query: RenderedObject = { ...deployment("tq", ns, { app: "tq" }, []), spec: { template: { spec: { containers: [{ name: "q", args: [`--endpoint=dnssrv+_grpc._tcp.${q.service}.${ns}.svc.cluster.local`] }] } } } };
    const ingress: RenderedObject = { apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: "i", namespace: ns }, spec: { rules: [{ http: { paths: [{ backend: { service: { name: "nowhere", port: { number: 80 } } } }] } }] } };
    expect(wiring([query, ingress, svc, pods])).toEqual([
      `Deployment ${ns}/tq --endpoint: dnssrv+_grpc._tcp.${q.service}.${ns}.svc.cluster.local: Service ${ns}/${q.service} has no port named grpc (it has http ${q.port})`,
      `Ingress ${ns}/i backend: nowhere:80: no Service ${ns}/nowhere rendered`,
    ]);
  });
  it("every address the stack derives is checked, named by its helper", () => {
    expect(stackAddresses(stack).map((a) => a.from)).toContain("stack metricsEndpoints.thanosQuery");
    expect(wiringFindings([], stackAddresses(stack)).map((f) => f.message)).toContain(`stack metricsEndpoints.thanosQuery: ${q.host}:${q.port}: no Service ${ns}/${q.service} rendered`);
  });
  it.each([
    ["http://loki.monitoring.svc:3100/loki/api/v1/push", { service: "loki", namespace: "monitoring", port: 3100 }],
    ["http://kube-prometheus-stack-prometheus.monitoring:9090/", { service: "kube-prometheus-stack-prometheus", namespace: "monitoring", port: 9090 }],
    ["tempo.monitoring.svc.cluster.local:4317", { service: "tempo", namespace: "monitoring", port: 4317 }],
    ["http://thanos-query:9090", { service: "thanos-query", namespace: "default-ns", port: 9090 }],
    ["http://grafana.example.com", undefined],
    ["0.0.0.0:4317", undefined],
    ["http://localhost:12345/-/reload", undefined],
  ])("parses %s", (text, want) => {
    expect(parseAddress(text, "default-ns")).toEqual(want);
  });
});

describe("check 4: Prometheus selects every ServiceMonitor, PodMonitor and PrometheusRule", () => {
  const prom = (spec: Record<string, unknown>): RenderedObject => ({ apiVersion: "monitoring.coreos.com/v1", kind: "Prometheus", metadata: { name: "p", namespace: ns }, spec });
  const sm = (namespace: string, lbls: Record<string, string>): RenderedObject => ({ apiVersion: "monitoring.coreos.com/v1", kind: "ServiceMonitor", metadata: { name: "m", namespace, labels: lbls }, spec: {} });
  const kps = job("kube-prometheus-stack", ns, { release: stack.releases.kubePrometheusStack });
  const run = (p: RenderedObject, ...objs: RenderedObject[]) =>
    selectionFindings([rendered(kps, [p]), rendered(job("metallb (fragment)", "metallb-system", { kind: "fragment" }), objs)], stack, [], [stackNamespace(stack)]).map((f) => f.message);

  it("holds when the selectors are empty (everything, every namespace)", () => {
    expect(run(prom({ serviceMonitorSelector: {}, serviceMonitorNamespaceSelector: {} }), sm("metallb-system", {}))).toEqual([]);
  });
  it("a ServiceMonitor without the release label the selector asks for", () => {
    expect(run(prom({ serviceMonitorSelector: { matchLabels: { release: "kube-prometheus-stack" } }, serviceMonitorNamespaceSelector: {} }), sm("metallb-system", { app: "metallb" }))).toEqual([
      `ServiceMonitor metallb-system/m: Prometheus ${ns}/p does not select it: serviceMonitorSelector {"matchLabels":{"release":"kube-prometheus-stack"}} does not match its labels {"app":"metallb"}`,
    ]);
  });
  it("a ServiceMonitor in another namespace when the namespace selector is unset, and an unset object selector", () => {
    expect(run(prom({ serviceMonitorSelector: {} }), sm("metallb-system", {}))).toEqual([`ServiceMonitor metallb-system/m: Prometheus ${ns}/p does not select it: serviceMonitorNamespaceSelector is not set (only ${ns})`]);
    expect(run(prom({}), sm("metallb-system", {}))).toEqual([`ServiceMonitor metallb-system/m: Prometheus ${ns}/p does not select it: serviceMonitorSelector is not set (selects none)`]);
  });
  it("a namespace selector on labels the namespace does not carry", () => {
    expect(run(prom({ serviceMonitorSelector: {}, serviceMonitorNamespaceSelector: { matchLabels: { monitored: "true" } } }), sm("metallb-system", {}))).toEqual([
      `ServiceMonitor metallb-system/m: Prometheus ${ns}/p does not select it: serviceMonitorNamespaceSelector {"matchLabels":{"monitored":"true"}} does not match namespace metallb-system`,
    ]);
  });
});
