// validateValues against the committed schemas and generated validators (no chart sources needed).
import { validateValues, valuesPath, type ValuesError } from "@o11y-gitops/chart-values";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

describe("validateValues", () => {
  it.each<[string, "loki" | "kube-prometheus-stack", unknown, ValuesError[]]>([
    ["loki: valid overrides", "loki", { deploymentMode: "SingleBinary", loki: { useTestSchema: true, auth_enabled: false, storage: { type: "s3" } } }, []],
    ["loki: misspelled nested key", "loki", { loki: { useTestSchema: true, storagee: { type: "s3" } } }, [{ path: "loki", message: 'must NOT have additional property "storagee"' }]],
    ["loki: misspelled top-level key", "loki", { deploymentMod: "SingleBinary" }, [{ path: "(root)", message: 'must NOT have additional property "deploymentMod"' }]],
    ["loki: wrong nested type", "loki", { loki: { useTestSchema: true, auth_enabled: "false" } }, [{ path: "loki.auth_enabled", message: "must be boolean" }]],
    ["loki: wrong type", "loki", { singleBinary: { replicas: "1" } }, [{ path: "singleBinary.replicas", message: "must be number" }]],
    ["loki: wrong type in an array item", "loki", { imagePullSecrets: [], gateway: { basicAuth: { enabled: 1 } } }, [{ path: "gateway.basicAuth.enabled", message: "must be boolean" }]],
    ["loki: not an object", "loki", [], [{ path: "(root)", message: "must be object" }]],
    ["kube-prometheus-stack: valid overrides", "kube-prometheus-stack", { grafana: { enabled: true, replicas: 1 }, prometheus: { prometheusSpec: { retention: "10d" } } }, []],
    [
      "kube-prometheus-stack: misspelled key",
      "kube-prometheus-stack",
      { prometheus: { prometheusSpec: { retension: "10d" } } },
      [{ path: "prometheus.prometheusSpec", message: 'must NOT have additional property "retension"' }],
    ],
    [
      "kube-prometheus-stack: misspelled key in the grafana subchart",
      "kube-prometheus-stack",
      { grafana: { persistance: { enabled: true } } },
      [{ path: "grafana", message: 'must NOT have additional property "persistance"' }],
    ],
    [
      "kube-prometheus-stack: wrong types, all reported",
      "kube-prometheus-stack",
      { alertmanager: { enabled: "yes" }, prometheus: { prometheusSpec: { replicas: "2" } } },
      [
        { path: "alertmanager.enabled", message: "must be boolean" },
        { path: "prometheus.prometheusSpec.replicas", message: "must be number" },
      ],
    ],
    ["kube-prometheus-stack: helm global stays open", "kube-prometheus-stack", { global: { anything: { goes: 1 } } }, []],
  ])("%s", (_n, chart, values, expected) => {
    expect(validateValues(chart, values)).toStrictEqual(expected);
  });

  it("throws for a chart that is not pinned", () => {
    expect(() => validateValues("nope" as "loki", {})).toThrow("unknown chart nope");
  });
});

describe("valuesPath", () => {
  it.each<[string, string]>([
    ["", "(root)"],
    ["/loki/storage/bucketNames", "loki.storage.bucketNames"],
    ["/extraEnv/0/name", "extraEnv[0].name"],
    ["/kube-state-metrics/enabled", "kube-state-metrics.enabled"],
    ["/podAnnotations/example.com~1owner", 'podAnnotations["example.com/owner"]'],
  ])("%s → %s", (pointer, path) => {
    expect(valuesPath(pointer)).toBe(path);
  });

  it("maps distinct identifier paths to distinct dotted paths", () => {
    const seg = fc.oneof(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,8}$/), fc.nat(50).map(String));
    fc.assert(
      fc.property(fc.array(seg, { minLength: 1, maxLength: 5 }), fc.array(seg, { minLength: 1, maxLength: 5 }), (a, b) => {
        const pa = valuesPath(`/${a.join("/")}`);
        const pb = valuesPath(`/${b.join("/")}`);
        expect(pa === pb).toBe(a.join("/") === b.join("/"));
      }),
    );
  });
});
