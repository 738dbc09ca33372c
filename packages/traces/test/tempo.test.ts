import { charts, validateValues } from "@o11y-gitops/chart-values";
import type { TempoValues } from "@o11y-gitops/chart-values/tempo";
import { formatProblem, StackError, stackConfigProblems, type Duration, type Problem, type Quantity, type Stack } from "@o11y-gitops/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stack } from "../../../stack.config.js";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse } from "yaml";
import { CHART_CONFIG_LINES, CHART_RECEIVERS_LINE, OTLP_ONLY_RECEIVERS_LINE, TEMPO_CONFIG_TEMPLATE } from "../src/_config.js";
import { checkTempo, TEMPO_GENERATOR_PROCESSORS, tempoComponent, tempoEndpoints, tempoValues } from "../src/index.js";
import { s3CredentialCases } from "../../../test-support/s3-credentials.js";
import { at, pathsContaining } from "../../../test-support/values.js";

const values = tempoValues(stack);

function withStack(patch: (s: Stack) => Partial<Stack>): Stack {
  return { ...stack, ...patch(stack) };
}

function withRetention(traces: string): Stack {
  return withStack((s) => ({ retention: { ...s.retention, traces: traces as Duration } }));
}

describe("tempoValues on the homelab stack", () => {
  it.each<[string, string, unknown]>([
    ["7-day retention as a Go duration", "tempo.retention", "168h"],
    ["HTTP on 3200", "tempo.server.http_listen_port", 3200],
    ["S3 backend", "tempo.storage.trace.backend", "s3"],
    ["traces bucket", "tempo.storage.trace.s3.bucket", "tempo-traces"],
    ["endpoint without a scheme", "tempo.storage.trace.s3.endpoint", "seaweedfs.sharmamohit.com:8333"],
    ["insecure flag from the stack", "tempo.storage.trace.s3.insecure", true],
    ["path-style addressing", "tempo.storage.trace.s3.forcepathstyle", true],
    ["region", "tempo.storage.trace.s3.region", "us-east-1"],
    ["access key from the environment", "tempo.storage.trace.s3.access_key", "${AWS_ACCESS_KEY_ID}"],
    ["secret key from the environment", "tempo.storage.trace.s3.secret_key", "${AWS_SECRET_ACCESS_KEY}"],
    ["WAL under the volume mount", "tempo.storage.trace.wal.path", "/var/tempo/wal"],
    ["OTLP gRPC on all interfaces", "tempo.receivers.otlp.protocols.grpc.endpoint", "0.0.0.0:4317"],
    ["OTLP HTTP on all interfaces", "tempo.receivers.otlp.protocols.http.endpoint", "0.0.0.0:4318"],
    ["env expansion on", "tempo.extraArgs", { "config.expand-env": "true" }],
    ["access key env var", "tempo.extraEnv[0]", { name: "AWS_ACCESS_KEY_ID", valueFrom: { secretKeyRef: { name: "seaweedfs-s3-secret", key: "aws-access-key-id" } } }],
    ["secret key env var", "tempo.extraEnv[1]", { name: "AWS_SECRET_ACCESS_KEY", valueFrom: { secretKeyRef: { name: "seaweedfs-s3-secret", key: "aws-secret-access-key" } } }],
    ["WAL volume on", "persistence.enabled", true],
    ["WAL volume 10Gi", "persistence.size", "10Gi"],
    ["WAL volume on ceph-block", "persistence.storageClassName", "ceph-block"],
  ])("%s (%s)", (_what, path, want) => {
    expect(at(values, path)).toEqual(want);
  });

  it("passes the chart schema", () => {
    expect(validateValues("tempo", values)).toEqual([]);
  });

  it("opens only OTLP: the config renders only receivers.otlp; the chart's Jaeger endpoints are nulled for the Service", () => {
    expect(values.tempo?.receivers).toEqual({
      jaeger: { protocols: { grpc: null, thrift_binary: null, thrift_compact: null, thrift_http: null } },
      otlp: { protocols: { grpc: { endpoint: "0.0.0.0:4317" }, http: { endpoint: "0.0.0.0:4318" } } },
    });
    expect(values.config).toBe(TEMPO_CONFIG_TEMPLATE);
    const lines = TEMPO_CONFIG_TEMPLATE.split("\n");
    expect(lines.filter((l) => l.includes(".Values.tempo.receivers"))).toEqual(['    {{- toYaml (dict "otlp" .Values.tempo.receivers.otlp) | nindent 8 }}']);
    expect(lines[lines.indexOf("distributor:") + 1]).toBe("  receivers:");
  });

  // The template is the chart's own with one line changed; a chart bump must not leave a stale copy.
  const chartValues = resolve(import.meta.dirname, "../../../../shared/charts/tempo-1.26.7/values.yaml");
  const haveChart = existsSync(chartValues);
  it.skipIf(!haveChart)(
    haveChart
      ? "the config template is the pinned chart's `config` with only the receivers line replaced"
      : "the config template matches the pinned chart's — skipped: chart sources are not available (no ../shared/charts next to the repo)",
    () => {
      const chartConfig = (parse(readFileSync(chartValues, "utf8")) as { config: string }).config;
      expect(`${CHART_CONFIG_LINES.join("\n")}\n`).toBe(chartConfig);
      expect(chartConfig.split("\n").filter((l) => l === CHART_RECEIVERS_LINE)).toHaveLength(1);
      expect(TEMPO_CONFIG_TEMPLATE).toBe(chartConfig.replace(CHART_RECEIVERS_LINE, OTLP_ONLY_RECEIVERS_LINE));
    },
  );

  it("has the chart's ServiceMonitor scrape Tempo at the stack's interval", () => {
    expect(values.serviceMonitor).toEqual({ enabled: true, interval: "30s" });
  });

  it("leaves the metrics generator off unless given a remote-write URL", () => {
    expect(values.tempo?.metricsGenerator).toBeUndefined();
    expect(values.tempo?.overrides).toBeUndefined();
  });

  it("with a remote-write URL, runs the generator (service graphs, span metrics) with its WAL on the PVC", () => {
    const url = "http://kube-prometheus-stack-prometheus.monitoring.svc:9090/api/v1/write";
    const v = tempoValues(stack, { metricsRemoteWriteUrl: url });
    expect(v.tempo?.metricsGenerator).toEqual({
      enabled: true,
      remoteWriteUrl: url,
      storage: { path: "/var/tempo/generator/wal" },
      traces_storage: { path: "/var/tempo/generator/traces" },
    });
    expect(v.tempo?.overrides).toEqual({ defaults: { metrics_generator: { processors: ["service-graphs", "span-metrics"] } } });
    expect(TEMPO_GENERATOR_PROCESSORS).toEqual(["service-graphs", "span-metrics"]);
    expect(validateValues("tempo", v)).toEqual([]);
    expect(tempoComponent(stack, { metricsRemoteWriteUrl: url }).values).toEqual(v);
  });

  it("does not compile with a misspelled key", () => {
    // @ts-expect-error `forcePathStyle` is spelled `forcepathstyle` in Tempo's s3 block
    const typo: TempoValues = { tempo: { storage: { trace: { s3: { bucket: "b", endpoint: "e", forcePathStyle: true } } } } };
    expect(typo).toBeDefined();
  });

  it.each<[string, unknown, { path: string; message: string }[]]>([
    ["a misspelled key", { ...values, persistance: { enabled: true } }, [{ path: "(root)", message: 'must NOT have additional property "persistance" (did you mean "persistence"?)' }]],
    ["a retention Go cannot parse", { ...values, tempo: { ...values.tempo, retention: "7d" } }, [{ path: "tempo.retention", message: 'must match pattern "^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$", found "7d"' }]],
  ])("fails the chart schema on %s", (_what, bad, want) => {
    expect(validateValues("tempo", bad)).toEqual(want);
  });

  s3CredentialCases({ values, rebuild: () => tempoValues(stack), env: (v) => v.tempo?.extraEnv });
});

describe("tempoComponent", () => {
  const c = tempoComponent(stack);

  it("is the tempo release of the pinned chart, after kube-prometheus-stack", () => {
    expect({ name: c.name, chart: c.chart, release: c.release, dependsOn: c.dependsOn, manifests: c.manifests }).toEqual({
      name: "tempo",
      chart: "tempo",
      release: "tempo",
      dependsOn: ["kube-prometheus-stack"],
      manifests: [],
    });
    expect(charts[c.chart as keyof typeof charts].version).toBe("1.26.7");
    expect(c.values).toEqual(values);
  });

  it("takes the release from the stack and needs no extra sync options", () => {
    const other = tempoComponent(withStack((s) => ({ releases: { ...s.releases, tempo: "traces" } })));
    expect(other.release).toBe("traces");
    expect(other.syncOptions).toBeUndefined();
  });
});

describe("one source of truth", () => {
  const changed: Stack = withStack((s) => ({
    storageClass: "fast-nvme",
    objectStore: {
      ...s.objectStore,
      endpoint: "minio.lab.example:9000",
      insecure: false,
      region: "eu-west-1",
      forcePathStyle: false,
      buckets: { ...s.objectStore.buckets, tempo: "traces-b" },
    },
    secrets: {
      ...s.secrets,
      s3Credentials: { name: "minio-creds", accessKeyIdKey: "id", secretAccessKeyKey: "secret" },
    },
    volumes: { ...s.volumes, tempoWal: "25Gi" as Quantity },
  }));
  const after = tempoValues(changed);

  it.each<[string, string, string, string[]]>([
    ["S3 endpoint", stack.objectStore.endpoint, changed.objectStore.endpoint, ["tempo.storage.trace.s3.endpoint"]],
    ["region", stack.objectStore.region, changed.objectStore.region, ["tempo.storage.trace.s3.region"]],
    ["traces bucket", stack.objectStore.buckets.tempo, changed.objectStore.buckets.tempo, ["tempo.storage.trace.s3.bucket"]],
    ["credentials Secret", stack.secrets.s3Credentials.name, changed.secrets.s3Credentials.name, ["tempo.extraEnv[0].valueFrom.secretKeyRef.name", "tempo.extraEnv[1].valueFrom.secretKeyRef.name"]],
    ["access key id key", stack.secrets.s3Credentials.accessKeyIdKey, changed.secrets.s3Credentials.accessKeyIdKey, ["tempo.extraEnv[0].valueFrom.secretKeyRef.key"]],
    ["secret key key", stack.secrets.s3Credentials.secretAccessKeyKey, changed.secrets.s3Credentials.secretAccessKeyKey, ["tempo.extraEnv[1].valueFrom.secretKeyRef.key"]],
    ["storage class", stack.storageClass, changed.storageClass, ["persistence.storageClassName"]],
    ["WAL size", stack.volumes.tempoWal, changed.volumes.tempoWal, ["persistence.size"]],
  ])("%s: every place it appears follows the stack", (_what, before, now, where) => {
    // `config` is the chart's fixed template (no stack value in it), whose text holds short words like "id".
    const withoutTemplate = ({ config, ...rest }: TempoValues): TempoValues => (expect(config).toBe(TEMPO_CONFIG_TEMPLATE), rest);
    expect(pathsContaining(withoutTemplate(values), before)).toEqual(where);
    expect(pathsContaining(withoutTemplate(after), now)).toEqual(where);
    expect(pathsContaining(after, before)).toEqual([]);
  });

  it("the insecure and path-style flags follow the stack", () => {
    expect(at(after, "tempo.storage.trace.s3.insecure")).toBe(false);
    expect(at(after, "tempo.storage.trace.s3.forcepathstyle")).toBe(false);
  });

  it("the changed values still pass the chart schema", () => {
    expect(validateValues("tempo", after)).toEqual([]);
  });
});

describe("tempoEndpoints", () => {
  it.each<[string, string, string]>([
    ["tempo", "monitoring", "tempo.monitoring.svc"],
    ["my-tempo", "obs", "my-tempo.obs.svc"],
    ["traces", "monitoring", "traces-tempo.monitoring.svc"],
    ["a".repeat(59), "monitoring", `${"a".repeat(59)}-tem.monitoring.svc`],
    ["a".repeat(62), "monitoring", `${"a".repeat(62)}.monitoring.svc`],
  ])("release %s in %s → %s", (release, namespace, host) => {
    const e = tempoEndpoints(withStack((s) => ({ namespace, releases: { ...s.releases, tempo: release } })));
    expect([e.http.host, e.otlpGrpc.host, e.otlpHttp.host]).toEqual([host, host, host]);
  });

  it("matches the seed's endpoint table and the ports the values listen on", () => {
    const e = tempoEndpoints(stack);
    expect(e.queryUrl).toBe("http://tempo.monitoring.svc:3200");
    expect([e.otlpGrpc.host, e.otlpGrpc.port, e.otlpHttp.port]).toEqual(["tempo.monitoring.svc", 4317, 4318]);
    expect(e.http.port).toBe(values.tempo?.server?.http_listen_port);
    expect(values.tempo?.receivers?.otlp?.protocols?.grpc?.endpoint).toBe(`0.0.0.0:${e.otlpGrpc.port}`);
    expect(values.tempo?.receivers?.otlp?.protocols?.http?.endpoint).toBe(`0.0.0.0:${e.otlpHttp.port}`);
  });
});

describe("checkTempo", () => {
  it("finds nothing wrong with the homelab stack", () => {
    expect(checkTempo(stack)).toEqual([]);
  });

  it.each<[string, Stack, Problem[]]>([
    ["a retention in words", withRetention("7 days"), [
      { path: "stack.retention.traces", message: '"7 days" is not a duration like 30d (an integer and one unit: s, m, h, d, w or y)' },
    ]],
    ["an upper-case unit", withRetention("7D"), [
      { path: "stack.retention.traces", message: '"7D" is not a duration like 30d (an integer and one unit: s, m, h, d, w or y)' },
    ]],
    ["a zero retention", withRetention("0d"), [
      { path: "stack.retention.traces", message: '"0d" must be longer than zero' },
    ]],
  ])("reports %s", (_what, bad, want) => {
    expect(checkTempo(bad)).toEqual(want);
  });

  it.each<[string, Stack, Problem[]]>([
    ["an empty bucket", withStack((s) => ({ objectStore: { ...s.objectStore, buckets: { ...s.objectStore.buckets, tempo: "" } } })), [
      { path: "stack.objectStore.buckets.tempo", message: "must not be empty" },
    ]],
    ["a bucket that is too short", withStack((s) => ({ objectStore: { ...s.objectStore, buckets: { ...s.objectStore.buckets, tempo: "tt" } } })), [
      { path: "stack.objectStore.buckets.tempo", message: '"tt" is not a valid S3 bucket name (3-63 characters: lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit)' },
    ]],
    ["an endpoint with a scheme", withStack((s) => ({ objectStore: { ...s.objectStore, endpoint: "https://s3.example.com" } })), [
      { path: "stack.objectStore.endpoint", message: '"https://s3.example.com" must be host[:port] without a scheme (stack.objectStore.insecure selects http or https)' },
    ]],
    ["an empty endpoint", withStack((s) => ({ objectStore: { ...s.objectStore, endpoint: "" } })), [
      { path: "stack.objectStore.endpoint", message: "must not be empty" },
    ]],
    ["a secret key Kubernetes refuses", withStack((s) => ({ secrets: { ...s.secrets, s3Credentials: { ...s.secrets.s3Credentials, secretAccessKeyKey: "secret/key" } } })), [
      { path: "stack.secrets.s3Credentials.secretAccessKeyKey", message: '"secret/key" is not a valid Secret key (letters, digits, "-", "_" and ".")' },
    ]],
    ["a WAL size without a unit", withStack((s) => ({ volumes: { ...s.volumes, tempoWal: "10" as Quantity } })), [
      { path: "stack.volumes.tempoWal", message: '"10" is not a volume size like 10Gi (a positive integer and Ki, Mi, Gi or Ti)' },
    ]],
    ["a release with an underscore", withStack((s) => ({ releases: { ...s.releases, tempo: "my_tempo" } })), [
      { path: "stack.releases.tempo", message: '"my_tempo" is not a valid Helm release name (lowercase letters, digits and "-", at most 53 characters)' },
    ]],
  ])("leaves %s to core's stackConfigProblems (a shared field, reported once), and tempoValues refuses it", (_what, bad, want) => {
    expect(stackConfigProblems(bad)).toEqual(want);
    expect(checkTempo(bad)).toEqual([]);
    expect(() => tempoValues(bad)).toThrow(want.map(formatProblem).join("\n"));
  });

  it("tempoValues and tempoComponent throw every problem as one StackError", () => {
    const bad = withStack((s) => ({
      retention: { ...s.retention, traces: "1 week" as Duration },
      objectStore: { ...s.objectStore, buckets: { ...s.objectStore.buckets, tempo: "" } },
    }));
    const message = [
      'stack.retention.traces: "1 week" is not a duration like 30d (an integer and one unit: s, m, h, d, w or y)',
      "stack.objectStore.buckets.tempo: must not be empty",
    ].join("\n");
    expect(() => tempoValues(bad)).toThrow(StackError);
    expect(() => tempoValues(bad)).toThrow(message);
    expect(() => tempoComponent(bad)).toThrow(message);
  });
});

describe("retention", () => {
  it.each<[string, string]>([
    ["7d", "168h"],
    ["36h", "36h"],
    ["2w", "336h"],
    ["90m", "90m"],
    ["45s", "45s"],
  ])("%s → tempo.retention %s", (traces, want) => {
    expect(tempoValues(withRetention(traces)).tempo?.retention).toBe(want);
  });

  const UNIT = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 } as const;

  it("renders any positive retention as a Go duration of the same length that the chart schema accepts", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.constantFrom(...(Object.keys(UNIT) as (keyof typeof UNIT)[])), (n, unit) => {
        const v = tempoValues(withRetention(`${n}${unit}`));
        const m = /^(\d+)(h|m|s)$/.exec(v.tempo?.retention ?? "");
        expect(m).not.toBeNull();
        expect(Number(m?.[1]) * UNIT[m?.[2] as "h" | "m" | "s"]).toBe(n * UNIT[unit]);
        expect(validateValues("tempo", v)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it("rejects any string that is not an integer and one unit, with the exact message", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        fc.pre(!/^(0|[1-9][0-9]*)(s|m|h|d|w|y)$/.test(s));
        expect(checkTempo(withRetention(s))).toEqual([
          { path: "stack.retention.traces", message: `${JSON.stringify(s)} is not a duration like 30d (an integer and one unit: s, m, h, d, w or y)` },
        ]);
      }),
    );
  });
});
