// stack.components: its defaults, its run-time shape, and the contradictions refused with their config path.
import { describe, expect, it } from "vitest";
import {
  componentSelectionProblems,
  defineStack,
  stackConfigProblems,
  stackInputShapeProblems,
  STACK_DEFAULTS,
  withComponentDefaults,
  type ComponentsInput,
  type Problem,
  type StackInput,
} from "../src/index.js";
import { stack } from "./_fixtures.js";

const lines = (ps: readonly Problem[]): string[] => ps.map((p) => `${p.path}: ${p.message}`);
const input = (components?: ComponentsInput): StackInput => {
  const { components: _c, ...rest } = stack;
  return components === undefined ? rest : { ...rest, components };
};

describe("stack.components defaults", () => {
  it("everything is on when the field is left out", () => {
    expect(defineStack(input()).components).toEqual(STACK_DEFAULTS.components);
    expect(Object.values(STACK_DEFAULTS.components).flatMap((v) => (typeof v === "object" ? Object.values(v) : [v])).every((v) => v === true)).toBe(true);
  });

  it.each<[string, ComponentsInput, Record<string, unknown>]>([
    ["one top-level flag", { tempo: false }, { tempo: false, loki: true, writeEndpoints: { prometheus: true, loki: true } }],
    ["one nested flag, its siblings stay on", { writeEndpoints: { loki: false } }, { loki: true, writeEndpoints: { prometheus: true, loki: false } }],
    [
      "one fragment",
      { infraMonitoring: { rookCeph: false } },
      { infraMonitoring: { ingressNginx: true, metallb: true, rookCeph: false, rookCephCluster: true, certManager: true, lokiTenantPinning: true } },
    ],
    ["an explicit undefined does not switch a flag off", { thanos: undefined as unknown as boolean }, { thanos: true }],
  ])("%s", (_name, given, want) => {
    expect(defineStack(input(given)).components).toMatchObject(want);
    expect(withComponentDefaults(given)).toEqual(defineStack(input(given)).components);
  });
});

describe("stack.components shape (plain-JS configs)", () => {
  it.each<[string, unknown, string[]]>([
    ["a misspelled flag", { tempoo: false }, ['stack.components: unknown key "tempoo" (did you mean "tempo"?)']],
    ["a string for a flag", { loki: "no" }, ['stack.components.loki: expected true or false, found string "no"']],
    ["an unknown fragment", { infraMonitoring: { longhorn: false } }, ['stack.components.infraMonitoring: unknown key "longhorn"']],
    ["a flag for a group", { writeEndpoints: false }, ["stack.components.writeEndpoints: expected an object, found boolean false"]],
    ["an empty group", { writeEndpoints: {} }, []],
    ["nothing", undefined, []],
  ])("%s", (_name, components, want) => {
    expect(lines(stackInputShapeProblems(input(components as ComponentsInput)))).toEqual(want);
  });
});

describe("contradictions in stack.components", () => {
  it.each<[string, ComponentsInput, string[]]>([
    ["everything on", {}, []],
    [
      "the Loki push endpoint without Loki",
      { loki: false, infraMonitoring: { lokiTenantPinning: false } },
      ["stack.components.writeEndpoints.loki: the Loki push endpoint needs Loki (stack.components.loki is false)"],
    ],
    ["Loki off with its endpoint and pinning off", { loki: false, writeEndpoints: { loki: false }, infraMonitoring: { lokiTenantPinning: false } }, []],
    [
      "Kubernetes collectors with neither logs nor traces",
      { loki: false, tempo: false, writeEndpoints: { loki: false }, infraMonitoring: { lokiTenantPinning: false } },
      [
        "stack.components.k8sCollectors: the Kubernetes collectors ship pod logs to Loki and traces to Tempo, and both are off (stack.components.loki and stack.components.tempo are false)",
      ],
    ],
    ["Kubernetes collectors with traces only", { loki: false, writeEndpoints: { loki: false }, infraMonitoring: { lokiTenantPinning: false } }, []],
    [
      "Docker hosts without any write endpoint",
      { writeEndpoints: { prometheus: false, loki: false }, infraMonitoring: { lokiTenantPinning: false } },
      [
        "stack.components.dockerHosts: the Docker hosts push only through the write endpoints, and both are off (stack.components.writeEndpoints.prometheus and .loki are false)",
      ],
    ],
    ["Docker hosts with the Loki push endpoint only", { writeEndpoints: { prometheus: false } }, []],
    [
      "tenant pinning without the Loki push endpoint",
      { writeEndpoints: { loki: false } },
      ["stack.components.infraMonitoring.lokiTenantPinning: pins the tenant of the Loki push endpoint, which is off (stack.components.writeEndpoints.loki is false)"],
    ],
    [
      "several at once, in config order",
      { loki: false, tempo: false, writeEndpoints: { prometheus: false } },
      [
        "stack.components.writeEndpoints.loki: the Loki push endpoint needs Loki (stack.components.loki is false)",
        "stack.components.k8sCollectors: the Kubernetes collectors ship pod logs to Loki and traces to Tempo, and both are off (stack.components.loki and stack.components.tempo are false)",
      ],
    ],
    ["kube-prometheus-stack alone", { thanos: false, loki: false, tempo: false, k8sCollectors: false, dockerHosts: false, writeEndpoints: { prometheus: false, loki: false }, infraMonitoring: { lokiTenantPinning: false } }, []],
  ])("%s", (_name, components, want) => {
    const s = defineStack(input(components));
    expect(lines(componentSelectionProblems(s))).toEqual(want);
    // stackConfigProblems (run by stackProblems and render) reports exactly these for an otherwise valid stack.
    expect(lines(stackConfigProblems(s))).toEqual(want);
  });
});
