export {
  PROMETHEUS_WRITE_PATH,
  LOKI_PUSH_PATH,
  WRITE_PATHS,
  writeEndpoints,
  selectedWriteEndpoints,
  writeEndpoint,
  type WriteEndpoint,
  type WriteEndpointName,
} from "./endpoints.js";
export {
  BASIC_AUTH_FILE_KEY,
  checkWriteEndpoints,
  writeEndpointAnnotations,
  writeEndpointIngress,
  writeEndpointIngresses,
  type WriteEndpointOptions,
} from "./ingresses.js";
/** ingress-nginx's default annotation prefix; the one definition lives in core (the policy uses it too). */
export { INGRESS_NGINX_PREFIX } from "@o11y-gitops/core";
export { lokiTenantPinningValues, lokiTenantPinningFile, lokiTenantPinningPath } from "./tenant-pinning.js";
