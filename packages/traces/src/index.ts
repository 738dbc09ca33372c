export { tempoEndpoints } from "./endpoints.js";
export { tempoValues, tempoComponent, TEMPO_GENERATOR_PROCESSORS, type TempoOptions } from "./tempo.js";
export { checkTempo } from "./check.js";
