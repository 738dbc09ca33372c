export {
  alloyConfig,
  toValue,
  type AlloyAttribute,
  type AlloyBlock,
  type AlloyComponentBlock,
  type AlloyComponentId,
  type AlloyConfig,
  type AlloyField,
  type AlloyInput,
  type AlloyRef,
  type AlloyStatement,
  type AlloyValue,
} from "./alloy-model.js";
export {
  emitAlloy,
  checkAlloy,
  alloyReferences,
  quoteAlloyString,
  isAlloyIdentifier,
  type AlloyReference,
  type EmitAlloyOptions,
} from "./alloy-emit.js";
export { checkCollectors } from "./check.js";
export { k8sAlloyConfig, alloyValues, alloyComponent, OTLP_PORTS, POD_LOGS_DIR, K8S_STORAGE_PATH, ALLOY_RBAC_RULES, SPAN_K8S_METADATA } from "./k8s.js";
export {
  dockerAlloyConfig,
  dockerAlloyCompose,
  dockerAlloyFiles,
  DOCKER_ALLOY_ENV_FILE,
  DOCKER_ALLOY_PASSWORD_ENV,
  DOCKER_HOST_MOUNTS,
  PASSWORD_GUARD_EXIT,
  passwordGuardScript,
  dockerRemoteWriteKeepalive,
  dockerWriteUrls,
  type DockerAlloyCompose,
} from "./docker.js";
