import type { AlloyValues } from "@o11y-gitops/chart-values/alloy";
import { assertNoProblems, type Component, type Stack } from "@o11y-gitops/core";
import { lokiEndpoints } from "@o11y-gitops/logs";
import { tempoEndpoints } from "@o11y-gitops/traces";
import { emitAlloy } from "./alloy-emit.js";
import { alloyConfig as a, type AlloyConfig } from "./alloy-model.js";
import { checkCollectors } from "./check.js";
import { copyLabel, rule } from "./_relabel.js";

/** Ports the DaemonSet's OTLP receiver listens on (pods and Service): gRPC and HTTP. */
export const OTLP_PORTS = { grpc: 4317, http: 4318 } as const;

/** Where the kubelet writes container stdout/stderr (CRI format), mounted by the chart's `alloy.mounts.varlog`. */
export const POD_LOGS_DIR = "/var/log/pods";

/** Alloy's data directory in the pod (positions of the tailed files); a hostPath so restarts resume. */
export const K8S_STORAGE_PATH = "/var/lib/alloy";

/** Name of the hostPath volume backing `K8S_STORAGE_PATH`. */
const STORAGE_VOLUME = "alloy-storage";

/**
 * The DaemonSet's Alloy config:
 * - logs: discovery.kubernetes (pods on this node only: field selector on `spec.nodeName`, which the chart
 *   sets as `HOSTNAME`) → discovery.relabel (namespace, pod, container, node, app, and the file path) →
 *   local.file_match → loki.source.file → loki.process (CRI line format) → loki.write (Loki push API with
 *   the stack's tenant).
 * - traces: otelcol.receiver.otlp (gRPC 4317, HTTP 4318 on 0.0.0.0) → otelcol.processor.batch →
 *   otelcol.exporter.otlp to Tempo's in-cluster OTLP gRPC port (plain text, so `tls { insecure = true }`).
 *
 * Files, not the API: `loki.source.file` reads the node's own CRI log files, so each pod of the DaemonSet
 * ships exactly its node's logs without streaming every log line through the API server and kubelets
 * (the cost `loki.source.kubernetes` documents), and it needs only the read-only /var/log mount the chart
 * provides.
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
  ], "Kubelet log files are CRI-formatted: split off time, stream and flags.");

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

  const receiver = a.component("otelcol.receiver.otlp", "apps", [
    a.block("grpc", [a.attr("endpoint", `0.0.0.0:${OTLP_PORTS.grpc}`)]),
    a.block("http", [a.attr("endpoint", `0.0.0.0:${OTLP_PORTS.http}`)]),
    a.block("output", [a.attr("traces", [a.ref(batch, "input")])]),
  ], "OTLP from any app in the cluster, through this Service or the pod on its node.");

  return a.file(pods, relabel, files, source, cri, lokiWrite, receiver, batch, exporter);
}

/**
 * Values for the alloy chart: a DaemonSet on every node (tolerating all taints) whose config comes from
 * `k8sAlloyConfig`, the host's /var/log mounted read-only, file positions on a hostPath, and the OTLP
 * ports on the pods and the Service. RBAC stays on: the chart's ClusterRole grants get/list/watch on pods,
 * which discovery.kubernetes needs.
 */
export function alloyValues(stack: Stack): AlloyValues {
  assertNoProblems(checkCollectors(stack));
  return {
    alloy: {
      configMap: { create: true, content: emitAlloy(k8sAlloyConfig(stack), { helmTpl: true }) },
      storagePath: K8S_STORAGE_PATH,
      mounts: {
        varlog: true,
        dockercontainers: false,
        extra: [{ name: STORAGE_VOLUME, mountPath: K8S_STORAGE_PATH }],
      },
      extraPorts: [
        { name: "otlp-grpc", port: OTLP_PORTS.grpc, targetPort: OTLP_PORTS.grpc, protocol: "TCP" },
        { name: "otlp-http", port: OTLP_PORTS.http, targetPort: OTLP_PORTS.http, protocol: "TCP" },
      ],
    },
    controller: {
      type: "daemonset",
      tolerations: [{ operator: "Exists" }],
      volumes: {
        extra: [{ name: STORAGE_VOLUME, hostPath: { path: `/var/lib/${stack.releases.alloy}`, type: "DirectoryOrCreate" } }],
      },
    },
    rbac: { create: true },
    serviceAccount: { create: true },
    service: { enabled: true },
  };
}

/** The alloy release: wave 3, after Loki and Tempo (it pushes to both). */
export function alloyComponent(stack: Stack): Component<AlloyValues> {
  return {
    name: "alloy",
    chart: "alloy",
    release: stack.releases.alloy,
    dependsOn: ["loki", "tempo"],
    values: alloyValues(stack),
    manifests: [],
  };
}
