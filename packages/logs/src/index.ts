export { lokiEndpoints } from "./endpoints.js";
export { lokiValues, lokiComponent, LOKI_SCHEMA_FROM } from "./loki.js";
export { checkLoki } from "./check.js";
