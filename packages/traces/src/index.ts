export { tempoEndpoints } from "./endpoints.js";
