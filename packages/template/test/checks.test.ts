import { describe, expect, it } from "vitest";
import { renderFindings } from "../src/checks/render.js";
import { schemaFindings, schemaLookup, strictCrdSchema } from "../src/checks/schema.js";
import { deployment, job, rendered, service } from "./_fixtures.js";

describe("check 1: every chart renders", () => {
  it("reports a chart that refuses its values with Helm's message, per chart", () => {
    const helmMessage = "values don't meet the specifications of the schema(s) in the following chart(s):\nmetallb:\n- at '/prometheus/serviceMonitor/interval': got string, want integer";
    expect(renderFindings([rendered("loki", []), rendered(job("metallb (fragment)", "metallb-system"), [], helmMessage)])).toEqual([
      { job: "metallb (fragment)", check: "render", message: `helm template failed: ${helmMessage}` },
    ]);
  });
});

const widgetCrd = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "widgets.example.com" },
  spec: {
    group: "example.com",
    names: { kind: "Widget", plural: "widgets" },
    scope: "Namespaced",
    versions: [
      {
        name: "v1",
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: "object",
            properties: {
              spec: { type: "object", properties: { size: { type: "integer" }, free: { type: "object", "x-kubernetes-preserve-unknown-fields": true } } },
            },
          },
        },
      },
    ],
  },
};

describe("check 2: every rendered object validates against its schema", () => {
  it.each([
    ["a valid Deployment and Service", [deployment("a", "monitoring", { app: "a" }, [{ containerPort: 80 }]), service("a", "monitoring", [{ port: 80 }], { app: "a" })], []],
    [
      "a Service port given as a string",
      [{ apiVersion: "v1", kind: "Service", metadata: { name: "s", namespace: "monitoring" }, spec: { ports: [{ port: "80" }] } }],
      ['Service monitoring/s: spec.ports[0].port must be integer, found string "80"'],
    ],
    [
      "a ServiceMonitor endpoint interval as an integer (what MetalLB's schema would have wanted)",
      [{ apiVersion: "monitoring.coreos.com/v1", kind: "ServiceMonitor", metadata: { name: "m", namespace: "metallb-system" }, spec: { selector: {}, endpoints: [{ port: "metrics", interval: 30 }] } }],
      ["ServiceMonitor metallb-system/m: spec.endpoints[0].interval must be string, found number 30"],
    ],
    [
      "a custom resource checked against its rendered CRD: wrong type and an unknown field",
      [widgetCrd, { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" }, spec: { size: "big", colour: "red", free: { any: 1 } } }],
      ['Widget monitoring/w: spec must NOT have additional property "colour"; spec.size must be integer, found string "big"'],
    ],
    ["a kind nobody has a schema for", [{ apiVersion: "example.org/v9", kind: "Gadget", metadata: { name: "g" } }], ["Gadget monitoring/g: no schema known for example.org/v9/Gadget (no kubernetes-models model, no CRD rendered)"]],
  ])("%s", (_name, objects, messages) => {
    const renders = [rendered("x", objects as never)];
    expect(schemaFindings(renders, schemaLookup(renders)).map((f) => f.message)).toEqual(messages);
  });

  it("makes CRD objects closed unless they preserve unknown fields; the root keeps apiVersion, kind, metadata", () => {
    const s = strictCrdSchema({ type: "object", properties: { spec: { type: "object", properties: { a: { type: "string" } } }, status: { type: "object", "x-kubernetes-preserve-unknown-fields": true, properties: { b: {} } } } });
    expect(s.additionalProperties).toBe(false);
    expect(Object.keys(s.properties as object)).toEqual(["apiVersion", "kind", "metadata", "spec", "status"]);
    expect((s.properties as Record<string, Record<string, unknown>>).spec?.additionalProperties).toBe(false);
    expect((s.properties as Record<string, Record<string, unknown>>).status?.additionalProperties).toBeUndefined();
  });
});

describe("pnpm template output", () => {
  it("prints one line per render with the checks held or failed, then the findings and the times", async () => {
    const { summary } = await import("../src/template.js");
    const timings = { render: 1500, schema: 250, wiring: 10, selection: 0, seed: 20, "dead-values": 3000 };
    const renders = [rendered(job("loki"), [{ kind: "Service" }, { kind: "StatefulSet" }]), rendered(job("metallb (fragment)", "metallb-system", { chart: "metallb", version: "0.16.1", release: "metallb" }), [], "refused")];
    const findings = [
      { job: "loki", check: "wiring" as const, message: "stack lokiEndpoints.http: loki.monitoring.svc:3100: no Service monitoring/loki rendered" },
      { job: "metallb (fragment)", check: "render" as const, message: "helm template failed: refused" },
    ];
    expect(summary({ renders, findings, timings, chartDirs: new Map() })).toEqual([
      "chart               release                                  objects  render  checks",
      "loki                loki 1.0.0 → monitoring/loki                   2   0.00s  FAILED wiring(1)",
      "metallb (fragment)  metallb 0.16.1 → metallb-system/metallb        0   0.00s  FAILED render",
      "error: loki: wiring: stack lokiEndpoints.http: loki.monitoring.svc:3100: no Service monitoring/loki rendered",
      "error: metallb (fragment): render: helm template failed: refused",
      "2 renders, 2 objects; time: render 1.50s, schema 0.25s, wiring 0.01s, selection 0.00s, seed 0.02s, dead-values 3.00s",
    ]);
  });

  it("--out keeps each successful render as <app>.yaml or <chart>.fragment.yaml", async () => {
    const { mkdtempSync, readdirSync, readFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const { writeRendered } = await import("../src/run.js");
    const dir = join(mkdtempSync(join(tmpdir(), "o11y-out-")), "rendered");
    const ok = { ...rendered(job("loki"), []), text: "---\nkind: Service\n" };
    const frag = { ...rendered(job("metallb (fragment)", "metallb-system", { chart: "metallb", kind: "fragment" }), []), text: "---\nkind: ServiceMonitor\n" };
    writeRendered(dir, [ok, frag, rendered(job("broken"), [], "refused")]);
    expect(readdirSync(dir).sort()).toEqual(["loki.yaml", "metallb.fragment.yaml"]);
    expect(readFileSync(join(dir, "loki.yaml"), "utf8")).toBe("---\nkind: Service\n");
  });
});
