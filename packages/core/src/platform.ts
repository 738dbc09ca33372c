import { Namespace } from "kubernetes-models/v1/Namespace";
import { Kustomization as FluxKustomization } from "@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1/Kustomization";
import type { K8sObject } from "./component.js";
import { byCodeUnits } from "./fileset.js";
import { FLUX_PRUNE_ANNOTATION, FLUX_PRUNE_DISABLED, MANAGED_BY, MANAGED_BY_LABEL, PART_OF_LABEL } from "./labels.js";
import { stackPartOf, type Stack } from "./stack.js";

/**
 * The stack's namespace with Pod Security Admission labels: `privileged` enforced (node-exporter needs
 * hostNetwork, hostPID and hostPath), `baseline` for warnings and audit so everything else still gets
 * flagged. Flux applies it with `prune: true`, so it carries `kustomize.toolkit.fluxcd.io/prune: disabled`:
 * deleting or renaming the Flux Kustomization, or moving this file, must not delete the namespace and with
 * it every PVC (Prometheus' head block, the Loki and Tempo WALs, Grafana's database).
 */
export function stackNamespace(stack: Stack): K8sObject {
  const ns = new Namespace({
    metadata: {
      name: stack.namespace,
      annotations: { [FLUX_PRUNE_ANNOTATION]: FLUX_PRUNE_DISABLED },
      labels: {
        [MANAGED_BY_LABEL]: MANAGED_BY,
        [PART_OF_LABEL]: stackPartOf(stack),
        "pod-security.kubernetes.io/enforce": stack.podSecurity.enforce,
        "pod-security.kubernetes.io/enforce-version": "latest",
        "pod-security.kubernetes.io/warn": stack.podSecurity.warn,
        "pod-security.kubernetes.io/warn-version": "latest",
        "pod-security.kubernetes.io/audit": stack.podSecurity.warn,
        "pod-security.kubernetes.io/audit-version": "latest",
      },
    },
  });
  ns.validate();
  return ns.toJSON() as K8sObject;
}

/** A kustomize `kustomization.yaml` listing resources (file names relative to its folder), sorted. */
export function kustomizationIndex(resources: readonly string[]): Record<string, unknown> {
  return {
    apiVersion: "kustomize.config.k8s.io/v1beta1",
    kind: "Kustomization",
    resources: [...resources].sort(byCodeUnits),
  };
}

/**
 * The Flux Kustomization that applies `path` (the namespace and SOPS-encrypted secrets) with SOPS
 * decryption through the age key in `stack.gitops.sopsAgeSecret`.
 */
export function fluxConfigsKustomization(stack: Stack, path: string): K8sObject {
  const k = new FluxKustomization({
    metadata: {
      name: `${stack.namespace}-configs`,
      namespace: stack.gitops.fluxNamespace,
      labels: { [MANAGED_BY_LABEL]: MANAGED_BY, [PART_OF_LABEL]: stackPartOf(stack) },
    },
    spec: {
      interval: "10m",
      retryInterval: "1m",
      path: `./${path}`,
      prune: true,
      wait: true,
      sourceRef: { kind: "GitRepository", name: stack.gitops.fluxSource },
      decryption: { provider: "sops", secretRef: { name: stack.gitops.sopsAgeSecret } },
    },
  });
  k.validate();
  return k.toJSON() as K8sObject;
}

/**
 * `.sops.yaml`: encrypt only `data`/`stringData` of the Kubernetes Secrets in `secretsDir` (where the
 * seeded Secrets live, so metadata stays readable for Flux and review), and each seeded dotenv secret
 * whole: one rule per path in `dotenvPaths`. Paths are relative to the output root.
 */
export function sopsConfig(stack: Stack, secretsDir: string, dotenvPaths: readonly string[]): Record<string, unknown> {
  const age = stack.gitops.sopsAgeRecipients.join(",");
  return {
    creation_rules: [
      {
        path_regex: `^${escapeRegex(secretsDir)}/[^/]+\\.ya?ml$`,
        encrypted_regex: "^(data|stringData)$",
        age,
      },
      ...[...new Set(dotenvPaths)].sort(byCodeUnits).map((path) => ({ path_regex: `^${escapeRegex(path)}$`, age })),
    ],
  };
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
