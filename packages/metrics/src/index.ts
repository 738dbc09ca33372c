export { metricsEndpoints, prometheusRemoteWriteUrl, type MetricsEndpoints } from "./endpoints.js";
export { grafanaDatasources, type GrafanaDatasource } from "./grafana-datasources.js";
export { kubePrometheusStackValues, kubePrometheusStackComponent, KUBE_PROMETHEUS_STACK } from "./kube-prometheus-stack.js";
export { thanosValues, thanosComponent, THANOS } from "./thanos.js";
export { checkMetrics } from "./check.js";
export * from "./infra/index.js";
export { NODE_EXPORTER_JOB, DOCKER_HOST_SOURCE, PROMETHEUS_REMOTE_WRITE_PATH } from "./series.js";
export {
  pipelineAlertGroups,
  pipelinePrometheusRule,
  pipelineLabels,
  seedChecks,
  PIPELINE_RULE_NAME,
  PVC_WARN_USED_RATIO,
  type AlertGroup,
  type AlertRule,
  type PipelineComponent,
} from "./pipeline-rules.js";
export {
  pipelineDashboard,
  pipelineDashboardConfigMap,
  GRAFANA_DASHBOARD_LABEL,
  PIPELINE_DASHBOARD_UID,
  type Dashboard,
  type DashboardPanel,
  type DashboardTarget,
} from "./pipeline-dashboard.js";
