// @o11y-gitops/template: the real Helm render of a generated tree and its checks.
export { templateStack, summary, deadValuesLine, type StackTemplateOptions } from "./template.js";
export { runTemplate, planJobs, writeRendered, type TemplateOptions, type TemplateResult } from "./run.js";
export { findHelm, HelmMissingError, parseRendered, templateArgs, setHelmConcurrency } from "./helm.js";
export { ChartSourceError, readLock, resolveChart, pullCommand, type LockedChart } from "./charts.js";
export { PlanError, type RenderJob } from "./plan.js";
export { CHECKS, type CheckName, type Finding, type Rendered, type RenderedObject } from "./objects.js";
export { clusterArgs, KUBE_VERSION, API_VERSIONS } from "./cluster.js";
export { DEFAULT_NAMING, HELM_INSTALL_HINT, HELM_PACKAGE, HELM_VERSION, type TemplateNaming } from "./naming.js";
export type { DeadValuesStats } from "./dead-values-run.js";
