export { metricsEndpoints } from "./endpoints.js";
