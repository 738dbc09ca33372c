import type { Component, Problem, Stack } from "@o11y-gitops/core";

/** Components whose manifests use prometheus-operator CRDs must sync after the chart that installs them. */
const CRD_PROVIDER = "kube-prometheus-stack";

/**
 * Invariants across components, checked on the built components (not on the config alone, so a builder
 * that drifts from the stack config is caught):
 * - objects of prometheus-operator kinds ride only with components that depend on the CRD provider;
 * - Alloy depends on Loki and Tempo (it pushes to both).
 */
export function crossComponentChecks(stack: Stack, components: readonly Component[]): Problem[] {
  const problems: Problem[] = [];
  const byName = new Map(components.map((c) => [c.name, c]));
  const dependsOn = (name: string, target: string, seen = new Set<string>()): boolean => {
    if (seen.has(name)) return false;
    seen.add(name);
    const c = byName.get(name);
    return !!c && c.dependsOn.some((d) => d === target || dependsOn(d, target, seen));
  };
  for (const c of components) {
    if (c.name === CRD_PROVIDER) continue;
    const crdKinds = c.manifests.filter((m) => m.apiVersion.startsWith("monitoring.coreos.com/"));
    if (crdKinds.length > 0 && !dependsOn(c.name, CRD_PROVIDER)) {
      problems.push({
        path: `components.${c.name}.dependsOn`,
        message: `renders ${crdKinds[0]!.kind} but does not depend on ${CRD_PROVIDER}, which installs its CRD`,
      });
    }
  }
  const alloy = byName.get("alloy");
  if (alloy) {
    for (const dep of ["loki", "tempo"]) {
      if (byName.has(dep) && !dependsOn("alloy", dep)) {
        problems.push({ path: "components.alloy.dependsOn", message: `must include "${dep}" (Alloy pushes to it)` });
      }
    }
  }
  void stack;
  return problems;
}
