import { describe, expect, it } from "vitest";
import { secretSkeletons } from "@o11y-gitops/core";
import { lokiEndpoints } from "@o11y-gitops/logs";
import { stack } from "../../../stack.config.js";
import { retentionFindings, secretFindings, volumeFindings } from "../src/checks/seed.js";
import type { RenderedObject } from "../src/objects.js";
import { job, rendered, service } from "./_fixtures.js";

const ns = stack.namespace;
const loki = lokiEndpoints(stack).http;
const lokiJob = job("loki", ns, { release: stack.releases.loki });

function lokiSts(size: string, storageClass: string, env: unknown[] = []): RenderedObject {
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: loki.service, namespace: ns },
    spec: {
      volumeClaimTemplates: [{ metadata: { name: "storage" }, spec: { storageClassName: storageClass, resources: { requests: { storage: size } } } }],
      template: { metadata: { labels: { app: "loki" } }, spec: { containers: [{ name: "loki", ports: [{ containerPort: loki.port }], env }] } },
    },
  };
}

function lokiConfig(retention: string, bucket: string): RenderedObject {
  const cfg = [
    "compactor: { retention_enabled: true }",
    `limits_config: { retention_period: ${retention} }`,
    `common: { storage: { s3: { bucketnames: ${bucket} } } }`,
    `ruler: { storage: { s3: { bucketnames: ${stack.objectStore.buckets.lokiRuler} } } }`,
  ].join("\n");
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name: loki.service, namespace: ns }, data: { "config.yaml": cfg } };
}

const lokiService = service(loki.service, ns, [{ port: loki.port }], { app: "loki" });

describe("check 5: the seed's facts as the workloads see them", () => {
  it("holds for Loki's WAL claim from stack.volumes.lokiWal in stack.storageClass", () => {
    const found = volumeFindings([rendered(lokiJob, [lokiService, lokiSts(stack.volumes.lokiWal, stack.storageClass)])], stack);
    expect(found.filter((f) => f.message.startsWith("StatefulSet"))).toEqual([]);
  });

  it("reports a WAL claim of the wrong size and class", () => {
    const found = volumeFindings([rendered(lokiJob, [lokiService, lokiSts("5Gi", "standard")])], stack).filter((f) => f.job === "loki");
    expect(found.map((f) => f.message)).toEqual([
      `StatefulSet ${ns}/${loki.service} claim storage: size 5Gi, stack.volumes.lokiWal is ${stack.volumes.lokiWal}`,
      `StatefulSet ${ns}/${loki.service} claim storage: storage class standard, stack.storageClass is ${stack.storageClass}`,
    ]);
  });

  it("reports a workload the stack addresses that is not rendered", () => {
    const found = volumeFindings([rendered(lokiJob, [])], stack).map((f) => f.message);
    expect(found).toContain(`stack.volumes.lokiWal: no Service ${ns}/${loki.service} rendered`);
  });

  it("reads retention and buckets from Loki's rendered config file (720h is 30d)", () => {
    const ok = retentionFindings([rendered(lokiJob, [lokiConfig("720h", stack.objectStore.buckets.lokiChunks)])], stack).filter((f) => f.job === "loki");
    expect(ok).toEqual([]);
    const bad = retentionFindings([rendered(lokiJob, [lokiConfig("24h", "other-bucket")])], stack).filter((f) => f.job === "loki");
    expect(bad.map((f) => f.message)).toEqual([
      `ConfigMap ${ns}/${loki.service} config.yaml: limits_config.retention_period is "24h", stack.retention.logs is "${stack.retention.logs}"`,
      `ConfigMap ${ns}/${loki.service} config.yaml: common.storage.s3.bucketnames is "other-bucket", stack.objectStore.buckets.lokiChunks is "${stack.objectStore.buckets.lokiChunks}"`,
    ]);
  });

  it("reports the Thanos compactor's retention flags against stack.retention", () => {
    const compactor: RenderedObject = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "c", namespace: ns, labels: { "app.kubernetes.io/component": "compactor" } },
      spec: { template: { spec: { containers: [{ name: "compactor", args: ["compact", `--retention.resolution-raw=${stack.retention.metricsRaw}`, "--retention.resolution-5m=1d"] }] } } },
    };
    const found = retentionFindings([rendered(job("thanos", ns, { release: stack.releases.thanos }), [compactor])], stack).filter((f) => f.job === "thanos");
    expect(found.map((f) => f.message)).toEqual([
      `Deployment ${ns}/c: --retention.resolution-5m is 1d, stack.retention.metrics5m is ${stack.retention.metrics5m}`,
      `Deployment ${ns}/c: --retention.resolution-1h is not set, stack.retention.metrics1h is ${stack.retention.metrics1h}`,
    ]);
  });

  it("reports Secrets referenced by name and key that the tree does not define", () => {
    const s3 = stack.secrets.s3Credentials;
    const env = [
      { name: "AWS_ACCESS_KEY_ID", valueFrom: { secretKeyRef: { name: s3.name, key: s3.accessKeyIdKey } } },
      { name: "AWS_SECRET_ACCESS_KEY", valueFrom: { secretKeyRef: { name: s3.name, key: "aws-secret-key" } } },
      { name: "TOKEN", valueFrom: { secretKeyRef: { name: "loki-token", key: "token" } } },
      { name: "OPTIONAL", valueFrom: { secretKeyRef: { name: "maybe", key: "x", optional: true } } },
    ];
    const found = secretFindings([rendered(lokiJob, [lokiSts(stack.volumes.lokiWal, stack.storageClass, env)])], stack, secretSkeletons(stack), {});
    expect(found.map((f) => f.message)).toEqual([
      `StatefulSet ${ns}/${loki.service} env AWS_SECRET_ACCESS_KEY: Secret ${ns}/${s3.name} has no key aws-secret-key (it has ${s3.accessKeyIdKey}, ${s3.secretAccessKeyKey})`,
      `StatefulSet ${ns}/${loki.service} env TOKEN: Secret ${ns}/loki-token is neither rendered nor in the tree`,
    ]);
  });
});
