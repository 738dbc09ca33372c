import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pullCommand, resolveChart, type LockedChart } from "@o11y-gitops/template";
import { constrainToUpstream } from "../schemas/_upstream.js";

const lock = new Map<string, LockedChart>([
  ["loki", { chart: "loki", version: "6.57.0", repository: "https://grafana-community.github.io/helm-charts" }],
  ["thanos", { chart: "thanos", version: "17.6.0", repository: "oci://registry-1.docker.io/bitnamicharts" }],
]);

/** What `pnpm template` names in this repo (scripts/template.ts passes the same, plus how to install Helm). */
const REPO_NAMING = { pins: "schemas/charts.lock.json", generate: "pnpm generate" };

function chartsDir(charts: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "o11y-charts-"));
  for (const [folder, chartYaml] of Object.entries(charts)) {
    mkdirSync(join(dir, folder));
    writeFileSync(join(dir, folder, "Chart.yaml"), chartYaml);
  }
  return dir;
}

describe("charts dir: <chart>-<version>/ checked against schemas/charts.lock.json", () => {
  it("finds the pinned folder", () => {
    const dir = chartsDir({ "loki-6.57.0": "apiVersion: v2\nname: loki\nversion: 6.57.0\n" });
    expect(resolveChart(dir, "loki", "6.57.0", lock)).toBe(join(dir, "loki-6.57.0"));
  });
  it("names the helm pull command when the chart is missing", () => {
    const dir = chartsDir({});
    expect(() => resolveChart(dir, "thanos", "17.6.0", lock)).toThrow(
      `thanos 17.6.0: no ${dir}/thanos-17.6.0/ (or .tgz) in the charts dir; fetch it with: helm pull oci://registry-1.docker.io/bitnamicharts/thanos --version 17.6.0 --untar --untardir ${dir}/thanos-17.6.0.tmp && mv ${dir}/thanos-17.6.0.tmp/thanos ${dir}/thanos-17.6.0`,
    );
  });
  it("refuses a folder whose Chart.yaml is another version", () => {
    const dir = chartsDir({ "loki-6.57.0": "apiVersion: v2\nname: loki\nversion: 6.58.0\n" });
    expect(() => resolveChart(dir, "loki", "6.57.0", lock, REPO_NAMING)).toThrow(`${dir}/loki-6.57.0/Chart.yaml: is loki 6.58.0, schemas/charts.lock.json pins loki 6.57.0`);
  });
  it("refuses a version the lock does not pin, and an unpinned chart", () => {
    expect(() => resolveChart("/nowhere", "loki", "6.0.0", lock, REPO_NAMING)).toThrow("loki: the tree asks for 6.0.0, schemas/charts.lock.json pins 6.57.0 (run pnpm generate)");
    expect(() => resolveChart("/nowhere", "tempo", "1.0.0", lock, REPO_NAMING)).toThrow("tempo: not pinned in schemas/charts.lock.json");
  });
  it("writes the repo form of helm pull for a classic repository", () => {
    expect(pullCommand(lock.get("loki") as LockedChart, ".charts")).toBe(
      "helm pull loki --repo https://grafana-community.github.io/helm-charts --version 6.57.0 --untar --untardir .charts/loki-6.57.0.tmp && mv .charts/loki-6.57.0.tmp/loki .charts/loki-6.57.0",
    );
  });
});

describe("the chart's shipped values.schema.json constrains ours (Helm enforces it)", () => {
  const shipped = {
    type: "object",
    properties: {
      serviceMonitor: {
        type: "object",
        additionalProperties: false,
        properties: { interval: { anyOf: [{ type: "integer" }, { type: "null" }] }, port: { type: "integer", minimum: 1 }, mode: { enum: ["a", "b"] } },
      },
    },
  };
  it("narrows a patched string|null to what the chart allows, carries bounds and enums, drops keys it closes out", () => {
    const ours = {
      type: "object",
      properties: {
        serviceMonitor: {
          type: "object",
          properties: { interval: { type: ["string", "null"], pattern: "^[0-9]+s$" }, port: { type: "number" }, mode: { type: "string" }, stale: { type: "string" } },
        },
      },
    };
    const { schema, narrowed } = constrainToUpstream(ours as never, shipped as never, "metallb/values.schema.json");
    expect(schema.properties?.serviceMonitor?.properties).toEqual({ interval: { type: "null" }, port: { type: "integer", minimum: 1 }, mode: { type: "string", enum: ["a", "b"] } });
    expect(narrowed).toEqual([
      "/serviceMonitor/interval: string|null → null (the chart's values.schema.json allows integer|null)",
      "/serviceMonitor/port: number → integer (the chart's values.schema.json allows integer)",
      "/serviceMonitor/stale: dropped (the chart's values.schema.json allows no such key)",
    ]);
  });
  it("fails when nothing we type could render", () => {
    const ours = { type: "object", properties: { serviceMonitor: { type: "object", properties: { interval: { type: "string" } } } } };
    expect(() => constrainToUpstream(ours as never, shipped as never, "metallb/values.schema.json")).toThrow(
      "metallb/values.schema.json: /serviceMonitor/interval: our schema allows string, the chart's values.schema.json only integer|null: nothing we type would render",
    );
  });
});
