import type { ChartPin, Component, RenderInput, Stack } from "../src/index.js";
import { stack as homelab } from "../../../stack.config.js";

export const stack: Stack = homelab;

export const pins: Record<string, ChartPin> = {
  demo: { chart: "demo", version: "1.2.3", repository: "https://charts.example.org" },
  ocidemo: { chart: "ocidemo", version: "4.5.6", repository: "oci://registry.example.org/charts" },
};

/** A validator for the fake charts: `demo` values must not have `bad`. */
export const validateValues: RenderInput["validateValues"] = (_chart, values) =>
  values && typeof values === "object" && "bad" in values
    ? [{ path: "(root)", message: 'must NOT have additional property "bad"' }]
    : [];

export function component(overrides: Partial<Component> & { name: string }): Component {
  return { chart: "demo", release: overrides.name, dependsOn: [], values: { a: 1 }, manifests: [], ...overrides };
}

export function input(overrides: Partial<RenderInput> = {}): RenderInput {
  return {
    stack,
    components: [component({ name: "base" }), component({ name: "top", chart: "ocidemo", dependsOn: ["base"] })],
    pins,
    validateValues,
    ...overrides,
  };
}
