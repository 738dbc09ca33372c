// pnpm template's expectations follow stack.components: a part that is off is neither expected in the
// renders (its volumes, retention, buckets, addresses) nor reported missing; the parts that are on still are.
import { describe, expect, it } from "vitest";
import { defineStack, type ComponentsInput } from "@o11y-gitops/core";
import { stack } from "../../../stack.config.js";
import { retentionFindings, volumeFindings } from "../src/checks/seed.js";
import { stackAddresses } from "../src/checks/wiring.js";

const withComponents = (components: ComponentsInput) => {
  const { components: _all, ...rest } = stack;
  return defineStack({ ...rest, components });
};

// With nothing rendered, every expectation is reported missing: these are exactly the parts expected.
const missingVolumes = (components: ComponentsInput) => volumeFindings([], withComponents(components)).map((f) => f.message.split(":")[0]);
const missingRetention = (components: ComponentsInput) => retentionFindings([], withComponents(components)).map((f) => f.message);
const addressesFrom = (components: ComponentsInput) => stackAddresses(withComponents(components)).map((a) => a.from);

describe("pnpm template follows stack.components", () => {
  it.each<[string, ComponentsInput, string[]]>([
    ["everything", {}, ["prometheus", "alertmanager", "thanosStoreGateway", "thanosCompactor", "lokiWal", "tempoWal", "grafana"]],
    ["no Thanos", { thanos: false }, ["prometheus", "alertmanager", "lokiWal", "tempoWal", "grafana"]],
    ["no Loki", { loki: false, writeEndpoints: { loki: false }, infraMonitoring: { lokiTenantPinning: false } }, ["prometheus", "alertmanager", "thanosStoreGateway", "thanosCompactor", "tempoWal", "grafana"]],
    ["no Tempo", { tempo: false }, ["prometheus", "alertmanager", "thanosStoreGateway", "thanosCompactor", "lokiWal", "grafana"]],
  ])("volumes expected with %s", (_name, components, volumes) => {
    expect(missingVolumes(components)).toEqual(volumes.map((v) => `stack.volumes.${v}`));
  });

  it.each<[string, ComponentsInput, string[]]>([
    ["everything", {}, ["stack.retention.metricsRaw", "no ConfigMap with config.yaml in release loki", "no ConfigMap with tempo.yaml in release tempo"]],
    ["no Thanos", { thanos: false }, ["no ConfigMap with config.yaml in release loki", "no ConfigMap with tempo.yaml in release tempo"]],
    ["no Tempo", { tempo: false }, ["stack.retention.metricsRaw", "no ConfigMap with config.yaml in release loki"]],
    ["no Loki", { loki: false, writeEndpoints: { loki: false }, infraMonitoring: { lokiTenantPinning: false } }, ["stack.retention.metricsRaw", "no ConfigMap with tempo.yaml in release tempo"]],
  ])("retention and buckets expected with %s", (_name, components, want) => {
    expect(missingRetention(components).map((m) => m.replace(/^(stack\.retention\.\w+): .*/, "$1"))).toEqual(["stack.retention.prometheusLocal", ...want]);
  });

  it.each<[string, ComponentsInput, (from: string) => boolean]>([
    ["no Thanos", { thanos: false }, (f) => f.includes("thanos")],
    ["no Tempo", { tempo: false }, (f) => f.includes("tempo")],
    ["no Loki", { loki: false, writeEndpoints: { loki: false }, infraMonitoring: { lokiTenantPinning: false } }, (f) => f.includes("loki")],
    ["no write endpoints", { dockerHosts: false, writeEndpoints: { prometheus: false, loki: false }, infraMonitoring: { lokiTenantPinning: false } }, (f) => f.includes("writeEndpoints")],
  ])("addresses with %s name none of it, and keep the rest", (_name, components, refersToOff) => {
    const all = addressesFrom({});
    const some = addressesFrom(components);
    expect(some.filter(refersToOff)).toEqual([]);
    expect(all.filter(refersToOff)).not.toEqual([]);
    expect(some).toEqual(all.filter((f) => !refersToOff(f)));
  });
});
