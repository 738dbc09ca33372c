export { LOKI_PUSH_PATH, lokiEndpoints } from "./endpoints.js";
export { lokiValues, lokiComponent, LOKI_SCHEMA_FROM } from "./loki.js";
export { checkLoki } from "./check.js";
