export type * from "./stack.js";
export { defineStack, stackPartOf, repoPath, STACK_DEFAULTS, withComponentDefaults } from "./stack.js";
export { DEFAULT_TOOLING, rerunCommand, type Tooling } from "./tooling.js";
export { stackShapeProblems, stackInputShapeProblems, STACK_SHAPE, type ObjectShape, type ShapeFor } from "./stack-shape.js";
export type { K8sObject, Component, ExtraValue, ExtraFile, ServiceEndpoint } from "./component.js";
export { serviceEndpoint } from "./component.js";
export { type Problem, StackError, formatProblem, assertNoProblems } from "./problems.js";
export { parseDuration, durationToHours } from "./duration.js";
export { syncWaves } from "./waves.js";
export { SYNC_WAVE, MANAGED_BY, MANAGED_BY_LABEL, PART_OF_LABEL, FLUX_PRUNE_ANNOTATION, FLUX_PRUNE_DISABLED } from "./labels.js";
export {
  type ChartPin,
  chartSource,
  helmApplication,
  rootApplication,
  appProject,
} from "./argocd.js";
export { stackNamespace, kustomizationIndex, fluxConfigsKustomization, sopsConfig } from "./platform.js";
export { validateK8sObject } from "./k8s-validate.js";
export type { FileRole, RenderedFile, FileSet } from "./fileset.js";
export { render, treePaths, type RenderInput, type RenderResult, type ValuesValidator } from "./render/index.js";
export {
  plan,
  apply,
  writeAtomic,
  isSopsEncrypted,
  OWNERSHIP_INDEX,
  TreeRefusedError,
  PartialWriteError,
  type Plan,
  type PlanOptions,
  type Change,
  type WriterFs,
} from "./writer.js";
export { runGenerate, EXIT, type GenerateOptions } from "./generate.js";
export { toYaml, orderK8sKeys, yamlFile, parseYaml } from "./yaml.js";
export {
  checkTreePolicy,
  checkFilesPolicy,
  policyOptionsForStack,
  isCredentialKey,
  POLICY_MESSAGES,
  type PolicyOptions,
  type PolicyFile,
  type PolicyResult,
} from "./policy/index.js";
export { INGRESS_ANNOTATION_ALLOWLIST, INGRESS_NGINX_PREFIX } from "./ingress-nginx.js";
export {
  PLACEHOLDER_PREFIX,
  PLACEHOLDER_PATTERN,
  PLACEHOLDERS,
  placeholder,
  isPlaceholder,
  checkS3Credentials,
  s3CredentialsSecret,
  s3CredentialEnv,
  S3_CREDENTIAL_ENV,
  type SecretEnvVar,
  thanosObjstoreConfig,
  thanosObjstoreSecret,
  CONFIG_FINGERPRINT_ANNOTATION,
  basicAuthSecret,
  grafanaAdminSecret,
  secretSkeletons,
  type S3Credentials,
  type Placeholders,
} from "./secrets.js";
export {
  durationSeconds,
  hoursMinutesSeconds,
  bucketProblems,
  objectStoreProblems,
  s3SecretProblems,
  secretNameProblems,
  secretKeyProblems,
  volumeProblems,
  releaseProblems,
  dnsLabelProblems,
  dnsSubdomainProblems,
  labelValueProblems,
  quantityProblems,
  stackConfigProblems,
  withCheckedStack,
} from "./stack-checks.js";
export { componentSelectionProblems, tenantProblems } from "./stack-checks.js";
export { helmFullname, truncTrim } from "./helm-names.js";
