import { Alertmanager } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Alertmanager";
import { Prometheus } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Prometheus";
import { secretKeyProblems, secretNameProblems, tenantProblems, type Problem, type Stack } from "@o11y-gitops/core";
import { retentionProblems } from "./_retention.js";
import { buildKubePrometheusStackValues } from "./_kps-values.js";

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Every rule the metrics components rely on, as problems naming the stack path (empty when all hold):
 * - retention: durations parse strictly; Prometheus keeps ≥ 2 × the 2h block period; Thanos raw ≥ 40h and
 *   5m ≥ 10d while downsampling is on; raw ≤ 5m ≤ 1h;
 * - the Loki tenant is a valid tenant id, and the Thanos objstore Secret's name and key are valid
 *   (that Grafana, the sidecar and Thanos then agree is checked on the built components:
 *   `crossComponentChecks` in @o11y-gitops/stack);
 * - the operator specs passed straight through the chart (Prometheus storage and thanos, Alertmanager
 *   storage) pass the prometheus-operator's own schema.
 */
export function checkMetrics(stack: Stack): Problem[] {
  const problems = [...retentionProblems(stack), ...tenantProblems(stack)];

  problems.push(
    ...secretNameProblems("stack.secrets.thanosObjstore.name", stack.secrets.thanosObjstore.name),
    ...secretKeyProblems("stack.secrets.thanosObjstore.key", stack.secrets.thanosObjstore.key),
  );
  const kps = buildKubePrometheusStackValues(stack);

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
