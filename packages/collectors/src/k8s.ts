import type { AlloyValues } from "@o11y-gitops/chart-values/alloy";
import type { Component, Stack } from "@o11y-gitops/core";
import { lokiEndpoints } from "@o11y-gitops/logs";
import { tempoEndpoints } from "@o11y-gitops/traces";
import { emitAlloy } from "./alloy-emit.js";
import { alloyConfig as a, type AlloyConfig } from "./alloy-model.js";
import { assertCollectorsStack } from "./check.js";
import { copyLabel, rule } from "./_relabel.js";

/** Ports the DaemonSet's OTLP receiver listens on (pods and Service): gRPC and HTTP. */
export const OTLP_PORTS = { grpc: 4317, http: 4318 } as const;

/** Where the kubelet writes container stdout/stderr (CRI format), mounted by the chart's `alloy.mounts.varlog`. */
export const POD_LOGS_DIR = "/var/log/pods";

/** Alloy's data directory in the pod (positions of the tailed files); a hostPath so restarts resume. */
export const K8S_STORAGE_PATH = "/var/lib/alloy";

/** Labels loki.source.file adds besides the discovered ones; dropped so a stream is namespace/pod/container/node/app. */
const FILE_SOURCE_LABELS = ["filename"] as const;

/**
 * Resource attributes otelcol.processor.k8sattributes sets on spans. Grafana's trace → logs link
 * (`tracesToLogsV2` in @o11y-gitops/metrics) maps `k8s.namespace.name`/`k8s.pod.name` to the Loki labels.
 */
export const SPAN_K8S_METADATA = ["k8s.namespace.name", "k8s.pod.name", "k8s.node.name", "k8s.deployment.name"] as const;

/**
 * How a span is matched to its pod: an IP or UID the SDK already put on the resource, else the sending
 * connection's address (pod-to-Service traffic keeps the pod IP as source).
 */
const POD_ASSOCIATION: readonly { from: "resource_attribute" | "connection"; name?: string }[] = [
  { from: "resource_attribute", name: "k8s.pod.ip" },
  { from: "resource_attribute", name: "k8s.pod.uid" },
  { from: "connection" },
];

/**
 * The ClusterRole the DaemonSet needs, and no more (the chart's default also grants Secrets, ConfigMaps,
 * Nodes and more that nothing here reads): pods for discovery.kubernetes and k8sattributes, ReplicaSets
 * (a pod's Deployment) and namespaces for k8sattributes. The chart concatenates `rbac.rules` (namespaced
 * resources) and `rbac.clusterRules` (cluster-scoped ones) into one ClusterRole; both must be non-empty
 * lists, since an empty one renders as `[]` in the middle of the rule list.
 */
export const ALLOY_RBAC_RULES = {
  rules: [
    { apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] },
    { apiGroups: ["apps"], resources: ["replicasets"], verbs: ["get", "list", "watch"] },
  ],
  clusterRules: [{ apiGroups: [""], resources: ["namespaces"], verbs: ["get", "list", "watch"] }],
} as const;

type Rule = { readonly apiGroups: readonly string[]; readonly resources: readonly string[]; readonly verbs: readonly string[] };
const copyRule = (r: Rule) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] });

/** Name of the hostPath volume backing `K8S_STORAGE_PATH`. */
const STORAGE_VOLUME = "alloy-storage";

/**
 * The DaemonSet's Alloy config:
 * - logs: discovery.kubernetes (pods on this node only: field selector on `spec.nodeName`, which the chart
 *   sets as `HOSTNAME`) → discovery.relabel (namespace, pod, container, node, app, and the file path) →
 *   local.file_match → loki.source.file → loki.process (CRI line format) → loki.write (Loki push API with
 *   the stack's tenant); the `filename` label loki.source.file adds is dropped in loki.process.
 * - traces: otelcol.receiver.otlp (gRPC 4317, HTTP 4318 on 0.0.0.0) → otelcol.processor.k8sattributes
 *   (namespace, pod, node, deployment of the sender) → otelcol.processor.batch →
 *   otelcol.exporter.otlp to Tempo's in-cluster OTLP gRPC port (plain text, so `tls { insecure = true }`).
 *
 * Files, not the API: `loki.source.file` reads the node's own CRI log files, so each pod of the DaemonSet
 * ships exactly its node's logs without streaming every log line through the API server and kubelets
 * (the cost `loki.source.kubernetes` documents), and it needs only the read-only /var/log mount the chart
 * provides.
 *
 * Each half follows `stack.components`: no logs pipeline without Loki, no OTLP receiver or exporter
 * without Tempo.
 */
export function k8sAlloyConfig(stack: Stack): AlloyConfig {
  const loki = lokiEndpoints(stack);
  const tempo = tempoEndpoints(stack).otlpGrpc;

  const lokiWrite = a.component("loki.write", "loki", [
    a.block("endpoint", [a.attr("url", loki.pushUrl), a.attr("tenant_id", stack.lokiTenant)]),
  ], "Loki's push API inside the cluster, as the stack's tenant (X-Scope-OrgID).");

  const cri = a.component("loki.process", "pod_logs", [
    a.attr("forward_to", [a.ref(lokiWrite, "receiver")]),
    a.block("stage.cri", []),
    a.block("stage.label_drop", [a.attr("values", [...FILE_SOURCE_LABELS])]),
  ], "Kubelet log files are CRI-formatted: split off time, stream and flags. loki.source.file adds the\nfile path as a label (a new stream per container restart); only the five stream labels stay.");

  const pods = a.component("discovery.kubernetes", "pods", [
    a.attr("role", "pod"),
    a.block("selectors", [
      a.attr("role", "pod"),
      a.attr("field", a.call("string.format", "spec.nodeName=%s", a.env("HOSTNAME"))),
    ]),
  ], "Pods scheduled on this node (the chart sets HOSTNAME to spec.nodeName).");

  const relabel = a.component("discovery.relabel", "pod_logs", [
    a.attr("targets", a.ref(pods, "targets")),
    copyLabel("__meta_kubernetes_namespace", "namespace"),
    copyLabel("__meta_kubernetes_pod_name", "pod"),
    copyLabel("__meta_kubernetes_pod_container_name", "container"),
    copyLabel("__meta_kubernetes_pod_node_name", "node"),
    copyLabel("__meta_kubernetes_pod_label_app", "app", true),
    copyLabel("__meta_kubernetes_pod_label_app_kubernetes_io_name", "app", true),
    rule({
      sourceLabels: ["__meta_kubernetes_pod_uid", "__meta_kubernetes_pod_container_name"],
      separator: "/",
      targetLabel: "__path__",
      replacement: `${POD_LOGS_DIR}/*$1/*.log`,
    }),
  ], "Stream labels, and the container's log files under /var/log/pods/<namespace>_<pod>_<uid>/<container>/.");

  const files = a.component("local.file_match", "pod_logs", [a.attr("path_targets", a.ref(relabel, "output"))]);

  const source = a.component("loki.source.file", "pod_logs", [
    a.attr("targets", a.ref(files, "targets")),
    a.attr("forward_to", [a.ref(cri, "receiver")]),
  ]);

  const exporter = a.component("otelcol.exporter.otlp", "tempo", [
    a.block("client", [
      a.attr("endpoint", `${tempo.host}:${tempo.port}`),
      a.block("tls", [a.attr("insecure", true)]),
    ]),
  ], "Tempo's OTLP gRPC receiver inside the cluster (plain text).");

  const batch = a.component("otelcol.processor.batch", "traces", [
    a.block("output", [a.attr("traces", [a.ref(exporter, "input")])]),
  ]);

  const k8sattributes = a.component("otelcol.processor.k8sattributes", "traces", [
    a.block("extract", [a.attr("metadata", [...SPAN_K8S_METADATA])]),
    ...POD_ASSOCIATION.map((source) =>
      a.block("pod_association", [a.block("source", source.name === undefined ? [a.attr("from", source.from)] : [a.attr("from", source.from), a.attr("name", source.name)])]),
    ),
    a.block("output", [a.attr("traces", [a.ref(batch, "input")])]),
  ], "Namespace, pod, node and deployment of the sending pod on every span, so Grafana's trace-to-logs link\nfinds the pod's log stream even when the app does not set them itself.");

  const receiver = a.component("otelcol.receiver.otlp", "apps", [
    a.block("grpc", [a.attr("endpoint", `0.0.0.0:${OTLP_PORTS.grpc}`)]),
    a.block("http", [a.attr("endpoint", `0.0.0.0:${OTLP_PORTS.http}`)]),
    a.block("output", [a.attr("traces", [a.ref(k8sattributes, "input")])]),
  ], "OTLP from any app in the cluster, through this Service or the pod on its node.");

  const { loki: logsOn, tempo: tracesOn } = stack.components;
  return a.file(
    ...(logsOn ? [pods, relabel, files, source, cri, lokiWrite] : []),
    ...(tracesOn ? [receiver, k8sattributes, batch, exporter] : []),
  );
}

/**
 * Values for the alloy chart: a DaemonSet on every node (tolerating all taints) whose config comes from
 * `k8sAlloyConfig`, the host's /var/log mounted read-only, file positions on a hostPath, and the OTLP
 * ports on the pods and the Service, a ServiceMonitor for Alloy's own metrics, and a ClusterRole of
 * exactly {@link ALLOY_RBAC_RULES}.
 */
export function alloyValues(stack: Stack): AlloyValues {
  assertCollectorsStack(stack);
  return {
    alloy: {
      configMap: { create: true, content: emitAlloy(k8sAlloyConfig(stack), { helmTpl: true }) },
      storagePath: K8S_STORAGE_PATH,
      mounts: {
        varlog: stack.components.loki,
        dockercontainers: false,
        extra: [{ name: STORAGE_VOLUME, mountPath: K8S_STORAGE_PATH }],
      },
      // The OTLP receiver's ports, only where it runs (traces on).
      extraPorts: stack.components.tempo
        ? [
            { name: "otlp-grpc", port: OTLP_PORTS.grpc, targetPort: OTLP_PORTS.grpc, protocol: "TCP" },
            { name: "otlp-http", port: OTLP_PORTS.http, targetPort: OTLP_PORTS.http, protocol: "TCP" },
          ]
        : [],
    },
    controller: {
      type: "daemonset",
      tolerations: [{ operator: "Exists" }],
      volumes: {
        extra: [{ name: STORAGE_VOLUME, hostPath: { path: `/var/lib/${stack.releases.alloy}`, type: "DirectoryOrCreate" } }],
      },
    },
    rbac: { create: true, rules: ALLOY_RBAC_RULES.rules.map(copyRule), clusterRules: ALLOY_RBAC_RULES.clusterRules.map(copyRule) },
    // Prometheus scrapes the DaemonSet's own metrics (the chart's Service, port http-metrics).
    serviceMonitor: { enabled: true },
    serviceAccount: { create: true },
    service: { enabled: true },
  };
}

/** The alloy release: wave 3, after Loki and Tempo (it pushes to those that are on). */
export function alloyComponent(stack: Stack): Component<AlloyValues> {
  return {
    name: "alloy",
    chart: "alloy",
    release: stack.releases.alloy,
    dependsOn: [...(stack.components.loki ? ["loki"] : []), ...(stack.components.tempo ? ["tempo"] : [])],
    values: alloyValues(stack),
    manifests: [],
  };
}
