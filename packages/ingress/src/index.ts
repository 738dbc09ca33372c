export {
  PROMETHEUS_WRITE_PATH,
  LOKI_PUSH_PATH,
  WRITE_PATHS,
  writeEndpoints,
  writeEndpoint,
  type WriteEndpoint,
  type WriteEndpointName,
} from "./endpoints.js";
export {
  INGRESS_NGINX_PREFIX,
  checkWriteEndpoints,
  writeEndpointAnnotations,
  writeEndpointIngress,
  writeEndpointIngresses,
  type WriteEndpointOptions,
} from "./ingresses.js";
