import { charts, validateValues } from "@o11y-gitops/chart-values";
import type { LokiValues } from "@o11y-gitops/chart-values/loki";
import { formatProblem, StackError, stackConfigProblems, type Duration, type Problem, type Quantity, type Stack } from "@o11y-gitops/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stack } from "../../../stack.config.js";
import { checkLoki, LOKI_SCHEMA_FROM, lokiComponent, lokiEndpoints, lokiValues } from "../src/index.js";
import { s3CredentialCases } from "../../../test-support/s3-credentials.js";
import { at, pathsContaining } from "../../../test-support/values.js";

const values = lokiValues(stack);

/** The stack with some fields replaced (one level deep per section). */
function withStack(patch: (s: Stack) => Partial<Stack>): Stack {
  return { ...stack, ...patch(stack) };
}

function withRetention(logs: string): Stack {
  return withStack((s) => ({ retention: { ...s.retention, logs: logs as Duration } }));
}

function withBuckets(buckets: Partial<Stack["objectStore"]["buckets"]>): Stack {
  return withStack((s) => ({ objectStore: { ...s.objectStore, buckets: { ...s.objectStore.buckets, ...buckets } } }));
}

describe("lokiValues on the homelab stack", () => {
  it.each<[string, string, unknown]>([
    ["SingleBinary mode", "deploymentMode", "SingleBinary"],
    ["one single-binary pod", "singleBinary.replicas", 1],
    ["multi-tenant", "loki.auth_enabled", true],
    ["one ingester, so replication factor 1", "loki.commonConfig.replication_factor", 1],
    ["HTTP on 3100", "loki.server.http_listen_port", 3100],
    ["S3 storage", "loki.storage.type", "s3"],
    ["plain-HTTP SeaweedFS endpoint", "loki.storage.s3.endpoint", "http://seaweedfs.sharmamohit.com:8333"],
    ["insecure flag from the stack", "loki.storage.s3.insecure", true],
    ["path-style addressing", "loki.storage.s3.s3ForcePathStyle", true],
    ["region", "loki.storage.s3.region", "us-east-1"],
    ["chunks bucket", "loki.storage.bucketNames.chunks", "loki-chunks"],
    ["ruler bucket", "loki.storage.bucketNames.ruler", "loki-ruler"],
    ["access key from the environment", "loki.storage.s3.accessKeyId", "${AWS_ACCESS_KEY_ID}"],
    ["secret key from the environment", "loki.storage.s3.secretAccessKey", "${AWS_SECRET_ACCESS_KEY}"],
    ["env expansion on", "singleBinary.extraArgs", ["-config.expand-env=true"]],
    ["access key env var", "singleBinary.extraEnv[0]", { name: "AWS_ACCESS_KEY_ID", valueFrom: { secretKeyRef: { name: "seaweedfs-s3-secret", key: "aws-access-key-id" } } }],
    ["secret key env var", "singleBinary.extraEnv[1]", { name: "AWS_SECRET_ACCESS_KEY", valueFrom: { secretKeyRef: { name: "seaweedfs-s3-secret", key: "aws-secret-access-key" } } }],
    ["WAL volume on", "singleBinary.persistence.enabled", true],
    ["WAL volume 10Gi", "singleBinary.persistence.size", "10Gi"],
    ["WAL volume on ceph-block", "singleBinary.persistence.storageClass", "ceph-block"],
    ["TSDB v13 schema", "loki.schemaConfig.configs", [
      { from: "2024-04-01", store: "tsdb", object_store: "s3", schema: "v13", index: { prefix: "loki_index_", period: "24h" } },
    ]],
    ["30-day retention", "loki.limits_config.retention_period", "720h"],
    ["compactor deletes", "loki.compactor.retention_enabled", true],
    ["delete requests kept in S3", "loki.compactor.delete_request_store", "s3"],
    ["ruler on, inside the single binary", "ruler.enabled", true],
    ["no nginx gateway", "gateway.enabled", false],
    ["no canary DaemonSet", "lokiCanary.enabled", false],
    ["no Helm test (it needs the canary)", "test.enabled", false],
    ["no rules sidecar", "sidecar.rules.enabled", false],
    ["chunks cache 512 MB", "chunksCache.allocatedMemory", 512],
    ["results cache 128 MB", "resultsCache.allocatedMemory", 128],
  ])("%s (%s)", (_what, path, want) => {
    expect(at(values, path)).toEqual(want);
  });

  it.each([
    "backend", "read", "write", "ingester", "distributor", "querier", "queryFrontend", "queryScheduler",
    "indexGateway", "compactor", "ruler", "bloomGateway", "bloomPlanner", "bloomBuilder", "patternIngester",
    "overridesExporter",
  ])("scales the %s target to 0", (target) => {
    expect(at(values, `${target}.replicas`)).toBe(0);
  });

  it("uses the exported schema start date", () => {
    expect(values.loki?.schemaConfig?.configs[0]?.from).toBe(LOKI_SCHEMA_FROM);
  });

  it("has the chart's ServiceMonitor scrape Loki at the stack's interval, without the Grafana Agent MetricsInstance", () => {
    expect(values.monitoring).toEqual({ serviceMonitor: { enabled: true, interval: "30s" } });
    // The ServiceMonitor relabels `cluster` to this; the stack's cluster, as Prometheus' external label.
    expect(values.clusterLabelOverride).toBe("minipcs");
  });

  it("passes the chart schema", () => {
    expect(validateValues("loki", values)).toEqual([]);
  });

  it("does not compile with a misspelled key", () => {
    // @ts-expect-error `replica` is not a key of the chart's singleBinary section
    const typo: LokiValues = { singleBinary: { replica: 1 } };
    expect(typo).toBeDefined();
  });

  it("fails the chart schema on a misspelled key", () => {
    const typo = { ...values, singleBinary: { ...values.singleBinary, replica: 1 } };
    expect(validateValues("loki", typo)).toEqual([
      { path: "singleBinary", message: 'must NOT have additional property "replica" (did you mean "replicas"?)' },
    ]);
  });

  it("fails the chart schema without a schema_config, as the chart's validate.yaml would", () => {
    const { schemaConfig: _dropped, ...loki } = values.loki ?? {};
    expect(validateValues("loki", { ...values, loki })).toEqual([
      { path: "loki", message: 'must have required property "schemaConfig" or "structuredConfig"' },
    ]);
  });

  s3CredentialCases({ values, rebuild: () => lokiValues(stack), env: (v) => v.singleBinary?.extraEnv });
});

describe("lokiComponent", () => {
  const c = lokiComponent(stack);

  it("is the loki release of the pinned chart, after kube-prometheus-stack", () => {
    expect({ name: c.name, chart: c.chart, release: c.release, dependsOn: c.dependsOn, manifests: c.manifests }).toEqual({
      name: "loki",
      chart: "loki",
      release: "loki",
      dependsOn: ["kube-prometheus-stack"],
      manifests: [],
    });
    expect(charts[c.chart as keyof typeof charts].version).toBe("6.57.0");
    expect(c.values).toEqual(values);
  });

  it("takes the release from the stack and needs no extra sync options", () => {
    const other = lokiComponent(withStack((s) => ({ releases: { ...s.releases, loki: "logs" } })));
    expect(other.release).toBe("logs");
    expect(other.syncOptions).toBeUndefined();
  });
});

describe("one source of truth", () => {
  const changed: Stack = withStack((s) => ({
    storageClass: "fast-nvme",
    lokiTenant: "family",
    objectStore: {
      ...s.objectStore,
      endpoint: "minio.lab.example:9000",
      insecure: false,
      region: "eu-west-1",
      forcePathStyle: false,
      buckets: { ...s.objectStore.buckets, lokiChunks: "chunks-b", lokiRuler: "ruler-b" },
    },
    secrets: {
      ...s.secrets,
      s3Credentials: { name: "minio-creds", accessKeyIdKey: "id", secretAccessKeyKey: "secret" },
    },
    volumes: { ...s.volumes, lokiWal: "25Gi" as Quantity },
  }));
  const after = lokiValues(changed);

  it.each<[string, string, string, string[]]>([
    ["S3 endpoint", stack.objectStore.endpoint, changed.objectStore.endpoint, ["loki.storage.s3.endpoint"]],
    ["region", stack.objectStore.region, changed.objectStore.region, ["loki.storage.s3.region"]],
    ["chunks bucket", stack.objectStore.buckets.lokiChunks, changed.objectStore.buckets.lokiChunks, ["loki.storage.bucketNames.chunks"]],
    ["ruler bucket", stack.objectStore.buckets.lokiRuler, changed.objectStore.buckets.lokiRuler, ["loki.storage.bucketNames.ruler"]],
    ["credentials Secret", stack.secrets.s3Credentials.name, changed.secrets.s3Credentials.name, ["singleBinary.extraEnv[0].valueFrom.secretKeyRef.name", "singleBinary.extraEnv[1].valueFrom.secretKeyRef.name"]],
    ["access key id key", stack.secrets.s3Credentials.accessKeyIdKey, changed.secrets.s3Credentials.accessKeyIdKey, ["singleBinary.extraEnv[0].valueFrom.secretKeyRef.key"]],
    ["secret key key", stack.secrets.s3Credentials.secretAccessKeyKey, changed.secrets.s3Credentials.secretAccessKeyKey, ["singleBinary.extraEnv[1].valueFrom.secretKeyRef.key"]],
    ["storage class", stack.storageClass, changed.storageClass, ["singleBinary.persistence.storageClass"]],
    ["WAL size", stack.volumes.lokiWal, changed.volumes.lokiWal, ["singleBinary.persistence.size"]],
  ])("%s: every place it appears follows the stack", (_what, before, now, where) => {
    expect(pathsContaining(values, before)).toEqual(where);
    expect(pathsContaining(after, now)).toEqual(where);
    expect(pathsContaining(after, before)).toEqual([]);
  });

  it("insecure picks the endpoint scheme and the insecure flag together", () => {
    expect(at(after, "loki.storage.s3.endpoint")).toBe("https://minio.lab.example:9000");
    expect(at(after, "loki.storage.s3.insecure")).toBe(false);
    expect(at(after, "loki.storage.s3.s3ForcePathStyle")).toBe(false);
  });

  it("the tenant is the clients' business: Loki only turns auth on", () => {
    expect(pathsContaining(values, stack.lokiTenant)).toEqual([]);
    expect(pathsContaining(after, changed.lokiTenant)).toEqual([]);
    expect(at(after, "loki.auth_enabled")).toBe(true);
  });

  it("the changed values still pass the chart schema", () => {
    expect(validateValues("loki", after)).toEqual([]);
  });
});

describe("lokiEndpoints", () => {
  it.each<[string, string, string]>([
    ["loki", "monitoring", "loki.monitoring.svc"],
    ["my-loki", "logs", "my-loki.logs.svc"],
    ["logs", "monitoring", "logs-loki.monitoring.svc"],
    ["a".repeat(58), "monitoring", `${"a".repeat(58)}-loki.monitoring.svc`],
    ["a".repeat(59), "monitoring", `${"a".repeat(59)}-lok.monitoring.svc`],
    ["a".repeat(62), "monitoring", `${"a".repeat(62)}.monitoring.svc`],
  ])("release %s in %s → %s", (release, namespace, host) => {
    const e = lokiEndpoints(withStack((s) => ({ namespace, releases: { ...s.releases, loki: release } })));
    expect(e.http.host).toBe(host);
  });

  it("matches the seed's endpoint table and the port the values set", () => {
    const e = lokiEndpoints(stack);
    expect(e.queryUrl).toBe("http://loki.monitoring.svc:3100");
    expect(e.pushUrl).toBe("http://loki.monitoring.svc:3100/loki/api/v1/push");
    expect(e.http.port).toBe(values.loki?.server?.http_listen_port);
  });
});

describe("checkLoki", () => {
  it("finds nothing wrong with the homelab stack", () => {
    expect(checkLoki(stack)).toEqual([]);
  });

  it.each<[string, Stack, Problem[]]>([
    ["a retention in words", withRetention("30 days"), [
      { path: "stack.retention.logs", message: '"30 days" is not a duration like 30d (an integer and one unit: s, m, h, d, w or y)' },
    ]],
    ["a compound retention", withRetention("1d12h"), [
      { path: "stack.retention.logs", message: '"1d12h" is not a duration like 30d (an integer and one unit: s, m, h, d, w or y)' },
    ]],
    ["an empty retention", withRetention(""), [
      { path: "stack.retention.logs", message: '"" is not a duration like 30d (an integer and one unit: s, m, h, d, w or y)' },
    ]],
    ["a retention under a day", withRetention("12h"), [
      { path: "stack.retention.logs", message: '"12h" is below Loki\'s 24h minimum retention period' },
    ]],
  ])("reports %s", (_what, bad, want) => {
    expect(checkLoki(bad)).toEqual(want);
  });

  it.each<[string, Stack, Problem[]]>([
    ["an empty chunks bucket", withBuckets({ lokiChunks: "" }), [
      { path: "stack.objectStore.buckets.lokiChunks", message: "must not be empty" },
    ]],
    ["an invalid ruler bucket", withBuckets({ lokiRuler: "Loki_Ruler" }), [
      { path: "stack.objectStore.buckets.lokiRuler", message: '"Loki_Ruler" is not a valid S3 bucket name (3-63 characters: lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit)' },
    ]],
    ["an empty tenant", withStack(() => ({ lokiTenant: "" })), [
      { path: "stack.lokiTenant", message: '"" is not a valid Loki tenant ID (1-150 characters: letters, digits and !-_.*\'() only, not "." or "..")' },
    ]],
    ["a tenant with a space", withStack(() => ({ lokiTenant: "home lab" })), [
      { path: "stack.lokiTenant", message: '"home lab" is not a valid Loki tenant ID (1-150 characters: letters, digits and !-_.*\'() only, not "." or "..")' },
    ]],
    ["a tenant that is a path segment", withStack(() => ({ lokiTenant: ".." })), [
      { path: "stack.lokiTenant", message: '".." is not a valid Loki tenant ID (1-150 characters: letters, digits and !-_.*\'() only, not "." or "..")' },
    ]],
    ["a tenant of 151 characters", withStack(() => ({ lokiTenant: "t".repeat(151) })), [
      { path: "stack.lokiTenant", message: `"${"t".repeat(151)}" is not a valid Loki tenant ID (1-150 characters: letters, digits and !-_.*'() only, not "." or "..")` },
    ]],
    ["an endpoint with a scheme", withStack((s) => ({ objectStore: { ...s.objectStore, endpoint: "http://seaweedfs:8333" } })), [
      { path: "stack.objectStore.endpoint", message: '"http://seaweedfs:8333" must be host[:port] without a scheme (stack.objectStore.insecure selects http or https)' },
    ]],
    ["an endpoint with a path", withStack((s) => ({ objectStore: { ...s.objectStore, endpoint: "seaweedfs:8333/s3" } })), [
      { path: "stack.objectStore.endpoint", message: '"seaweedfs:8333/s3" is not a host[:port]' },
    ]],
    ["an empty region", withStack((s) => ({ objectStore: { ...s.objectStore, region: "" } })), [
      { path: "stack.objectStore.region", message: "must not be empty" },
    ]],
    ["a secret key Kubernetes refuses", withStack((s) => ({ secrets: { ...s.secrets, s3Credentials: { ...s.secrets.s3Credentials, accessKeyIdKey: "access key" } } })), [
      { path: "stack.secrets.s3Credentials.accessKeyIdKey", message: '"access key" is not a valid Secret key (letters, digits, "-", "_" and ".")' },
    ]],
    ["an invalid Secret name", withStack((s) => ({ secrets: { ...s.secrets, s3Credentials: { ...s.secrets.s3Credentials, name: "SeaweedFS" } } })), [
      { path: "stack.secrets.s3Credentials.name", message: '"SeaweedFS" is not a valid Secret name (a DNS-1123 subdomain)' },
    ]],
    ["an empty storage class", withStack(() => ({ storageClass: "" })), [
      { path: "stack.storageClass", message: '"" is not a valid StorageClass name (a DNS-1123 subdomain)' },
    ]],
    ["a WAL size in GB", withStack((s) => ({ volumes: { ...s.volumes, lokiWal: "10GB" as Quantity } })), [
      { path: "stack.volumes.lokiWal", message: '"10GB" is not a volume size like 10Gi (a positive integer and Ki, Mi, Gi or Ti)' },
    ]],
    ["an uppercase release", withStack((s) => ({ releases: { ...s.releases, loki: "Loki" } })), [
      { path: "stack.releases.loki", message: '"Loki" is not a valid Helm release name (lowercase letters, digits and "-", at most 53 characters)' },
    ]],
  ])("leaves %s to core's stackConfigProblems (a shared field, reported once), and lokiValues refuses it", (_what, bad, want) => {
    expect(stackConfigProblems(bad)).toEqual(want);
    expect(checkLoki(bad)).toEqual([]);
    expect(() => lokiValues(bad)).toThrow(want.map(formatProblem).join("\n"));
  });

  it("reports every problem at once, and lokiValues throws them as one StackError", () => {
    const bad = withStack((s) => ({
      retention: { ...s.retention, logs: "7 days" as Duration },
      objectStore: { ...s.objectStore, buckets: { ...s.objectStore.buckets, lokiChunks: "" } },
    }));
    const message = [
      'stack.retention.logs: "7 days" is not a duration like 30d (an integer and one unit: s, m, h, d, w or y)',
      "stack.objectStore.buckets.lokiChunks: must not be empty",
    ].join("\n");
    expect(() => lokiValues(bad)).toThrow(StackError);
    expect(() => lokiValues(bad)).toThrow(message);
    expect(() => lokiComponent(bad)).toThrow(message);
  });
});

describe("retention", () => {
  it.each<[string, string]>([
    ["30d", "720h"],
    ["24h", "24h"],
    ["4w", "672h"],
    ["1y", "8760h"],
    ["1441m", "1441m"],
    ["86401s", "86401s"],
  ])("%s → retention_period %s", (logs, want) => {
    expect(lokiValues(withRetention(logs)).loki?.limits_config?.retention_period).toBe(want);
  });

  const UNIT = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 } as const;
  const renderedSeconds = (d: string): number => {
    const m = /^(\d+)(h|m|s)$/.exec(d);
    if (!m) throw new Error(`not an h/m/s duration: ${d}`);
    return Number(m[1]) * UNIT[m[2] as "h" | "m" | "s"];
  };

  it("renders any valid retention of a day or more as the same number of seconds", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.constantFrom(...(Object.keys(UNIT) as (keyof typeof UNIT)[])), (n, unit) => {
        const seconds = n * UNIT[unit];
        fc.pre(seconds >= 86_400);
        const got = lokiValues(withRetention(`${n}${unit}`)).loki?.limits_config?.retention_period ?? "";
        expect(renderedSeconds(got)).toBe(seconds);
      }),
    );
  });

  it("rejects any string that is not an integer and one unit, with the exact message", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        fc.pre(!/^(0|[1-9][0-9]*)(s|m|h|d|w|y)$/.test(s));
        expect(checkLoki(withRetention(s))).toEqual([
          { path: "stack.retention.logs", message: `${JSON.stringify(s)} is not a duration like 30d (an integer and one unit: s, m, h, d, w or y)` },
        ]);
      }),
    );
  });
});
