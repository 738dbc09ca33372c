import { validateValues, charts } from "@o11y-gitops/chart-values";
import {
  alloyComponent,
  alloyConfig as a,
  alloyValues,
  checkCollectors,
  emitAlloy,
  k8sAlloyConfig,
  OTLP_PORTS,
  ALLOY_RBAC_RULES,
  SPAN_K8S_METADATA,
} from "@o11y-gitops/collectors";
import { StackError, stackConfigProblems, type Stack } from "@o11y-gitops/core";
import { LOKI_PUSH_PATH, lokiComponent, lokiEndpoints } from "@o11y-gitops/logs";
import { tempoComponent, tempoEndpoints } from "@o11y-gitops/traces";
import { describe, expect, it } from "vitest";
import { stack } from "../../../stack.config.js";
import { checkWellFormed } from "./_alloy-parser.js";
import { component, paths, ruleTargets, sinks, valueAt } from "./_model.js";

const config = k8sAlloyConfig(stack);
const values = alloyValues(stack);
const content = values.alloy?.configMap?.content ?? "";

describe("k8s Alloy config (typed model)", () => {
  it("is the chart's configMap content, emitted for Helm's tpl, and well-formed", () => {
    expect(content).toBe(emitAlloy(config, { helmTpl: true }));
    expect(content).not.toContain("{{");
    expect(checkWellFormed(content)).toEqual([]);
  });

  it("logs: pods → relabel → file match → file source → CRI parsing → loki.write, and nowhere else", () => {
    expect(paths(config, "discovery.kubernetes pods", "loki.write loki")).toEqual([
      [
        "discovery.kubernetes pods",
        "discovery.relabel pod_logs",
        "local.file_match pod_logs",
        "loki.source.file pod_logs",
        "loki.process pod_logs",
        "loki.write loki",
      ],
    ]);
    expect(sinks(config).sort()).toEqual(["loki.write loki", "otelcol.exporter.otlp tempo"]);
  });

  it("traces: otlp receiver → k8sattributes → batch → otlp exporter", () => {
    expect(paths(config, "otelcol.receiver.otlp apps", "otelcol.exporter.otlp tempo")).toEqual([
      ["otelcol.receiver.otlp apps", "otelcol.processor.k8sattributes traces", "otelcol.processor.batch traces", "otelcol.exporter.otlp tempo"],
    ]);
    const receiver = component(config, "otelcol.receiver.otlp", "apps");
    expect(valueAt(receiver, "grpc.endpoint")).toEqual(a.str("0.0.0.0:4317"));
    expect(valueAt(receiver, "http.endpoint")).toEqual(a.str("0.0.0.0:4318"));
  });

  it("traces go to Tempo's OTLP gRPC Service port in plain text", () => {
    const tempo = tempoEndpoints(stack).otlpGrpc;
    const exporter = component(config, "otelcol.exporter.otlp", "tempo");
    expect(valueAt(exporter, "client.endpoint")).toEqual(a.str(`${tempo.host}:${tempo.port}`));
    expect(valueAt(exporter, "client.endpoint")).toEqual(a.str("tempo.monitoring.svc:4317"));
    expect(valueAt(exporter, "client.tls.insecure")).toEqual(a.bool(true));
  });

  it("logs go to Loki's push API with the stack's tenant", () => {
    const write = component(config, "loki.write", "loki");
    expect(valueAt(write, "endpoint.url")).toEqual(a.str(lokiEndpoints(stack).pushUrl));
    expect(valueAt(write, "endpoint.url")).toEqual(a.str(`http://loki.monitoring.svc:3100${LOKI_PUSH_PATH}`));
    expect(valueAt(write, "endpoint.tenant_id")).toEqual(a.str("homelab"));
  });

  it("discovers only this node's pods (the chart sets HOSTNAME to spec.nodeName)", () => {
    const pods = component(config, "discovery.kubernetes", "pods");
    expect(valueAt(pods, "role")).toEqual(a.str("pod"));
    expect(valueAt(pods, "selectors.role")).toEqual(a.str("pod"));
    expect(valueAt(pods, "selectors.field")).toEqual(a.call("string.format", "spec.nodeName=%s", a.env("HOSTNAME")));
  });

  it.each<[string, string]>([
    ["namespace", "__meta_kubernetes_namespace"],
    ["pod", "__meta_kubernetes_pod_name"],
    ["container", "__meta_kubernetes_pod_container_name"],
    ["node", "__meta_kubernetes_pod_node_name"],
    ["app", "__meta_kubernetes_pod_label_app_kubernetes_io_name"],
  ])("streams carry %s (from %s)", (label, meta) => {
    const rules = ruleTargets(component(config, "discovery.relabel", "pod_logs"));
    expect(rules).toContainEqual(expect.objectContaining({ target: a.str(label), source: a.list(meta) }));
  });

  it("tails the container's CRI log files under /var/log/pods", () => {
    const rules = ruleTargets(component(config, "discovery.relabel", "pod_logs"));
    expect(rules).toContainEqual({
      target: a.str("__path__"),
      source: a.list("__meta_kubernetes_pod_uid", "__meta_kubernetes_pod_container_name"),
      replacement: a.str("/var/log/pods/*$1/*.log"),
    });
    expect(component(config, "loki.process", "pod_logs").body).toContainEqual(a.block("stage.cri", []));
  });

  it("streams keep only the design's five labels: loki.source.file's filename label is dropped", () => {
    const stages = component(config, "loki.process", "pod_logs").body.filter((s) => s.kind === "block").map((s) => s.name);
    expect(stages).toEqual(["stage.cri", "stage.label_drop"]);
    expect(component(config, "loki.process", "pod_logs").body).toContainEqual(a.block("stage.label_drop", [a.attr("values", ["filename"])]));
    const publicLabels = ruleTargets(component(config, "discovery.relabel", "pod_logs"))
      .map((r) => (r.target?.kind === "string" ? r.target.value : ""))
      .filter((l) => !l.startsWith("__"));
    expect([...new Set(publicLabels)].sort()).toEqual(["app", "container", "namespace", "node", "pod"]);
  });

  it("k8sattributes puts namespace and pod (the trace-to-logs tags) on spans, matched by pod IP, UID or connection", () => {
    const k = component(config, "otelcol.processor.k8sattributes", "traces");
    expect(valueAt(k, "extract.metadata")).toEqual(a.list(...SPAN_K8S_METADATA));
    for (const tag of ["k8s.namespace.name", "k8s.pod.name"]) expect(SPAN_K8S_METADATA).toContain(tag);
    const sources = k.body.filter((s) => s.kind === "block" && s.name === "pod_association").map((s) => (s.kind === "block" ? s.body : []));
    expect(sources).toEqual([
      [a.block("source", [a.attr("from", "resource_attribute"), a.attr("name", "k8s.pod.ip")])],
      [a.block("source", [a.attr("from", "resource_attribute"), a.attr("name", "k8s.pod.uid")])],
      [a.block("source", [a.attr("from", "connection")])],
    ]);
  });
});

describe("alloy chart values", () => {
  it("pass the chart schema", () => {
    expect(validateValues("alloy", values)).toEqual([]);
  });

  it("run a DaemonSet on every node with /var/log mounted and file positions on a hostPath", () => {
    expect(values.controller?.type).toBe("daemonset");
    expect(values.controller?.tolerations).toEqual([{ operator: "Exists" }]);
    expect(values.alloy?.mounts?.varlog).toBe(true);
    expect(values.alloy?.storagePath).toBe("/var/lib/alloy");
    expect(values.alloy?.mounts?.extra).toEqual([{ name: "alloy-storage", mountPath: "/var/lib/alloy" }]);
    expect(values.controller?.volumes?.extra).toEqual([
      { name: "alloy-storage", hostPath: { path: "/var/lib/alloy", type: "DirectoryOrCreate" } },
    ]);
    expect(values.rbac?.create).toBe(true);
  });

  it("grant exactly what discovery.kubernetes and k8sattributes read, cluster-wide, and nothing else", () => {
    expect(values.rbac).toEqual({
      create: true,
      rules: [
        { apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] },
        { apiGroups: ["apps"], resources: ["replicasets"], verbs: ["get", "list", "watch"] },
      ],
      clusterRules: [{ apiGroups: [""], resources: ["namespaces"], verbs: ["get", "list", "watch"] }],
    });
    expect(values.rbac?.namespaces).toBeUndefined();
    expect({ rules: values.rbac?.rules, clusterRules: values.rbac?.clusterRules }).toEqual(ALLOY_RBAC_RULES);
  });

  it("have the chart's ServiceMonitor scrape Alloy's own metrics", () => {
    expect(values.serviceMonitor).toEqual({ enabled: true });
  });

  it("expose OTLP gRPC and HTTP on the pods and the Service", () => {
    expect(values.alloy?.extraPorts).toEqual([
      { name: "otlp-grpc", port: 4317, targetPort: 4317, protocol: "TCP" },
      { name: "otlp-http", port: 4318, targetPort: 4318, protocol: "TCP" },
    ]);
    expect(values.service?.enabled).toBe(true);
    expect(OTLP_PORTS).toEqual({ grpc: 4317, http: 4318 });
  });

  it("component: wave 3 after loki and tempo, chart pinned", () => {
    const c = alloyComponent(stack);
    expect(c).toMatchObject({ name: "alloy", chart: "alloy", release: "alloy", manifests: [] });
    expect(c.dependsOn).toEqual([lokiComponent(stack).name, tempoComponent(stack).name]);
    expect(charts[c.chart as keyof typeof charts]).toMatchObject({ version: "1.11.1", appVersion: "v1.18.1" });
    expect(c.values).toEqual(values);
  });
});

describe("one stack field, every place", () => {
  const changed = (patch: (s: Stack) => void): string => {
    const s = structuredClone(stack) as Stack;
    patch(s);
    return alloyValues(s).alloy?.configMap?.content ?? "";
  };

  it.each<[string, (s: Stack) => void, string[]]>([
    ["lokiTenant", (s) => void (s.lokiTenant = "lab2"), ['tenant_id = "lab2"']],
    ["namespace", (s) => void (s.namespace = "obs"), ['"http://loki.obs.svc:3100/loki/api/v1/push"', '"tempo.obs.svc:4317"']],
    ["releases.loki", (s) => void (s.releases.loki = "logs"), ['"http://logs-loki.monitoring.svc:3100/loki/api/v1/push"']],
    ["releases.tempo", (s) => void (s.releases.tempo = "traces"), ['"traces-tempo.monitoring.svc:4317"']],
  ])("%s", (_field, patch, wanted) => {
    const text = changed(patch);
    for (const w of wanted) expect(text).toContain(w);
    expect(text).not.toBe(content);
  });

  it("releases.alloy names the hostPath for positions", () => {
    const s = structuredClone(stack) as Stack;
    s.releases.alloy = "collector";
    expect(alloyValues(s).controller?.volumes?.extra?.[0]?.hostPath?.path).toBe("/var/lib/collector");
    expect(alloyComponent(s).release).toBe("collector");
  });
});

describe("checkCollectors", () => {
  it.each<[string, (s: Stack) => void, { path: string; message: string }[]]>([
    ["user with a colon", (s) => void (s.secrets.basicAuth.user = "al:loy"), [{ path: "stack.secrets.basicAuth.user", message: '"al:loy" cannot be a basic-auth user name (empty or contains ":")' }]],
  ])("%s", (_name, patch, problems) => {
    const s = structuredClone(stack) as Stack;
    patch(s);
    expect(checkCollectors(s)).toEqual(problems);
    expect(() => alloyValues(s)).toThrow(StackError);
    expect(() => alloyValues(s)).toThrow(problems.map((p) => `${p.path}: ${p.message}`).join("\n"));
  });

  it.each<[string, (s: Stack) => void, { path: string; message: string }[]]>([
    ["empty tenant", (s) => void (s.lokiTenant = ""), [{ path: "stack.lokiTenant", message: '"" is not a valid Loki tenant ID (1-150 characters: letters, digits and !-_.*\'() only, not "." or "..")' }]],
    ["multi-tenant header", (s) => void (s.lokiTenant = "a|b"), [{ path: "stack.lokiTenant", message: '"a|b" is not a valid Loki tenant ID (1-150 characters: letters, digits and !-_.*\'() only, not "." or "..")' }]],
    ["tenant with a space", (s) => void (s.lokiTenant = "home lab"), [{ path: "stack.lokiTenant", message: '"home lab" is not a valid Loki tenant ID (1-150 characters: letters, digits and !-_.*\'() only, not "." or "..")' }]],
    ["tenant with a slash", (s) => void (s.lokiTenant = "home/lab"), [{ path: "stack.lokiTenant", message: '"home/lab" is not a valid Loki tenant ID (1-150 characters: letters, digits and !-_.*\'() only, not "." or "..")' }]],
    ["release not a DNS label", (s) => void (s.releases.alloy = "Alloy_1"), [{ path: "stack.releases.alloy", message: '"Alloy_1" is not a valid Helm release name (lowercase letters, digits and "-", at most 53 characters)' }]],
  ])("%s: left to core's stackConfigProblems (a shared field, reported once), and alloyValues refuses it", (_name, patch, problems) => {
    const s = structuredClone(stack) as Stack;
    patch(s);
    expect(stackConfigProblems(s)).toEqual(problems);
    expect(checkCollectors(s)).toEqual([]);
    expect(() => alloyValues(s)).toThrow(StackError);
    expect(() => alloyValues(s)).toThrow(problems.map((p) => `${p.path}: ${p.message}`).join("\n"));
  });

  it("the homelab stack has no problems", () => {
    expect(checkCollectors(stack)).toEqual([]);
  });
});
