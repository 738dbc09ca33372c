export { lokiEndpoints } from "./endpoints.js";
