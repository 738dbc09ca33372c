import { describe, expect, it } from "vitest";
import { syncWaves } from "../src/index.js";

describe("syncWaves", () => {
  it.each([
    ["no deps", [{ name: "a", dependsOn: [] }], { a: 1 }],
    [
      "the seed's order",
      [
        { name: "kube-prometheus-stack", dependsOn: [] },
        { name: "thanos", dependsOn: ["kube-prometheus-stack"] },
        { name: "loki", dependsOn: ["kube-prometheus-stack"] },
        { name: "tempo", dependsOn: ["kube-prometheus-stack"] },
        { name: "alloy", dependsOn: ["loki", "tempo"] },
      ],
      { "kube-prometheus-stack": 1, thanos: 2, loki: 2, tempo: 2, alloy: 3 },
    ],
    [
      "declaration order does not matter",
      [
        { name: "c", dependsOn: ["b"] },
        { name: "b", dependsOn: ["a"] },
        { name: "a", dependsOn: [] },
      ],
      { a: 1, b: 2, c: 3 },
    ],
  ])("%s", (_name, components, want) => {
    const { waves, problems } = syncWaves(components);
    expect(problems).toEqual([]);
    expect(Object.fromEntries(waves)).toEqual(want);
  });

  it.each([
    [
      "unknown dependency",
      [{ name: "a", dependsOn: ["nope"] }],
      [{ path: "components.a.dependsOn", message: 'unknown component "nope" (known: a)' }],
    ],
    [
      "cycle",
      [
        { name: "a", dependsOn: ["b"] },
        { name: "b", dependsOn: ["a"] },
      ],
      [{ path: "components.a.dependsOn", message: "dependency cycle: a -> b -> a" }],
    ],
  ])("%s is a problem", (_name, components, want) => {
    expect(syncWaves(components).problems).toEqual(want);
  });
});
