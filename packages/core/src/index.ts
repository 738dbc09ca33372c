export type * from "./stack.js";
export type { K8sObject, Component, ExtraValue, ExtraFile, ServiceEndpoint } from "./component.js";
export { serviceEndpoint } from "./component.js";
