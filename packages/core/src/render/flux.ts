// Flux: the stack namespace, the seeded SOPS secrets, the infrastructure and flux kustomizations, and .sops.yaml.
import type { ExtraFile, K8sObject } from "../component.js";
import { byCodeUnits } from "../fileset.js";
import { fluxConfigsKustomization, kustomizationIndex, sopsConfig, stackNamespace } from "../platform.js";
import { repoPath, type Stack } from "../stack.js";
import { yamlFile } from "../yaml.js";
import type { Tree } from "./tree.js";

/**
 * The configs folder (the Namespace and the secret skeletons, seeded once), the infrastructure and flux
 * kustomizations, and the SOPS rules for the seeded secrets (those in configs/ and the dotenv files among
 * `extraFiles`).
 */
export function renderFlux(tree: Tree, stack: Stack, seedSecrets: readonly K8sObject[], extraFiles: readonly ExtraFile[]): void {
  const { paths, header } = tree;
  const configResources: string[] = [`namespace-${stack.namespace}.yaml`];
  tree.addObject(`${paths.configs}/namespace-${stack.namespace}.yaml`, stackNamespace(stack));
  for (const s of seedSecrets) {
    const rel = `${s.metadata.name}.yaml`;
    tree.addObject(`${paths.configs}/${rel}`, s, "seed-once");
    configResources.push(rel);
  }
  tree.add(`${paths.configs}/kustomization.yaml`, yamlFile(header, [kustomizationIndex(configResources)]));
  // Only configs/ is for the cluster: a Flux Kustomization (or kubectl -k) pointed at infrastructure/
  // must not pick up the values fragments in infrastructure/monitoring/, which are not manifests.
  tree.add(
    `${paths.infrastructure}/kustomization.yaml`,
    yamlFile(header, [kustomizationIndex([paths.configs.slice(paths.infrastructure.length + 1)])]),
  );
  const fluxK = fluxConfigsKustomization(stack, repoPath(stack, paths.configs));
  tree.addObject(`${paths.flux}/${fluxK.metadata.name}.yaml`, fluxK);
  tree.add(`${paths.flux}/kustomization.yaml`, yamlFile(header, [kustomizationIndex([`${fluxK.metadata.name}.yaml`])]));
  // SOPS rules for exactly the dotenv secrets seeded here (e.g. the Docker-host Alloy's .sops.env).
  const dotenvSecrets = extraFiles
    .filter((f) => "text" in f && f.seedOnce === true && f.path.endsWith(".env"))
    .map((f) => f.path)
    .sort(byCodeUnits);
  tree.add(".sops.yaml", yamlFile(header, [sopsConfig(stack, paths.configs, dotenvSecrets)]));
}
