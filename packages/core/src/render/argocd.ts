// The ArgoCD wiring: the AppProject and the app-of-apps (the chart repositories are public: nothing to register).
import { appProject, rootApplication, type ChartPin } from "../argocd.js";
import type { Component } from "../component.js";
import { kustomizationIndex } from "../platform.js";
import { repoPath, type Stack } from "../stack.js";
import { yamlFile } from "../yaml.js";
import type { Tree } from "./tree.js";

/** The AppProject (sources: the pins in use; destinations: the stack's and the components' extra namespaces), the root Application and their kustomization. */
export function renderArgocd(tree: Tree, stack: Stack, components: readonly Component[], usedPins: readonly ChartPin[]): void {
  const { paths, header } = tree;
  const argoResources: string[] = [];
  const project = appProject(stack, [...usedPins], components.flatMap((c) => c.extraNamespaces ?? []));
  tree.addObject(`${paths.argocd}/appproject-${stack.gitops.argocdProject}.yaml`, project);
  argoResources.push(`appproject-${stack.gitops.argocdProject}.yaml`);
  const root = rootApplication(stack, repoPath(stack, paths.apps));
  tree.addObject(`${paths.argocd}/application-${root.metadata.name}.yaml`, root);
  argoResources.push(`application-${root.metadata.name}.yaml`);
  tree.add(`${paths.argocd}/kustomization.yaml`, yamlFile(header, [kustomizationIndex(argoResources)]));
}
