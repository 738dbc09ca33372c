// Monitoring values fragments for the homelab's infrastructure charts (deployed elsewhere): ingress-nginx,
// MetalLB, Rook (operator and cluster) and cert-manager.
export { INFRA_CHARTS, layerValues, stackPrometheusIdentity, type AlertRule, type InfraChart, type PrometheusIdentity } from "./shared.js";
export {
  checkIngressNginxAlertOptions,
  checkIngressNginxMonitoring,
  ingressNginxAlertRules,
  ingressNginxMonitoring,
  type IngressNginxAlertOptions,
  type IngressNginxMonitoringOptions,
} from "./ingress-nginx.js";
export { checkMetallbMonitoring, frrK8sBgpSessionDownRule, metallbMonitoring, type MetallbMonitoringOptions } from "./metallb.js";
export {
  checkRookCephClusterMonitoring,
  checkRookCephMonitoring,
  checkRookMonitoringPair,
  rookCephClusterMonitoring,
  rookCephMonitoring,
  type RookCephClusterMonitoringOptions,
  type RookCephMonitoringOptions,
} from "./rook-ceph.js";
export { certManagerMonitoring, checkCertManagerMonitoring } from "./cert-manager.js";
export {
  checkInfraMonitoring,
  infraMonitoringFiles,
  infraMonitoringHeader,
  infraMonitoringPath,
  infraMonitoringValues,
  type InfraMonitoringOptions,
  type InfraMonitoringValues,
} from "./files.js";
