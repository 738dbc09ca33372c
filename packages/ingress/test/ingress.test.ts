import { validateValues } from "@o11y-gitops/chart-values";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Ingress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import {
  checkTreePolicy,
  INGRESS_NGINX_PREFIX as CORE_PREFIX,
  policyOptionsForStack,
  stackNamespace,
  StackError,
  stackConfigProblems,
  yamlFile,
  type Stack,
} from "@o11y-gitops/core";
import { lokiEndpoints } from "@o11y-gitops/logs";
import { metricsEndpoints } from "@o11y-gitops/metrics";
import { stack as homelab } from "../../../stack.config.js";
import {
  BASIC_AUTH_FILE_KEY,
  checkWriteEndpoints,
  INGRESS_NGINX_PREFIX,
  LOKI_PUSH_PATH,
  PROMETHEUS_WRITE_PATH,
  WRITE_PATHS,
  writeEndpoint,
  writeEndpointIngresses,
  writeEndpoints,
} from "../src/index.js";
import { lokiTenantPinningFile, lokiTenantPinningValues } from "../src/index.js";

function withStack(patch: (s: Stack) => Stack): Stack {
  return patch(structuredClone(homelab) as Stack);
}

describe("writeEndpoints", () => {
  it("derives the seed's two URLs and backends from the stack", () => {
    expect(writeEndpoints(homelab).map((e) => [e.name, e.host, e.path, e.url, `${e.backend.service}:${e.backend.port}`])).toEqual([
      ["prometheus-remote-write", "prometheus.sharmamohit.com", "/api/v1/write", "https://prometheus.sharmamohit.com/api/v1/write", "kube-prometheus-stack-prometheus:9090"],
      ["loki-push", "loki.sharmamohit.com", "/loki/api/v1/push", "https://loki.sharmamohit.com/loki/api/v1/push", "loki:3100"],
    ]);
    expect(WRITE_PATHS).toEqual([PROMETHEUS_WRITE_PATH, LOKI_PUSH_PATH]);
  });

  it("uses the metrics and logs packages' Service endpoints", () => {
    const [prom, loki] = writeEndpoints(homelab);
    expect(prom.backend).toEqual(metricsEndpoints(homelab).prometheus);
    expect(loki.backend).toEqual(lokiEndpoints(homelab).http);
    expect(writeEndpoint(homelab, "loki-push")).toEqual(loki);
  });

  it.each([
    ["domain", (s: Stack): Stack => ({ ...s, domain: "example.org" }), ["https://prometheus.example.org/api/v1/write", "https://loki.example.org/loki/api/v1/push"]],
    ["hosts.lokiPush", (s: Stack): Stack => ({ ...s, hosts: { ...s.hosts, lokiPush: "logs" } }), ["https://prometheus.sharmamohit.com/api/v1/write", "https://logs.sharmamohit.com/loki/api/v1/push"]],
  ])("changing stack.%s changes every URL and Ingress host that uses it", (_field, patch, urls) => {
    const s = withStack(patch);
    expect(writeEndpoints(s).map((e) => e.url)).toEqual(urls);
    expect(writeEndpointIngresses(s).map((i) => (i.spec as any).rules[0].host)).toEqual(urls.map((u) => new URL(u).host));
  });

  it("follows release and namespace renames into the backends", () => {
    const s = withStack((x) => ({ ...x, namespace: "obs", releases: { ...x.releases, loki: "logs", kubePrometheusStack: "kps" } }));
    const [prom, loki] = writeEndpointIngresses(s);
    expect(prom!.metadata.namespace).toBe("obs");
    const promService = metricsEndpoints(s).prometheus.service;
    expect(promService).not.toBe(metricsEndpoints(homelab).prometheus.service);
    expect((prom!.spec as any).rules[0].http.paths[0].backend.service).toEqual({ name: promService, port: { number: 9090 } });
    const lokiService = lokiEndpoints(s).http.service;
    expect(lokiService).not.toBe(lokiEndpoints(homelab).http.service);
    expect((loki!.spec as any).rules[0].http.paths[0].backend.service).toEqual({ name: lokiService, port: { number: 3100 } });
  });
});

describe("writeEndpointIngresses", () => {
  const ingresses = writeEndpointIngresses(homelab);

  it("builds two valid Ingresses with one Exact path each and no TLS section", () => {
    expect(ingresses.map((i) => i.metadata.name)).toEqual(["prometheus-remote-write", "loki-push"]);
    for (const i of ingresses) {
      expect(() => new Ingress(structuredClone(i) as never).validate()).not.toThrow();
      expect(i.metadata.namespace).toBe("monitoring");
      const spec = i.spec as any;
      expect(spec.ingressClassName).toBe("nginx");
      expect(spec.tls).toBeUndefined();
      expect(spec.rules).toHaveLength(1);
      expect(spec.rules[0].http.paths).toHaveLength(1);
      expect(spec.rules[0].http.paths[0].pathType).toBe("Exact");
    }
    expect(ingresses.map((i) => (i.spec as any).rules[0].http.paths[0].path)).toEqual(["/api/v1/write", "/loki/api/v1/push"]);
  });

  it("carries exactly the seed's annotations, all strings", () => {
    for (const i of ingresses) {
      expect(i.metadata.annotations).toEqual({
        "nginx.ingress.kubernetes.io/auth-type": "basic",
        "nginx.ingress.kubernetes.io/auth-secret": "monitoring-basic-auth",
        "nginx.ingress.kubernetes.io/auth-realm": "Observability write endpoint",
        "nginx.ingress.kubernetes.io/force-ssl-redirect": "true",
        "nginx.ingress.kubernetes.io/proxy-body-size": "10m",
        "nginx.ingress.kubernetes.io/proxy-read-timeout": "300",
      });
    }
  });

  it("takes the auth secret name from stack.secrets.basicAuth", () => {
    const s = withStack((x) => ({ ...x, secrets: { ...x.secrets, basicAuth: { ...x.secrets.basicAuth, name: "push-auth" } } }));
    for (const i of writeEndpointIngresses(s)) {
      expect(i.metadata.annotations!["nginx.ingress.kubernetes.io/auth-secret"]).toBe("push-auth");
    }
  });

  it("applies options", () => {
    const [prom] = writeEndpointIngresses(homelab, { proxyBodySize: "32m", proxyReadTimeoutSeconds: 60 });
    expect(prom!.metadata.annotations!["nginx.ingress.kubernetes.io/proxy-body-size"]).toBe("32m");
    expect(prom!.metadata.annotations!["nginx.ingress.kubernetes.io/proxy-read-timeout"]).toBe("60");
  });

  it("uses the one annotation prefix constant, defined in core", () => {
    expect(INGRESS_NGINX_PREFIX).toBe(CORE_PREFIX);
    for (const i of ingresses) expect(Object.keys(i.metadata.annotations!).every((k) => k.startsWith(CORE_PREFIX))).toBe(true);
  });
});

describe("stack.ingressClassName", () => {
  /** The rendered tree's files for `built`'s Ingresses, checked with `policyStack`'s policy options. */
  function policyErrors(built: Stack, policyStack: Stack) {
    const files = [
      { path: "kubernetes/infrastructure/configs/namespace.yaml", content: yamlFile(["generated"], [stackNamespace(built)]) },
      ...writeEndpointIngresses(built).map((i) => ({ path: `kubernetes/apps/x/manifests/ingress-${i.metadata.name}.yaml`, content: yamlFile(["generated"], [i]) })),
    ];
    const opts = { ...policyOptionsForStack(policyStack, writeEndpoints(policyStack)), objectStoreInsecure: false };
    return checkTreePolicy(files, opts).errors;
  }

  it("is the class of both Ingresses and the one the policy requires", () => {
    const pub = withStack((x) => ({ ...x, ingressClassName: "nginx-public" }));
    expect(writeEndpointIngresses(pub).map((i) => (i.spec as any).ingressClassName)).toEqual(["nginx-public", "nginx-public"]);
    expect(policyOptionsForStack(pub, writeEndpoints(pub)).ingressClassName).toBe("nginx-public");
    expect(policyErrors(pub, pub)).toEqual([]);
    expect(policyErrors(homelab, homelab)).toEqual([]);
    // Built for one class, checked against the other: both Ingresses are reported.
    expect(policyErrors(homelab, pub)).toEqual([
      { path: "kubernetes/apps/x/manifests/ingress-prometheus-remote-write.yaml#0 spec.ingressClassName", message: 'Ingress for write host "prometheus.sharmamohit.com" must use ingress class "nginx-public" (found "nginx")' },
      { path: "kubernetes/apps/x/manifests/ingress-loki-push.yaml#0 spec.ingressClassName", message: 'Ingress for write host "loki.sharmamohit.com" must use ingress class "nginx-public" (found "nginx")' },
    ]);
  });
});

describe("checkWriteEndpoints", () => {
  it("accepts the homelab stack", () => {
    expect(checkWriteEndpoints(homelab)).toEqual([]);
  });

  it.each([
    ["domain", withStack((s) => ({ ...s, domain: "localhost" })), {}, { path: "stack.domain", message: `"localhost" is not a DNS domain (dot-separated DNS labels, e.g. example.com)` }],
    ["body size", homelab, { proxyBodySize: "10 MB" }, { path: "options.proxyBodySize", message: `"10 MB" is not an nginx size (digits with an optional k/m/g suffix, e.g. 10m)` }],
    ["timeout", homelab, { proxyReadTimeoutSeconds: 0 }, { path: "options.proxyReadTimeoutSeconds", message: "0 is not a positive whole number of seconds" }],
    ["realm", homelab, { authRealm: 'a"b' }, { path: "options.authRealm", message: `"a\\"b" must be non-empty and free of quotes, backslashes and line breaks` }],
    [
      "basic-auth Secret key",
      withStack((s) => ({ ...s, secrets: { ...s.secrets, basicAuth: { ...s.secrets.basicAuth, key: "htpasswd" } } })),
      {},
      { path: "stack.secrets.basicAuth.key", message: `"htpasswd" is not read by ingress-nginx: basic auth with auth-secret-type auth-file (the default) reads the htpasswd lines from key "auth"` },
    ],
  ])("reports a bad %s with an exact error, and the builder throws it", (_name, stack, options, problem) => {
    expect(checkWriteEndpoints(stack, options)).toEqual([problem]);
    expect(() => writeEndpointIngresses(stack, options)).toThrow(StackError);
    expect(() => writeEndpointIngresses(stack, options)).toThrow(`${problem.path}: ${problem.message}`);
  });

  it("leaves a bad host label to core's stackConfigProblems (a shared field, reported once), and the builder refuses it", () => {
    const stack = withStack((s) => ({ ...s, hosts: { ...s.hosts, prometheusWrite: "Prom_Write" } }));
    const problem = {
      path: "stack.hosts.prometheusWrite",
      message: `"Prom_Write" is not a valid host label (a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit)`,
    };
    expect(stackConfigProblems(stack)).toEqual([problem]);
    expect(checkWriteEndpoints(stack)).toEqual([]);
    expect(() => writeEndpointIngresses(stack)).toThrow(StackError);
    expect(() => writeEndpointIngresses(stack)).toThrow(`${problem.path}: ${problem.message}`);
  });

  it("rejects every basic-auth Secret key but auth", () => {
    expect(homelab.secrets.basicAuth.key).toBe(BASIC_AUTH_FILE_KEY);
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (key) => {
        fc.pre(key !== BASIC_AUTH_FILE_KEY);
        const s = withStack((x) => ({ ...x, secrets: { ...x.secrets, basicAuth: { ...x.secrets.basicAuth, key } } }));
        expect(checkWriteEndpoints(s)).toEqual([
          { path: "stack.secrets.basicAuth.key", message: `${JSON.stringify(key)} is not read by ingress-nginx: basic auth with auth-secret-type auth-file (the default) reads the htpasswd lines from key "auth"` },
        ]);
      }),
    );
  });

  it("accepts any valid DNS label as a host and puts it in the URL verbatim", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?$/), (label) => {
        const s = withStack((x) => ({ ...x, hosts: { ...x.hosts, lokiPush: label } }));
        expect(checkWriteEndpoints(s)).toEqual([]);
        expect(writeEndpoint(s, "loki-push").url).toBe(`https://${label}.sharmamohit.com/loki/api/v1/push`);
      }),
    );
  });
});

describe("opt-in Loki tenant pinning (ingress-nginx controller values)", () => {
  it("sets X-Scope-OrgID to the stack's tenant through the chart's proxySetHeaders, valid for the pinned chart", () => {
    const values = lokiTenantPinningValues(homelab);
    expect(values).toEqual({ controller: { proxySetHeaders: { "X-Scope-OrgID": "homelab" } } });
    expect(validateValues("ingress-nginx", values)).toEqual([]);
    expect(lokiTenantPinningValues({ ...homelab, lokiTenant: "lab" }).controller?.proxySetHeaders).toEqual({
      "X-Scope-OrgID": "lab",
    });
  });

  it("is rendered as a values file outside every applied folder, validated against ingress-nginx", () => {
    const file = lokiTenantPinningFile(homelab);
    expect(file).toMatchObject({
      path: "kubernetes/infrastructure/ingress-nginx/pin-loki-tenant.values.yaml",
      valuesOf: "ingress-nginx",
    });
  });
});
