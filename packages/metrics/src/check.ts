import { Alertmanager } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Alertmanager";
import { Prometheus } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Prometheus";
import { tenantProblems, type Problem, type Stack } from "@o11y-gitops/core";
import { DATASOURCE_UID, LOKI_TENANT_HEADER } from "./_constants.js";
import { retentionProblems } from "./_retention.js";
import { buildKubePrometheusStackValues } from "./_kps-values.js";
import { buildThanosValues } from "./_thanos-values.js";

/** A Secret name: a DNS-1123 subdomain. */
const SECRET_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Every rule the metrics components rely on, as problems naming the stack path (empty when all hold):
 * - retention: durations parse strictly; Prometheus keeps ≥ 2 × the 2h block period; Thanos raw ≥ 40h and
 *   5m ≥ 10d while downsampling is on; raw ≤ 5m ≤ 1h;
 * - the Loki tenant is a valid tenant id and is exactly what Grafana's Loki datasource sends;
 * - the Thanos objstore Secret (name and key) is one value, read by both the sidecar and every Thanos
 *   component, and the key is one the Secret declares;
 * - the operator specs passed straight through the chart (Prometheus storage and thanos, Alertmanager
 *   storage) pass the prometheus-operator's own schema.
 */
export function checkMetrics(stack: Stack): Problem[] {
  const problems = [...retentionProblems(stack), ...tenantProblems(stack)];

  const objstore = stack.secrets.thanosObjstore;
  if (!SECRET_NAME.test(objstore.name) || objstore.name.length > 253) {
    problems.push({ path: "stack.secrets.thanosObjstore.name", message: `${JSON.stringify(objstore.name)} is not a valid Secret name (DNS-1123 subdomain)` });
  }
  if (!objstore.keys.includes(objstore.key)) {
    problems.push({
      path: "stack.secrets.thanosObjstore.key",
      message: `${JSON.stringify(objstore.key)} is not one of the Secret's keys ${JSON.stringify(objstore.keys)}`,
    });
  }

  const kps = buildKubePrometheusStackValues(stack);
  const thanos = buildThanosValues(stack);

  // Grafana's Loki datasource must send the stack's tenant.
  const loki = kps.grafana?.additionalDataSources?.find((d) => d.uid === DATASOURCE_UID.loki);
  const header = loki?.jsonData?.httpHeaderName1;
  const tenant = loki?.secureJsonData?.httpHeaderValue1;
  if (header !== LOKI_TENANT_HEADER || tenant !== stack.lokiTenant) {
    problems.push({
      path: "stack.lokiTenant",
      message: `Grafana's Loki datasource sends ${String(header)}: ${JSON.stringify(tenant)}, not ${LOKI_TENANT_HEADER}: ${JSON.stringify(stack.lokiTenant)}`,
    });
  }

  // One objstore Secret for the sidecar and for Thanos.
  const sidecarSecret = kps.prometheus?.prometheusSpec?.thanos?.objectStorageConfig?.existingSecret;
  const thanosItem = thanos.existingObjstoreSecretItems?.[0];
  if (
    sidecarSecret?.name !== thanos.existingObjstoreSecret ||
    sidecarSecret?.name !== objstore.name ||
    sidecarSecret?.key !== thanosItem?.key
  ) {
    problems.push({
      path: "stack.secrets.thanosObjstore",
      message: `the Thanos sidecar reads ${JSON.stringify(`${sidecarSecret?.name}/${sidecarSecret?.key}`)} but Thanos reads ${JSON.stringify(`${thanos.existingObjstoreSecret}/${thanosItem?.key}`)}`,
    });
  }

  // The operator specs the chart passes through, against the operator's own schema.
  const spec = kps.prometheus?.prometheusSpec;
  const { objectStorageConfig, secretProviderClass: _spc, ...thanosSpec } = spec?.thanos ?? {};
  const secretRef = objectStorageConfig?.existingSecret;
  try {
    new Prometheus({
      metadata: { name: "kube-prometheus-stack" },
      spec: {
        ...(spec?.storageSpec ? { storage: spec.storageSpec } : {}),
        thanos: { ...thanosSpec, ...(secretRef ? { objectStorageConfig: { name: secretRef.name, key: secretRef.key } } : {}) },
      },
    }).validate();
  } catch (e) {
    problems.push({ path: "kube-prometheus-stack values: prometheus.prometheusSpec", message: message(e) });
  }
  const amStorage = kps.alertmanager?.alertmanagerSpec?.storage;
  try {
    new Alertmanager({ metadata: { name: "kube-prometheus-stack" }, spec: { ...(amStorage ? { storage: amStorage } : {}) } }).validate();
  } catch (e) {
    problems.push({ path: "kube-prometheus-stack values: alertmanager.alertmanagerSpec", message: message(e) });
  }
  return problems;
}
