import { describe, expect, it } from "vitest";
import { render, StackError, type Component, type Stack } from "@o11y-gitops/core";
import { dockerAlloyConfig, k8sAlloyConfig, type AlloyConfig } from "@o11y-gitops/collectors";
import { crossComponentChecks, stackComponents, stackInput, stackProblems } from "../src/index.js";
import { stack } from "../../../stack.config.js";

function renderAll(s: Stack): Map<string, string> {
  const result = render(stackInput(s));
  expect(result.problems).toEqual([]);
  return new Map([...result.files.values()].map((f) => [f.path, f.content]));
}

const ours = renderAll(stack);

/** Every file of the tree whose content contains `needle` (after removing `ignore`, e.g. another field). */
function filesContaining(files: Map<string, string>, needle: string, ignore?: string): string[] {
  return [...files.entries()]
    .filter(([, c]) => (ignore ? c.replaceAll(ignore, "") : c).includes(needle))
    .map(([p]) => p);
}

describe("the whole stack", () => {
  it("renders without problems, with the seed's components in waves 1-2-3", () => {
    const apps = [...ours.keys()].filter((p) => p.includes("/applications/"));
    expect(apps.sort()).toEqual(
      ["alloy", "kube-prometheus-stack", "loki", "tempo", "thanos"].map((n) => `kubernetes/apps/monitoring/applications/${n}.yaml`),
    );
    const wave = (n: string) => /sync-wave: "(\d+)"/.exec(ours.get(`kubernetes/apps/monitoring/applications/${n}.yaml`)!)![1];
    expect(["kube-prometheus-stack", "thanos", "loki", "tempo", "alloy"].map(wave)).toEqual(["1", "2", "2", "2", "3"]);
  });

  // One source of truth: a value changed in the stack config changes every place it appears, and the old
  // value is left nowhere in the tree.
  it.each<[string, (s: Stack) => Stack, string, string, string?]>([
    ["S3 endpoint", (s) => ({ ...s, objectStore: { ...s.objectStore, endpoint: "s3.lab.example:9000" } }), "seaweedfs.sharmamohit.com:8333", "s3.lab.example:9000"],
    ["storage class", (s) => ({ ...s, storageClass: "longhorn" }), "ceph-block", "longhorn"],
    // The Git repo URL (another field) also contains "homelab".
    ["Loki tenant", (s) => ({ ...s, lokiTenant: "lab" }), "homelab", "lab", stack.gitops.repoURL],
    // The S3 endpoint (another field) is also under the domain.
    ["domain", (s) => ({ ...s, domain: "lab.example" }), "sharmamohit.com", "lab.example", stack.objectStore.endpoint],
    ["thanos bucket", (s) => ({ ...s, objectStore: { ...s.objectStore, buckets: { ...s.objectStore.buckets, thanos: "metrics-lt" } } }), "thanos-metrics", "metrics-lt"],
    ["S3 secret", (s) => ({ ...s, secrets: { ...s.secrets, s3Credentials: { ...s.secrets.s3Credentials, name: "s3-creds" } } }), "seaweedfs-s3-secret", "s3-creds"],
    ["objstore secret", (s) => ({ ...s, secrets: { ...s.secrets, thanosObjstore: { ...s.secrets.thanosObjstore, name: "objstore" } } }), "thanos-objstore-secret", "objstore"],
  ])("%s: one value in the config, every place in the tree", (_name, change, before, after, ignore) => {
    const theirs = renderAll(change(stack));
    const had = filesContaining(ours, before, ignore);
    expect(had.length).toBeGreaterThan(0);
    expect(filesContaining(theirs, before, ignore)).toEqual([]);
    for (const path of had) {
      const moved = path.replaceAll(before, after);
      expect(theirs.get(moved) ?? "", moved).toContain(after);
    }
  });

  it("the pipeline's alerts and dashboard ride with alloy; Tempo's generator writes to the stack's Prometheus", () => {
    const components = stackComponents(stack);
    const alloy = components.find((c) => c.name === "alloy");
    expect(alloy?.manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(["PrometheusRule/observability-pipeline", "ConfigMap/o11y-pipeline-dashboard"]);
    const tempo = components.find((c) => c.name === "tempo")?.values as { tempo?: { metricsGenerator?: { enabled?: boolean; remoteWriteUrl?: string } } };
    expect(tempo.tempo?.metricsGenerator).toMatchObject({
      enabled: true,
      remoteWriteUrl: "http://kube-prometheus-stack-prometheus.monitoring.svc:9090/api/v1/write",
    });
  });

  it("plain HTTP S3 flips everywhere with one flag", () => {
    const tls = renderAll({ ...stack, objectStore: { ...stack.objectStore, insecure: false } });
    expect(filesContaining(ours, "insecure: true").sort()).toEqual([
      "kubernetes/apps/monitoring/values/loki.yaml",
      "kubernetes/apps/monitoring/values/tempo.yaml",
      "kubernetes/infrastructure/configs/thanos-objstore-secret.yaml",
    ]);
    expect(filesContaining(tls, "insecure: true")).toEqual([]);
    expect(tls.get("kubernetes/apps/monitoring/values/loki.yaml")).toContain("endpoint: https://seaweedfs.sharmamohit.com:8333");
    expect(render(stackInput({ ...stack, objectStore: { ...stack.objectStore, insecure: false } })).warnings).toEqual([]);
  });

  it("collects the problems of every package before building anything", () => {
    const bad: Stack = {
      ...stack,
      retention: { ...stack.retention, metricsRaw: "7 days" as Stack["retention"]["metricsRaw"] },
      objectStore: { ...stack.objectStore, buckets: { ...stack.objectStore.buckets, lokiChunks: "" } },
    };
    const problems = stackProblems(bad);
    expect(problems).toContainEqual({
      path: "stack.retention.metricsRaw",
      message: expect.stringContaining('"7 days"'),
    });
    expect(problems).toContainEqual({ path: "stack.objectStore.buckets.lokiChunks", message: "must not be empty" });
    expect(() => stackInput(bad)).toThrow(StackError);
  });

  // Several packages read the tenant and the durations; each field has one rule and one message, so a bad
  // value is reported once, however many packages check it.
  it.each<[string, (s: Stack) => Stack, { path: string; message: string }]>([
    [
      "scrape interval",
      (s) => ({ ...s, scrapeInterval: "30 s" as Stack["scrapeInterval"] }),
      { path: "stack.scrapeInterval", message: '"30 s" is not a duration like 30d (an integer and one unit: s, m, h, d, w or y)' },
    ],
    [
      "raw metrics retention",
      (s) => ({ ...s, retention: { ...s.retention, metricsRaw: "7 days" as Stack["retention"]["metricsRaw"] } }),
      { path: "stack.retention.metricsRaw", message: '"7 days" is not a duration like 30d (an integer and one unit: s, m, h, d, w or y)' },
    ],
    [
      "logs retention",
      (s) => ({ ...s, retention: { ...s.retention, logs: "1d12h" as Stack["retention"]["logs"] } }),
      { path: "stack.retention.logs", message: '"1d12h" is not a duration like 30d (an integer and one unit: s, m, h, d, w or y)' },
    ],
    [
      "traces retention",
      (s) => ({ ...s, retention: { ...s.retention, traces: "2W" as Stack["retention"]["traces"] } }),
      { path: "stack.retention.traces", message: '"2W" is not a duration like 30d (an integer and one unit: s, m, h, d, w or y)' },
    ],
  ])("reports a bad tenant and a malformed %s exactly once each", (_name, breakDuration, durationProblem) => {
    const bad = breakDuration({ ...stack, lokiTenant: "home lab" });
    const tenantProblem = {
      path: "stack.lokiTenant",
      message: '"home lab" is not a valid Loki tenant ID (1-150 characters: letters, digits and !-_.*\'() only, not "." or "..")',
    };
    const problems = stackProblems(bad);
    expect(problems.filter((p) => p.path === tenantProblem.path)).toEqual([tenantProblem]);
    expect(problems.filter((p) => p.path === durationProblem.path)).toEqual([durationProblem]);
    expect(problems).toHaveLength(2);
  });
});

describe("crossComponentChecks", () => {
  const components = stackComponents(stack);
  const alloy = { cluster: k8sAlloyConfig(stack), docker: dockerAlloyConfig(stack) };
  const replace = (name: string, f: (c: Component) => Component) => components.map((c) => (c.name === name ? f(c) : c));

  it("passes on the stack as built", () => {
    expect(crossComponentChecks(stack, components, alloy)).toEqual([]);
  });

  it.each<[string, readonly Component[], Record<string, AlloyConfig>, { path: string; message: string }]>([
    [
      "Loki without auth",
      replace("loki", (c) => ({ ...c, values: { ...c.values, loki: { ...(c.values as any).loki, auth_enabled: false } } })),
      alloy,
      { path: "loki values: loki.auth_enabled", message: 'must be true: clients send X-Scope-OrgID "homelab" and Loki must honour it' },
    ],
    [
      "Grafana with another tenant",
      replace("kube-prometheus-stack", (c) => {
        const v = structuredClone(c.values) as any;
        const ds = v.grafana.additionalDataSources.find((d: any) => d.type === "loki");
        ds.secureJsonData.httpHeaderValue1 = "other";
        return { ...c, values: v };
      }),
      alloy,
      {
        path: "kube-prometheus-stack values: grafana.additionalDataSources[1]",
        message: 'Loki datasource sends X-Scope-OrgID "other", expected the stack\'s tenant "homelab"',
      },
    ],
    [
      "Alloy writing without a tenant",
      components,
      {
        cluster: {
          blocks: alloy.cluster.blocks.map((b) =>
            b.name === "loki.write"
              ? { ...b, body: b.body.map((s) => (s.kind === "block" && s.name === "endpoint" ? { ...s, body: s.body.filter((x) => x.name !== "tenant_id") } : s)) }
              : b,
          ),
        },
      },
      { path: 'cluster: loki.write "loki" endpoint.tenant_id', message: 'is null, expected the stack\'s tenant "homelab"' },
    ],
    [
      "the sidecar reading another objstore Secret",
      replace("kube-prometheus-stack", (c) => {
        const v = structuredClone(c.values) as any;
        v.prometheus.prometheusSpec.thanos.objectStorageConfig.existingSecret.name = "other";
        return { ...c, values: v };
      }),
      alloy,
      {
        path: "kube-prometheus-stack values: prometheus.prometheusSpec.thanos.objectStorageConfig.existingSecret",
        message: 'is {"name":"other","key":"objstore.yml"}, expected the stack\'s objstore Secret {"name":"thanos-objstore-secret","key":"objstore.yml"}',
      },
    ],
    [
      "Thanos reading another key",
      replace("thanos", (c) => ({ ...c, values: { ...c.values, existingObjstoreSecretItems: [{ key: "x.yml", path: "objstore.yml" }] } })),
      alloy,
      {
        path: "thanos values: existingObjstoreSecret",
        message: 'reads "thanos-objstore-secret" (keys ["x.yml"]), expected the stack\'s objstore Secret "thanos-objstore-secret" with key "objstore.yml"',
      },
    ],
    [
      "Alloy not waiting for Tempo",
      replace("alloy", (c) => ({ ...c, dependsOn: ["loki"] })),
      alloy,
      { path: "components.alloy.dependsOn", message: 'must include "tempo" (Alloy pushes to it)' },
    ],
    [
      "a ServiceMonitor before its CRD",
      replace("tempo", (c) => ({
        ...c,
        dependsOn: [],
        manifests: [{ apiVersion: "monitoring.coreos.com/v1", kind: "ServiceMonitor", metadata: { name: "tempo" } }],
      })),
      alloy,
      {
        path: "components.tempo.dependsOn",
        message: "renders ServiceMonitor but does not depend on kube-prometheus-stack, which installs its CRD",
      },
    ],
  ])("%s is a problem", (_name, comps, configs, want) => {
    expect(crossComponentChecks(stack, comps, configs)).toEqual([want]);
  });
});
