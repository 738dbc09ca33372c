// Check 4: the stack's Prometheus selects every ServiceMonitor, PodMonitor and PrometheusRule the tree
// produces (the Applications' renders, the fragments' renders and the tree's own manifests): the CR's
// selectors over the object's labels, its namespace selectors over the object's namespace.
import type { K8sObject, Stack } from "@o11y-gitops/core";
import { describe, namespaceOf, type Finding, type Rendered, type RenderedObject } from "../objects.js";
import { labelSelectorMatches } from "../workloads.js";

type Selector = Parameters<typeof labelSelectorMatches>[0];

const KINDS = {
  ServiceMonitor: ["serviceMonitorSelector", "serviceMonitorNamespaceSelector"],
  PodMonitor: ["podMonitorSelector", "podMonitorNamespaceSelector"],
  PrometheusRule: ["ruleSelector", "ruleNamespaceSelector"],
} as const;

/**
 * The labels a namespace carries: `kubernetes.io/metadata.name` (set by the API server on every namespace) and,
 * for namespaces the tree defines, the tree's labels.
 */
export function namespaceLabels(ns: string, treeNamespaces: readonly K8sObject[]): Record<string, string> {
  const own = treeNamespaces.find((n) => n.kind === "Namespace" && n.metadata.name === ns)?.metadata.labels ?? {};
  return { ...own, "kubernetes.io/metadata.name": ns };
}

/**
 * Whether a Prometheus CR in `promNs` picks an object (labels, namespace). Operator semantics: a missing (null)
 * object selector picks nothing, `{}` everything; a missing namespace selector means Prometheus's own namespace
 * only, `{}` every namespace.
 */
export function prometheusSelects(spec: Record<string, unknown>, kind: keyof typeof KINDS, promNs: string, labels: Record<string, string>, ns: string, nsLabels: Record<string, string>): string | undefined {
  const [sel, nsSel] = KINDS[kind];
  const objectSelector = spec[sel] as Selector;
  if (objectSelector === undefined || objectSelector === null) return `${sel} is not set (selects none)`;
  if (!labelSelectorMatches(objectSelector, labels)) return `${sel} ${JSON.stringify(objectSelector)} does not match its labels ${JSON.stringify(labels)}`;
  const namespaceSelector = spec[nsSel] as Selector;
  if (namespaceSelector === undefined || namespaceSelector === null) return ns === promNs ? undefined : `${nsSel} is not set (only ${promNs})`;
  if (!labelSelectorMatches(namespaceSelector, nsLabels)) return `${nsSel} ${JSON.stringify(namespaceSelector)} does not match namespace ${ns}`;
  return undefined;
}

/** Every monitor and rule of the renders and the tree, checked against the stack's Prometheus CR(s). */
export function selectionFindings(renders: readonly Rendered[], stack: Stack, treeObjects: readonly K8sObject[], treeNamespaces: readonly K8sObject[]): Finding[] {
  const proms = renders
    .filter((r) => r.job.release === stack.releases.kubePrometheusStack && r.job.kind === "application")
    .flatMap((r) => r.objects.filter((o) => o.kind === "Prometheus").map((o) => ({ o, job: r.job })));
  if (proms.length === 0) return [{ job: "(stack)", check: "selection", message: `no Prometheus rendered by release ${stack.releases.kubePrometheusStack}` }];
  const objects: { o: RenderedObject; ns: string; what: string; job: string }[] = [
    ...renders.flatMap((r) => r.objects.map((o) => ({ o, ns: namespaceOf(o, r.job), what: describe(o, r.job), job: r.job.name }))),
    ...treeObjects.map((o) => ({ o: o as RenderedObject, ns: o.metadata.namespace ?? stack.namespace, what: `${o.kind} ${o.metadata.namespace ?? stack.namespace}/${o.metadata.name}`, job: "(tree)" })),
  ];
  const findings: Finding[] = [];
  for (const { o, ns, what, job } of objects) {
    if (!(o.kind && o.kind in KINDS)) continue;
    for (const p of proms) {
      const why = prometheusSelects((p.o.spec ?? {}) as Record<string, unknown>, o.kind as keyof typeof KINDS, namespaceOf(p.o, p.job), o.metadata?.labels ?? {}, ns, namespaceLabels(ns, treeNamespaces));
      if (why) findings.push({ job, check: "selection", message: `${what}: ${describe(p.o, p.job)} does not select it: ${why}` });
    }
  }
  return findings;
}
