import { describe, expect, it } from "vitest";
import { charts, validateValues } from "@o11y-gitops/chart-values";
import { StackError } from "@o11y-gitops/core";
import { kubePrometheusStackValues, metricsEndpoints, thanosComponent, thanosValues } from "../src/index.js";
import { homelab, withStack } from "./_helpers.js";

const values = thanosValues(homelab);

describe("thanosValues", () => {
  it("runs the stack's image (not the removed docker.io/bitnami one) with the chart's override switch", () => {
    expect(values.image).toEqual({ registry: "docker.io", repository: "bitnamilegacy/thanos", tag: "0.39.2-debian-12-r2" });
    expect(values.image?.repository?.startsWith("bitnami/")).toBe(false);
    expect(values.global?.security?.allowInsecureImages).toBe(true);
  });

  it("uses no other Bitnami image: the os-shell volume-permissions init container stays off", () => {
    expect(values.volumePermissions).toEqual({ enabled: false });
  });

  it("reads the sidecar's objstore Secret, mounting its key as objstore.yml", () => {
    expect(values.existingObjstoreSecret).toBe("thanos-objstore-secret");
    expect(values.existingObjstoreSecretItems).toEqual([{ key: "objstore.yml", path: "objstore.yml" }]);
    const sidecar = kubePrometheusStackValues(homelab).prometheus?.prometheusSpec?.thanos?.objectStorageConfig?.existingSecret;
    expect(sidecar).toEqual({ name: values.existingObjstoreSecret, key: values.existingObjstoreSecretItems?.[0]?.key });
  });

  it("federates the sidecar (DNS SRV on the kps thanos-discovery Service) and the store gateway, deduplicating prometheus_replica", () => {
    expect(values.query).toMatchObject({
      enabled: true,
      replicaLabel: ["prometheus_replica"],
      dnsDiscovery: { enabled: true, sidecarsService: "kube-prometheus-stack-thanos-discovery", sidecarsNamespace: "monitoring" },
    });
    expect(values.query?.stores).toBeUndefined();
    expect(values.storegateway?.enabled).toBe(true);
    expect(values.queryFrontend?.enabled).toBe(true);
  });

  it("gives the store gateway and the compactor 10Gi ceph-block volumes", () => {
    for (const part of [values.storegateway, values.compactor]) {
      expect(part?.persistence).toEqual({ enabled: true, storageClass: "ceph-block", accessModes: ["ReadWriteOnce"], size: "10Gi" });
    }
  });

  it("keeps raw 7d, 5m 30d and 1h 180d in the bucket", () => {
    expect(values.compactor).toMatchObject({
      enabled: true,
      retentionResolutionRaw: "7d",
      retentionResolution5m: "30d",
      retentionResolution1h: "180d",
    });
  });

  it("does not cap the components at Bitnami's `nano` preset", () => {
    for (const part of [values.query, values.queryFrontend, values.storegateway, values.compactor]) {
      expect(part?.resourcesPreset).toBe("none");
    }
  });

  it("turns off the parts the stack does not use and scrapes the rest", () => {
    expect([values.bucketweb?.enabled, values.ruler?.enabled, values.receive?.enabled]).toEqual([false, false, false]);
    expect(values.metrics).toEqual({ enabled: true, serviceMonitor: { enabled: true } });
  });

  it("passes the pinned chart's schema", () => {
    expect(validateValues("thanos", values)).toEqual([]);
  });

  it("follows stack.thanosImage and the kube-prometheus-stack release", () => {
    const s = withStack((x) => ({
      ...x,
      thanosImage: { registry: "quay.io", repository: "thanos/thanos", tag: "v0.39.2" },
      releases: { ...x.releases, kubePrometheusStack: "monitoring" },
    }));
    const v = thanosValues(s);
    expect(v.image).toEqual({ registry: "quay.io", repository: "thanos/thanos", tag: "v0.39.2" });
    expect(v.query?.dnsDiscovery?.sidecarsService).toBe("monitoring-kube-prometheus-thanos-discovery");
    expect(v.query?.dnsDiscovery?.sidecarsService).toBe(metricsEndpoints(s).thanosSidecar.service);
  });

  it("throws a StackError for a 5m retention Thanos would refuse", () => {
    const bad = withStack((s) => ({ ...s, retention: { ...s.retention, metrics5m: "9d" } }));
    expect(() => thanosValues(bad)).toThrow(StackError);
    expect(() => thanosComponent(bad)).toThrow(
      `stack.retention.metrics5m: "9d" is below Thanos' 10d minimum for 5m retention while downsampling is on`,
    );
  });
});

describe("thanosComponent", () => {
  it("is the thanos release of the pinned Bitnami OCI chart 17.6.0, after kube-prometheus-stack (wave 2)", () => {
    const c = thanosComponent(homelab);
    expect([c.name, c.chart, c.release, c.dependsOn]).toEqual(["thanos", "thanos", "thanos", ["kube-prometheus-stack"]]);
    expect(charts.thanos).toMatchObject({ version: "17.6.0", repository: "oci://registry-1.docker.io/bitnamicharts" });
    expect(c.values).toEqual(values);
    expect(c.manifests).toEqual([]);
    expect(c.extraValues).toBeUndefined();
  });
});
