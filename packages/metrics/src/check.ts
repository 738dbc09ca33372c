import { Alertmanager } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Alertmanager";
import { Prometheus } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Prometheus";
import type { KubePrometheusStackValues } from "@o11y-gitops/chart-values/kube-prometheus-stack";
import type { Problem, Stack } from "@o11y-gitops/core";
import { retentionProblems } from "./_retention.js";

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * The rules on the fields only the metrics components read, as problems naming the stack path (empty when
 * all hold): the scrape interval and the retentions parse strictly; Prometheus keeps ≥ 2 × the 2h block
 * period; Thanos raw ≥ 40h and 5m ≥ 10d while downsampling is on; raw ≤ 5m ≤ 1h; the remote-write backfill
 * lies between 1h and the local retention. The shared fields they read (the Loki tenant, the Thanos objstore
 * Secret's name and key) are checked once by core's `stackConfigProblems`; that Grafana, the sidecar and
 * Thanos then agree is checked on the built components (`crossComponentChecks` in @o11y-gitops/stack).
 */
export function checkMetrics(stack: Stack): Problem[] {
  return retentionProblems(stack);
}

/**
 * The operator specs kube-prometheus-stack's values pass straight through the chart (Prometheus storage and
 * thanos, Alertmanager storage), against the prometheus-operator's own schema. Checked where the values are
 * built (`kubePrometheusStackValues`), so they are built once.
 */
export function operatorSpecProblems(kps: KubePrometheusStackValues): Problem[] {
  const problems: Problem[] = [];
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
