import { Application } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application";
import { AppProject } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject";
import type { Component, K8sObject } from "./component.js";
import { MANAGED_BY, MANAGED_BY_LABEL, PART_OF_LABEL, SYNC_WAVE } from "./labels.js";
import { stackPartOf, type Stack } from "./stack.js";

/** A pinned chart: where ArgoCD fetches it from. `repository` is `https://…` or `oci://host/path`. */
export interface ChartPin {
  chart: string;
  version: string;
  repository: string;
}

/** ArgoCD's in-cluster destination server. */
export const IN_CLUSTER = "https://kubernetes.default.svc";

/** The name of the multi-source ref under which ArgoCD mounts our Git repo for `$values/...` paths. */
const VALUES_REF = "values";

/**
 * Where an ArgoCD source finds a pinned chart. A Helm repository (`https://…`) is addressed by its URL plus
 * `chart`; an OCI registry (`oci://host/path`) by the chart's own artifact, `oci://host/path/<chart>` with
 * `path: "."` (ArgoCD ≥ 3.1 pulls public OCI Helm charts natively). Neither needs a repository Secret:
 * both kinds of repository are public, so nothing about them has to be registered with ArgoCD.
 */
export function chartSource(pin: ChartPin): { repoURL: string; chart?: string; path?: string } {
  if (pin.repository.startsWith("oci://")) {
    return { repoURL: `${pin.repository.replace(/\/+$/, "")}/${pin.chart}`, path: "." };
  }
  return { repoURL: pin.repository, chart: pin.chart };
}

function commonLabels(stack: Stack): Record<string, string> {
  return { [MANAGED_BY_LABEL]: MANAGED_BY, [PART_OF_LABEL]: stackPartOf(stack) };
}

export interface HelmApplicationInput {
  stack: Stack;
  component: Pick<Component, "name" | "release" | "syncOptions" | "ignoreDifferences">;
  pin: ChartPin;
  wave: number;
  /** Path of the values file inside the Git repo, e.g. `kubernetes/apps/monitoring/values/loki.yaml`. */
  valuesFile: string;
}

/**
 * An ArgoCD Application installing one Helm chart with a values file from this Git repo (multi-source:
 * the chart repo, plus the Git repo as `$values`). Automated sync with prune and self-heal, retries
 * with backoff (the namespace and secrets come from Flux and may appear a little later).
 */
export function helmApplication(input: HelmApplicationInput): K8sObject {
  const { stack, component, pin, wave, valuesFile } = input;
  const app = new Application({
    metadata: {
      name: component.name,
      namespace: stack.gitops.argocdNamespace,
      labels: commonLabels(stack),
      annotations: { [SYNC_WAVE]: String(wave) },
      finalizers: ["resources-finalizer.argocd.argoproj.io"],
    },
    spec: {
      project: stack.gitops.argocdProject,
      sources: [
        {
          ...chartSource(pin),
          targetRevision: pin.version,
          helm: {
            releaseName: component.release,
            valueFiles: [`$${VALUES_REF}/${valuesFile}`],
          },
        },
        { repoURL: stack.gitops.repoURL, targetRevision: stack.gitops.revision, ref: VALUES_REF },
      ],
      destination: { server: IN_CLUSTER, namespace: stack.namespace },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: [...new Set(["CreateNamespace=false", ...(component.syncOptions ?? [])])],
        retry: { limit: 5, backoff: { duration: "30s", factor: 2, maxDuration: "5m" } },
      },
      ...(component.ignoreDifferences && component.ignoreDifferences.length > 0
        ? { ignoreDifferences: component.ignoreDifferences.map((d) => ({ ...d })) as never }
        : {}),
    },
  });
  app.validate();
  return app.toJSON() as K8sObject;
}

/**
 * The app-of-apps: one Application that syncs `kubernetes/apps/<namespace>/` (the Applications, and the
 * plain manifests beside them) from Git.
 */
export function rootApplication(stack: Stack, appsPath: string): K8sObject {
  const app = new Application({
    metadata: {
      name: `${stack.namespace}-apps`,
      namespace: stack.gitops.argocdNamespace,
      labels: commonLabels(stack),
      finalizers: ["resources-finalizer.argocd.argoproj.io"],
    },
    spec: {
      project: stack.gitops.argocdProject,
      source: { repoURL: stack.gitops.repoURL, targetRevision: stack.gitops.revision, path: appsPath },
      destination: { server: IN_CLUSTER, namespace: stack.gitops.argocdNamespace },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        retry: { limit: 5, backoff: { duration: "30s", factor: 2, maxDuration: "5m" } },
      },
    },
  });
  app.validate();
  return app.toJSON() as K8sObject;
}

/**
 * The AppProject the stack's Applications belong to: only our Git repo and the pinned chart repos as
 * sources, only the stack's namespace (plus the Applications themselves in ArgoCD's namespace, and the
 * namespaces components declare in `extraNamespaces`) as destinations. Cluster-scoped kinds are allowed
 * because kube-prometheus-stack and Alloy install CRDs, ClusterRoles and webhooks.
 */
export function appProject(stack: Stack, pins: readonly ChartPin[], extraNamespaces: readonly string[] = []): K8sObject {
  const sourceRepos = [...new Set([stack.gitops.repoURL, ...pins.map((p) => chartSource(p).repoURL)])].sort();
  const project = new AppProject({
    metadata: {
      name: stack.gitops.argocdProject,
      namespace: stack.gitops.argocdNamespace,
      labels: commonLabels(stack),
    },
    spec: {
      description: `Observability stack in namespace ${stack.namespace} (generated)`,
      sourceRepos,
      destinations: [
        ...new Set([stack.namespace, stack.gitops.argocdNamespace, ...[...extraNamespaces].sort()]),
      ].map((namespace) => ({ server: IN_CLUSTER, namespace })),
      clusterResourceWhitelist: [{ group: "*", kind: "*" }],
      namespaceResourceWhitelist: [{ group: "*", kind: "*" }],
    },
  });
  project.validate();
  return project.toJSON() as K8sObject;
}
