export { crossComponentChecks } from "./checks.js";
