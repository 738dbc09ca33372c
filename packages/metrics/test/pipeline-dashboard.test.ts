// The pipeline dashboard: typed data in a ConfigMap that kube-prometheus-stack's Grafana sidecar loads, every
// query valid PromQL (checked by promtool as recording rules) on the Thanos datasource.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, type TestContext } from "vitest";
import { stringify } from "yaml";
import { stack as homelab } from "../../../stack.config.js";
import {
  GRAFANA_DASHBOARD_LABEL,
  kubePrometheusStackValues,
  pipelineDashboard,
  pipelineDashboardConfigMap,
  type Dashboard,
} from "../src/index.js";

const hasPromtool = spawnSync("promtool", ["--version"], { encoding: "utf8" }).status === 0;
const inCI = process.env.CI !== undefined && process.env.CI !== "" && process.env.CI !== "false";
const dir = mkdtempSync(join(tmpdir(), "pipeline-dashboard-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const dashboard = pipelineDashboard(homelab);
const cm = pipelineDashboardConfigMap(homelab) as unknown as { metadata: { name: string; namespace: string; labels: Record<string, string> }; data: Record<string, string> };
const queries = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));

describe("pipeline dashboard ConfigMap", () => {
  it("carries the label the Grafana sidecar loads, the same one kube-prometheus-stack's values set", () => {
    const sidecar = kubePrometheusStackValues(homelab).grafana?.sidecar?.dashboards;
    expect(sidecar).toMatchObject({ enabled: true, label: "grafana_dashboard", labelValue: "1" });
    expect(cm.metadata.labels[GRAFANA_DASHBOARD_LABEL.name]).toBe(GRAFANA_DASHBOARD_LABEL.value);
    expect(cm.metadata.labels[sidecar?.label as string]).toBe(sidecar?.labelValue);
    expect(cm.metadata).toMatchObject({ name: "o11y-pipeline-dashboard", namespace: "monitoring" });
  });

  it("holds the dashboard as JSON under <uid>.json", () => {
    expect(Object.keys(cm.data)).toEqual(["o11y-pipeline.json"]);
    expect(JSON.parse(cm.data["o11y-pipeline.json"] as string) as Dashboard).toEqual(dashboard);
  });

  it("queries only the Thanos datasource, with unique panel ids and no overlapping panels", () => {
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of dashboard.panels.filter((p) => p.type !== "row")) {
      expect(p.datasource).toEqual({ type: "prometheus", uid: "thanos" });
      expect(p.targets?.length).toBeGreaterThan(0);
      expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
    }
    const cells = new Set<string>();
    for (const p of dashboard.panels) {
      for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++) {
        for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
          const cell = `${x},${y}`;
          expect(cells.has(cell), `${p.title} overlaps at ${cell}`).toBe(false);
          cells.add(cell);
        }
      }
    }
  });

  it("covers every hop: Docker hosts, Alloy, Loki, Tempo, Thanos, object store, volumes", () => {
    expect(dashboard.panels.filter((p) => p.type === "row").map((p) => p.title)).toEqual([
      "Docker hosts",
      "Logs",
      "Traces",
      "Metrics (Thanos)",
      "Object store and volumes",
    ]);
    const all = queries.map((q) => q.expr).join("\n");
    for (const metric of ["loki_write_dropped_entries_total", "otelcol_exporter_send_failed_spans_total", "thanos_shipper_uploads_total", "thanos_compact_halted"]) {
      expect(all).toContain(metric);
    }
  });

  it("every query is valid PromQL (promtool check rules on them as recording rules)", (ctx: TestContext) => {
    if (!hasPromtool) {
      if (inCI) throw new Error("promtool is not on PATH: CI must check the dashboard queries (apt-get install -y prometheus)");
      ctx.skip("promtool is not on PATH (Debian package prometheus); the query check runs in CI");
    }
    const rules = queries.map((q, i) => ({ record: `dashboard:query_${i}`, expr: q.expr }));
    const file = join(dir, "queries.yaml");
    writeFileSync(file, stringify({ groups: [{ name: "dashboard", rules }] }));
    const r = spawnSync("promtool", ["check", "rules", file], { encoding: "utf8" });
    expect(`${r.stdout}${r.stderr}`).toContain(`SUCCESS: ${rules.length} rules found`);
    expect(r.status).toBe(0);
  });
});
