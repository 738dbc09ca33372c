export { stackInput, stackProblems, stackComponents } from "./stack-input.js";
export { crossComponentChecks } from "./checks.js";
