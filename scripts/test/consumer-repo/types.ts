// What a TypeScript consumer gets from the published .d.ts: the Stack type, every builder's return type
// and the chart value types (from @o11y-gitops/chart-values/<chart>). A misspelled key does not compile.
import type { Component, Stack } from "@o11y-gitops/core";
import { validateValues } from "@o11y-gitops/chart-values";
import type { LokiValues } from "@o11y-gitops/chart-values/loki";
import type { KubePrometheusStackValues } from "@o11y-gitops/chart-values/kube-prometheus-stack";
import { lokiComponent, lokiValues } from "@o11y-gitops/logs";
import { kubePrometheusStackValues } from "@o11y-gitops/metrics";
import { stackComponents } from "@o11y-gitops/stack";
import { stack } from "./stack.config.js";

const typed: Stack = stack;
const loki: LokiValues = lokiValues(typed);
const kps: KubePrometheusStackValues = kubePrometheusStackValues(typed);
const component: Component<LokiValues> = lokiComponent(typed);
export const problems = [...validateValues("loki", loki), ...validateValues("kube-prometheus-stack", kps)];
export const names: string[] = [component.name, ...stackComponents(typed).map((c) => c.name)];

// @ts-expect-error: "bukcetNames" is not a key of the Loki chart's storage values
export const typo: LokiValues = { loki: { storage: { bukcetNames: { chunks: "c" } } } };
