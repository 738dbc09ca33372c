import type { IngressNginxValues } from "@o11y-gitops/chart-values/ingress-nginx";
import { treePaths, type ExtraFile, type Stack } from "@o11y-gitops/core";

/**
 * ingress-nginx values that pin Loki's tenant for everything behind the controller: the chart's
 * `controller.proxySetHeaders` becomes the controller's `proxy-set-headers` ConfigMap, rendered as
 * `proxy_set_header X-Scope-OrgID <tenant>` in every location, which replaces whatever a client sent.
 * Opt-in and controller-wide: every backend of that controller receives the header (harmless for
 * backends that ignore it; it also pins any other multi-tenant backend behind the same controller).
 */
export function lokiTenantPinningValues(stack: Stack): IngressNginxValues {
  return { controller: { proxySetHeaders: { "X-Scope-OrgID": stack.lokiTenant } } };
}

/** Where the opt-in fragment is rendered: beside, not inside, anything Flux or ArgoCD applies. */
export function lokiTenantPinningPath(stack: Stack): string {
  return `${treePaths(stack).infrastructure}/ingress-nginx/pin-loki-tenant.values.yaml`;
}

/** The opt-in fragment as a values file, validated against the pinned ingress-nginx chart by render. */
export function lokiTenantPinningFile(stack: Stack): ExtraFile {
  return {
    path: lokiTenantPinningPath(stack),
    yaml: lokiTenantPinningValues(stack),
    valuesOf: "ingress-nginx",
    header: [
      `Opt-in: pins Loki's tenant to "${stack.lokiTenant}" for every request through this ingress-nginx controller.`,
      "Without it, the Loki push endpoint forwards a client-supplied X-Scope-OrgID (see the README of @o11y-gitops/ingress).",
      "Controller-wide: every backend of the controller receives the header. Layer it onto the ingress-nginx",
      "release: helm -f <this file>; ArgoCD helm.valueFiles ($values/<this path>); Flux: this file in a",
      "ConfigMap (kustomize configMapGenerator) named in the HelmRelease's spec.valuesFrom.",
      "If the release already sets controller.config.proxy-set-headers, that setting replaces this one.",
      "Later changes to the header ConfigMap do not reload the controller: restart it to apply them.",
    ],
  };
}
