// Public building blocks of the infrastructure fragments: chart list, alert-rule shape, Prometheus's
// identity, and Helm-style layering of values files.
import type { Stack } from "@o11y-gitops/core";
import { kpsFullname } from "../_fullname.js";

/** The charts this module writes monitoring fragments for, as pinned in `schemas/charts.lock.json`. */
export const INFRA_CHARTS = ["ingress-nginx", "metallb", "rook-ceph", "rook-ceph-cluster", "cert-manager"] as const;
/** One of `INFRA_CHARTS`. */
export type InfraChart = (typeof INFRA_CHARTS)[number];

/** A Prometheus alerting rule, as the charts' PrometheusRule templates render it. */
export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: "info" | "warning" | "critical"; [key: string]: string };
  annotations: { summary: string; description: string; [key: string]: string };
}

/** The ServiceAccount and namespace Prometheus runs as; charts that grant it RBAC need both. */
export interface PrometheusIdentity {
  serviceAccount: string;
  namespace: string;
}

/**
 * kube-prometheus-stack's Prometheus ServiceAccount for the stack's release: the chart's
 * `kube-prometheus-stack.prometheus.serviceAccountName` default, `<fullname>-prometheus`.
 */
export function stackPrometheusIdentity(stack: Stack): PrometheusIdentity {
  return { serviceAccount: `${kpsFullname(stack.releases.kubePrometheusStack)}-prometheus`, namespace: stack.namespace };
}

/**
 * Layers values files the way Helm does (`-f a -f b`, ArgoCD `valueFiles`, Flux `valuesFrom`): maps merge
 * key by key, later lists and scalars replace earlier ones, and a later `null` deletes the key.
 */
export function layerValues<V extends object>(base: V, ...layers: readonly V[]): V {
  return layers.reduce<V>((acc, layer) => mergeMaps(acc as Record<string, unknown>, layer as Record<string, unknown>) as V, base);
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function mergeMaps(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    if (v === null) delete out[k];
    else if (isMap(v) && isMap(out[k])) out[k] = mergeMaps(out[k] as Record<string, unknown>, v);
    else out[k] = v;
  }
  return out;
}
