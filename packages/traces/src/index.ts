export { tempoEndpoints } from "./endpoints.js";
export { tempoValues, tempoComponent } from "./tempo.js";
export { checkTempo } from "./check.js";
