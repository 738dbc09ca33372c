// The pipeline's Grafana dashboard, as typed data: one row of panels per hop, all on the Thanos datasource.
// Rendered into a ConfigMap that the Grafana sidecar of kube-prometheus-stack loads.
import { pipelineHops } from "./_selection.js";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { K8sObject, Stack } from "@o11y-gitops/core";
import { DATASOURCE_UID } from "./_constants.js";
import { DOCKER_HOST_SOURCE, NODE_EXPORTER_JOB, PROMETHEUS_REMOTE_WRITE_PATH } from "./series.js";
import { PIPELINE_METRICS as M } from "./_pipeline-metrics.js";
import { bitnamiThanosFullname } from "./_fullname.js";
import { metricsEndpoints } from "./endpoints.js";
import { PIPELINE_RULE_NAME, pipelineLabels } from "./pipeline-rules.js";

/**
 * The label (and value) the Grafana sidecar loads dashboard ConfigMaps by; kube-prometheus-stack's values
 * set them as `grafana.sidecar.dashboards.label`/`labelValue` from here, so the two cannot drift.
 */
export const GRAFANA_DASHBOARD_LABEL = { name: "grafana_dashboard", value: "1" } as const;

/** One PromQL query of a panel. */
export interface DashboardTarget {
  refId: string;
  expr: string;
  legendFormat: string;
}

/** A panel (the subset of Grafana's panel JSON the dashboard uses). */
export interface DashboardPanel {
  id: number;
  type: "timeseries" | "stat" | "row";
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type: "prometheus"; uid: string };
  targets?: DashboardTarget[];
  fieldConfig?: { defaults: { unit?: string; min?: number; max?: number }; overrides: [] };
  collapsed?: boolean;
}

/** A Grafana dashboard (schemaVersion 39 JSON model). */
export interface Dashboard {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  editable: boolean;
  schemaVersion: number;
  time: { from: string; to: string };
  refresh: string;
  panels: DashboardPanel[];
}

interface PanelSpec {
  title: string;
  type?: "timeseries" | "stat";
  unit?: string;
  queries: [expr: string, legend: string][];
}

/** The dashboard's uid (also the ConfigMap's file name). */
export const PIPELINE_DASHBOARD_UID = "o11y-pipeline";

/** The stages of the pipeline that are on, in the order the description names them. */
function hopNames(stack: Stack): string[] {
  const c = stack.components;
  const alloy = c.k8sCollectors || c.dockerHosts;
  return [
    ...(c.dockerHosts ? ["Docker hosts"] : []),
    ...(alloy ? ["Alloy"] : []),
    ...(c.loki ? ["Loki"] : []),
    ...(c.tempo ? ["Tempo"] : []),
    c.thanos ? "Thanos" : "Prometheus",
  ];
}

/** The pipeline dashboard: rows of panels for each hop, every query on Thanos. */
export function pipelineDashboard(stack: Stack): Dashboard {
  const ns = `namespace="${stack.namespace}"`;
  const thanos = bitnamiThanosFullname(stack.releases.thanos);
  const sidecarJob = metricsEndpoints(stack).thanosSidecar.service;
  const docker = `${DOCKER_HOST_SOURCE.label}="${DOCKER_HOST_SOURCE.value}"`;
  const rate = (metric: string, selector = "", by = "") => `sum${by === "" ? "" : ` by (${by})`} (rate(${metric}${selector === "" ? "" : `{${selector}}`}[5m]))`;

  const on = stack.components;
  const hops = pipelineHops(stack);
  const when = (cond: boolean, ...specs: PanelSpec[]): PanelSpec[] => (cond ? specs : []);
  const allRows: [string, PanelSpec[]][] = [
    [
      hops.dockerMetrics ? "Docker hosts" : "Remote write",
      [
        ...when(hops.dockerMetrics, { title: "Docker hosts sending", type: "stat", queries: [[`count(up{${docker}, job="${NODE_EXPORTER_JOB}"} == 1)`, "hosts"]] }),
        ...when(hops.remoteWriteReceiver, {
          title: "Remote-write receiver responses",
          unit: "reqps",
          queries: [[rate(M.prometheusHttpRequests, `${ns}, handler="${PROMETHEUS_REMOTE_WRITE_PATH}"`, "code"), "{{code}}"]],
        }),
        ...when(hops.dockerMetrics, {
          title: "Alloy remote-write samples",
          unit: "cps",
          queries: [
            [rate(M.alloyRemoteWriteSent, "", "instance"), "sent {{instance}}"],
            [rate(M.alloyRemoteWriteFailed, "", "instance"), "failed {{instance}}"],
          ],
        }),
      ],
    ],
    [
      "Logs",
      [
        ...when(hops.lokiWrite, {
          title: "Alloy loki.write entries",
          unit: "cps",
          queries: [
            [rate(M.alloyLokiSent, "", "instance"), "sent {{instance}}"],
            [rate(M.alloyLokiDropped, "", "instance"), "dropped {{instance}}"],
          ],
        }),
        ...when(on.loki, { title: "Loki discarded lines", unit: "cps", queries: [[rate(M.lokiDiscarded, ns, "reason"), "{{reason}}"]] }, {
          title: "Loki 5xx and flush failures",
          unit: "reqps",
          queries: [
            [rate(M.lokiRequests, `${ns}, status_code=~"5.."`, "route"), "5xx {{route}}"],
            [rate(M.lokiFlushFailures, ns), "flush failures"],
          ],
        }),
      ],
    ],
    [
      "Traces",
      [
        ...when(hops.otlpExport, {
          title: "Alloy OTLP spans to Tempo",
          unit: "cps",
          queries: [
            [rate(M.alloySpansSent, "", "instance"), "sent {{instance}}"],
            [rate(M.alloySpansFailed, "", "instance"), "failed {{instance}}"],
          ],
        }),
        ...when(
          on.tempo,
          { title: "Tempo discarded spans", unit: "cps", queries: [[rate(M.tempoDiscarded, ns, "reason"), "{{reason}}"]] },
          { title: "Tempo failed flushes (1h)", queries: [[`sum(increase(${M.tempoFailedFlushes}{${ns}}[1h]))`, "failed flushes"]] },
        ),
      ],
    ],
    [
      "Metrics (Thanos)",
      when(
        on.thanos,
        {
          title: "Sidecar block uploads (2h)",
          queries: [
            [`sum(increase(${M.shipperUploads}{job="${sidecarJob}"}[2h]))`, "uploaded"],
            [`sum(increase(${M.shipperUploadFailures}{job="${sidecarJob}"}[2h]))`, "failed"],
          ],
        },
        {
          title: "Thanos Query endpoints",
          queries: [[`sum by (store_type) (${M.storeConnections}{job="${thanos}-query"})`, "{{store_type}}"]],
        },
        { title: "Compactor halted", type: "stat", queries: [[`max(${M.compactHalted}{job="${thanos}-compactor"})`, "halted"]] },
      ),
    ],
    [
      "Object store and volumes",
      [
        {
          title: "Object store errors",
          unit: "reqps",
          queries: [
            ...(on.thanos ? [[rate(M.objstoreFailures, "", "job"), "{{job}}"] as [string, string]] : []),
            ...(on.loki ? [[rate(M.lokiS3Requests, `${ns}, status_code=~"5.."`), "loki"] as [string, string]] : []),
            ...(on.tempo ? [[rate(M.tempoBackendRequests, `${ns}, status_code=~"5.."`), "tempo"] as [string, string]] : []),
          ],
        },
        {
          title: "Stack volumes used",
          unit: "percentunit",
          queries: [
            [`1 - ${M.volumeAvailable}{${ns}} / ${M.volumeCapacity}{${ns}}`, "{{persistentvolumeclaim}}"],
          ],
        },
      ],
    ],
  ];

  // Only the panels of hops that exist (`stack.components`); a row left empty is dropped.
  const rows = allRows.filter(([, specs]) => specs.length > 0);
  // Thanos, or Prometheus itself without it.
  const datasource = { type: "prometheus" as const, uid: on.thanos ? DATASOURCE_UID.thanos : DATASOURCE_UID.prometheus };
  const panels: DashboardPanel[] = [];
  let id = 1;
  let y = 0;
  for (const [title, specs] of rows) {
    panels.push({ id: id++, type: "row", title, gridPos: { x: 0, y, w: 24, h: 1 }, collapsed: false });
    y += 1;
    const w = Math.floor(24 / specs.length);
    specs.forEach((p, i) => {
      panels.push({
        id: id++,
        type: p.type ?? "timeseries",
        title: p.title,
        gridPos: { x: i * w, y, w, h: 8 },
        datasource,
        targets: p.queries.map(([expr, legendFormat], q) => ({ refId: String.fromCharCode(65 + q), expr, legendFormat })),
        fieldConfig: { defaults: p.unit === undefined ? {} : { unit: p.unit }, overrides: [] },
      });
    });
    y += 8;
  }
  return {
    uid: PIPELINE_DASHBOARD_UID,
    title: "Observability pipeline",
    description: `Every hop of the ${stack.cluster} pipeline: ${hopNames(stack).join(", ")}, the object store and volumes. The alerts are in PrometheusRule ${PIPELINE_RULE_NAME}.`,
    tags: ["o11y-gitops", "pipeline"],
    editable: false,
    schemaVersion: 39,
    time: { from: "now-6h", to: "now" },
    refresh: "1m",
    panels,
  };
}

/** The dashboard as a ConfigMap the Grafana sidecar loads (label {@link GRAFANA_DASHBOARD_LABEL}). */
export function pipelineDashboardConfigMap(stack: Stack): K8sObject {
  const cm = new ConfigMap({
    metadata: {
      name: `${PIPELINE_DASHBOARD_UID}-dashboard`,
      namespace: stack.namespace,
      labels: { ...pipelineLabels(stack), [GRAFANA_DASHBOARD_LABEL.name]: GRAFANA_DASHBOARD_LABEL.value },
    },
    data: { [`${PIPELINE_DASHBOARD_UID}.json`]: `${JSON.stringify(pipelineDashboard(stack), null, 2)}\n` },
  });
  cm.validate();
  return cm.toJSON() as K8sObject;
}
