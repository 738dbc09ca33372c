// Component selection through the whole stack: each signal off renders a tree that passes the render's own
// validation and security policy, with nothing left that refers to the missing part, and the files of the
// parts that do not depend on it unchanged; a property over random subsets (fixed seeds) for the rest.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defineStack, render, StackError, type ComponentsInput, type Stack } from "@o11y-gitops/core";
import { stackInput } from "../src/index.js";
import { stack } from "../../../stack.config.js";

const A = "kubernetes/apps/monitoring";
const C = "kubernetes/infrastructure/configs";
const D = stack.dockerAlloyPath;

function renderWith(components: ComponentsInput): Map<string, string> {
  const { components: _all, ...rest } = stack;
  const result = render(stackInput(defineStack({ ...rest, components })));
  expect(result.problems).toEqual([]);
  return new Map([...result.files.values()].map((f) => [f.path, f.content]));
}

const full = renderWith({});

/** The strings (lowercase) that name each part in the tree: none may appear once the part is off. */
function needles(s: Stack): Record<string, readonly string[]> {
  return {
    thanos: ["thanos", s.objectStore.buckets.thanos, s.secrets.thanosObjstore.name],
    loki: ["loki", ":3100", s.objectStore.buckets.lokiChunks, s.objectStore.buckets.lokiRuler],
    tempo: ["tempo", "otlp", ":4317", ":4318", "traceid", "trace_id", s.objectStore.buckets.tempo],
    k8sCollectors: [`${A}/applications/alloy.yaml`, "applications/alloy.yaml", "discovery.kubernetes", "loki.source.file", "otelcol."],
    dockerHosts: [D, ".sops.env", 'source="docker"', "docker host", "dockerhost"],
    prometheusWrite: ["prometheus-remote-write", `${s.hosts.prometheusWrite}.${s.domain}`, "prometheus.remote_write"],
    lokiPush: ["loki-push", `${s.hosts.lokiPush}.${s.domain}`, "pin-loki-tenant"],
    basicAuth: [s.secrets.basicAuth.name, "htpasswd", "auth-type"],
    s3Credentials: [s.secrets.s3Credentials.name],
  };
}

/** Which needles of `needles` occur in the tree (paths and contents), as `part: needle in file`. */
function referencesTo(files: ReadonlyMap<string, string>, parts: readonly string[]): string[] {
  const all = needles(stack);
  const found: string[] = [];
  for (const part of parts) {
    for (const needle of all[part]!) {
      for (const [path, content] of files) {
        if (`${path}\n${content}`.toLowerCase().includes(needle.toLowerCase())) found.push(`${part}: ${needle} in ${path}`);
      }
    }
  }
  return found;
}

const waves = (files: ReadonlyMap<string, string>): Record<string, string> =>
  Object.fromEntries(
    [...files]
      .filter(([p]) => p.startsWith(`${A}/applications/`))
      .map(([p, c]) => [p.slice(`${A}/applications/`.length, -".yaml".length), /sync-wave: "(\d+)"/.exec(c)![1]!]),
  );

interface Case {
  name: string;
  components: ComponentsInput;
  /** Parts nothing in the tree may refer to. */
  gone: string[];
  removed: string[];
  /** Files present in both trees whose content differs; every other common file is byte-identical. */
  changed: string[];
  added?: string[];
  waves: Record<string, string>;
}

const pipeline = [`${A}/manifests/alloy/configmap-o11y-pipeline-dashboard.yaml`, `${A}/manifests/alloy/prometheusrule-observability-pipeline.yaml`];
const allWaves = { "kube-prometheus-stack": "1", thanos: "2", loki: "2", tempo: "2", alloy: "3" };
const { thanos: _t, ...wavesNoThanos } = allWaves;
const { loki: _l, ...wavesNoLoki } = allWaves;
const { tempo: _tp, ...wavesNoTempo } = allWaves;
const { alloy: _a, ...wavesNoAlloy } = allWaves;
const fragment = (chart: string) => `kubernetes/infrastructure/monitoring/${chart}.values.yaml`;
const pinning = "kubernetes/infrastructure/ingress-nginx/pin-loki-tenant.values.yaml";

const cases: Case[] = [
  {
    name: "no metrics long-term storage (Thanos)",
    components: { thanos: false },
    gone: ["thanos"],
    removed: [`${A}/applications/thanos.yaml`, `${A}/values/thanos.yaml`, `${C}/thanos-objstore-secret.yaml`],
    changed: [`${A}/kustomization.yaml`, ...pipeline, `${A}/values/kube-prometheus-stack.yaml`, "kubernetes/argocd/appproject-monitoring.yaml", `${C}/kustomization.yaml`],
    waves: wavesNoThanos,
  },
  {
    name: "no logs (Loki, its push endpoint and tenant pinning)",
    components: { loki: false, writeEndpoints: { loki: false }, infraMonitoring: { lokiTenantPinning: false } },
    gone: ["loki", "lokiPush"],
    removed: [`${A}/applications/loki.yaml`, `${A}/manifests/loki/ingress-loki-push.yaml`, `${A}/values/loki.yaml`, pinning],
    changed: [`${D}/config.alloy`, `${A}/kustomization.yaml`, ...pipeline, `${A}/values/alloy.yaml`, `${A}/values/kube-prometheus-stack.yaml`],
    waves: wavesNoLoki,
  },
  {
    name: "no traces (Tempo)",
    components: { tempo: false },
    gone: ["tempo"],
    removed: [`${A}/applications/tempo.yaml`, `${A}/values/tempo.yaml`],
    changed: [`${A}/kustomization.yaml`, ...pipeline, `${A}/values/alloy.yaml`, `${A}/values/kube-prometheus-stack.yaml`],
    waves: wavesNoTempo,
  },
  {
    name: "no Kubernetes collectors (the pipeline's rule and dashboard ride with Tempo)",
    components: { k8sCollectors: false },
    gone: ["k8sCollectors"],
    removed: [`${A}/applications/alloy.yaml`, ...pipeline, `${A}/values/alloy.yaml`],
    changed: [`${A}/kustomization.yaml`, "kubernetes/argocd/appproject-monitoring.yaml"],
    added: [`${A}/manifests/tempo/configmap-o11y-pipeline-dashboard.yaml`, `${A}/manifests/tempo/prometheusrule-observability-pipeline.yaml`],
    waves: wavesNoAlloy,
  },
  {
    name: "no Docker hosts",
    components: { dockerHosts: false },
    gone: ["dockerHosts"],
    removed: [`${D}/.sops.env`, `${D}/compose.yaml`, `${D}/config.alloy`],
    changed: [".sops.yaml", ...pipeline],
    waves: allWaves,
  },
  {
    name: "no Prometheus remote-write endpoint",
    components: { writeEndpoints: { prometheus: false } },
    gone: ["prometheusWrite"],
    removed: [`${A}/manifests/kube-prometheus-stack/ingress-prometheus-remote-write.yaml`],
    changed: [`${D}/config.alloy`, `${A}/kustomization.yaml`, ...pipeline],
    waves: allWaves,
  },
  {
    name: "no Loki push endpoint",
    components: { writeEndpoints: { loki: false }, infraMonitoring: { lokiTenantPinning: false } },
    gone: ["lokiPush"],
    removed: [`${A}/manifests/loki/ingress-loki-push.yaml`, pinning],
    changed: [`${D}/config.alloy`, `${A}/kustomization.yaml`],
    waves: allWaves,
  },
  {
    name: "no write endpoints and no Docker hosts (no basic-auth Secret)",
    components: { dockerHosts: false, writeEndpoints: { prometheus: false, loki: false }, infraMonitoring: { lokiTenantPinning: false } },
    gone: ["dockerHosts", "prometheusWrite", "lokiPush", "basicAuth"],
    removed: [
      `${D}/.sops.env`,
      `${D}/compose.yaml`,
      `${D}/config.alloy`,
      `${A}/manifests/kube-prometheus-stack/ingress-prometheus-remote-write.yaml`,
      `${A}/manifests/loki/ingress-loki-push.yaml`,
      `${C}/monitoring-basic-auth.yaml`,
      pinning,
    ],
    changed: [".sops.yaml", `${A}/kustomization.yaml`, ...pipeline, `${C}/kustomization.yaml`],
    waves: allWaves,
  },
  {
    name: "neither Loki nor Tempo (no S3 credentials Secret)",
    components: { loki: false, tempo: false, k8sCollectors: false, writeEndpoints: { loki: false }, infraMonitoring: { lokiTenantPinning: false } },
    gone: ["loki", "tempo", "k8sCollectors", "lokiPush", "s3Credentials"],
    removed: [
      `${A}/applications/alloy.yaml`,
      `${A}/applications/loki.yaml`,
      `${A}/applications/tempo.yaml`,
      `${A}/manifests/loki/ingress-loki-push.yaml`,
      ...pipeline,
      `${A}/values/alloy.yaml`,
      `${A}/values/loki.yaml`,
      `${A}/values/tempo.yaml`,
      `${C}/seaweedfs-s3-secret.yaml`,
      pinning,
    ],
    changed: [
      `${D}/config.alloy`,
      `${A}/kustomization.yaml`,
      `${A}/values/kube-prometheus-stack.yaml`,
      "kubernetes/argocd/appproject-monitoring.yaml",
      `${C}/kustomization.yaml`,
    ],
    added: [`${A}/manifests/thanos/configmap-o11y-pipeline-dashboard.yaml`, `${A}/manifests/thanos/prometheusrule-observability-pipeline.yaml`],
    waves: { "kube-prometheus-stack": "1", thanos: "2" },
  },
  ...(
    [
      ["ingressNginx", "ingress-nginx"],
      ["metallb", "metallb"],
      ["rookCeph", "rook-ceph"],
      ["rookCephCluster", "rook-ceph-cluster"],
      ["certManager", "cert-manager"],
    ] as const
  ).map(([flag, chart]): Case => ({
    name: `no ${chart} monitoring fragment`,
    components: { infraMonitoring: { [flag]: false } },
    gone: [],
    removed: [fragment(chart)],
    changed: [],
    waves: allWaves,
  })),
  {
    name: "no infrastructure fragments at all",
    components: {
      infraMonitoring: { ingressNginx: false, metallb: false, rookCeph: false, rookCephCluster: false, certManager: false, lokiTenantPinning: false },
    },
    gone: [],
    removed: [...["ingress-nginx", "metallb", "rook-ceph", "rook-ceph-cluster", "cert-manager"].map(fragment), pinning],
    changed: [],
    waves: allWaves,
  },
];

describe("each signal off, through the whole stack", () => {
  it("the full tree refers to every part (the needles find what they look for)", () => {
    for (const part of Object.keys(needles(stack))) {
      for (const needle of needles(stack)[part]!) {
        expect(referencesTo(full, [part]).filter((r) => r.startsWith(`${part}: ${needle} in `)), `${part}: ${needle}`).not.toEqual([]);
      }
    }
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const files = renderWith(c.components);
    expect(referencesTo(files, c.gone)).toEqual([]);
    expect([...full.keys()].filter((p) => !files.has(p))).toEqual([...c.removed].sort());
    expect([...files.keys()].filter((p) => !full.has(p))).toEqual(c.added ?? []);
    expect([...files.keys()].filter((p) => full.has(p) && full.get(p) !== files.get(p))).toEqual([...c.changed].sort());
    expect(waves(files)).toEqual(c.waves);
  });
});

describe("Grafana and Alloy follow the selection", () => {
  const datasources = (files: ReadonlyMap<string, string>) => {
    const values = files.get(`${A}/values/kube-prometheus-stack.yaml`)!;
    return [...values.matchAll(/^ {4}- name: (\w+)\n {6}type: \w+\n {6}uid: (\w+)/gm)].map((m) => m[2]);
  };
  it.each<[string, ComponentsInput, string[], string]>([
    ["everything", {}, ["thanos", "loki", "tempo"], "isDefaultDatasource: false"],
    ["no Thanos: Prometheus is the default", { thanos: false }, ["loki", "tempo"], "isDefaultDatasource: true"],
    ["no traces", { tempo: false }, ["thanos", "loki"], "isDefaultDatasource: false"],
  ])("%s", (_name, components, uids, defaultLine) => {
    const files = renderWith(components);
    expect(datasources(files)).toEqual(uids);
    expect(files.get(`${A}/values/kube-prometheus-stack.yaml`)).toContain(defaultLine);
  });

  it("without Thanos, Tempo's span-metrics and service-map links read Prometheus itself", () => {
    const values = renderWith({ thanos: false }).get(`${A}/values/kube-prometheus-stack.yaml`)!;
    expect(values.match(/datasourceUid: prometheus/g)).toHaveLength(2);
  });

  it("the Docker hosts' Alloy keeps only the pipeline of the endpoint that is on", () => {
    const metricsOnly = renderWith({ writeEndpoints: { loki: false }, infraMonitoring: { lokiTenantPinning: false } }).get(`${D}/config.alloy`)!;
    expect(metricsOnly).toContain("prometheus.remote_write");
    expect(metricsOnly).not.toMatch(/loki\.|discovery\.docker/);
    const logsOnly = renderWith({ writeEndpoints: { prometheus: false } }).get(`${D}/config.alloy`)!;
    expect(logsOnly).toContain("loki.write");
    expect(logsOnly).not.toMatch(/prometheus\.|cadvisor/);
  });
});

// Every subset of the thirteen flags: a valid one renders with no problems and leaves nothing of what is
// off; an invalid one is refused with exactly its contradictions (the rules, restated independently).
const flags = fc.record({
  thanos: fc.boolean(),
  loki: fc.boolean(),
  tempo: fc.boolean(),
  k8sCollectors: fc.boolean(),
  dockerHosts: fc.boolean(),
  writeEndpoints: fc.record({ prometheus: fc.boolean(), loki: fc.boolean() }),
  infraMonitoring: fc.record({
    ingressNginx: fc.boolean(),
    metallb: fc.boolean(),
    rookCeph: fc.boolean(),
    rookCephCluster: fc.boolean(),
    certManager: fc.boolean(),
    lokiTenantPinning: fc.boolean(),
  }),
});

function contradictions(c: Stack["components"]): string[] {
  return [
    ...(c.writeEndpoints.loki && !c.loki ? ["stack.components.writeEndpoints.loki"] : []),
    ...(c.k8sCollectors && !c.loki && !c.tempo ? ["stack.components.k8sCollectors"] : []),
    ...(c.dockerHosts && !c.writeEndpoints.prometheus && !c.writeEndpoints.loki ? ["stack.components.dockerHosts"] : []),
    ...(c.infraMonitoring.lokiTenantPinning && !c.writeEndpoints.loki ? ["stack.components.infraMonitoring.lokiTenantPinning"] : []),
  ];
}

describe("random subsets", () => {
  it.each([1, 20261201, 424242])("seed %i: valid subsets render cleanly, invalid ones give exactly their contradictions", (seed) => {
    fc.assert(
      fc.property(flags, (c) => {
        const { components: _all, ...rest } = stack;
        const s = defineStack({ ...rest, components: c });
        const want = contradictions(c);
        if (want.length > 0) {
          let thrown: unknown;
          try {
            stackInput(s);
          } catch (e) {
            thrown = e;
          }
          expect(thrown).toBeInstanceOf(StackError);
          expect((thrown as StackError).problems.map((p) => p.path)).toEqual(want);
          return;
        }
        const result = render(stackInput(s));
        expect(result.problems).toEqual([]);
        const files = new Map([...result.files.values()].map((f) => [f.path, f.content]));
        const gone = [
          ...(c.thanos ? [] : ["thanos"]),
          ...(c.loki ? [] : ["loki"]),
          ...(c.tempo ? [] : ["tempo"]),
          ...(c.k8sCollectors ? [] : ["k8sCollectors"]),
          ...(c.dockerHosts ? [] : ["dockerHosts"]),
          ...(c.writeEndpoints.prometheus ? [] : ["prometheusWrite"]),
          ...(c.writeEndpoints.loki ? [] : ["lokiPush"]),
          ...(c.writeEndpoints.prometheus || c.writeEndpoints.loki ? [] : ["basicAuth"]),
          ...(c.loki || c.tempo ? [] : ["s3Credentials"]),
        ];
        expect(referencesTo(files, gone)).toEqual([]);
      }),
      { seed, numRuns: 12 },
    );
  });
});
