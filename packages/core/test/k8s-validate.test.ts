// The precompiled object validators (generated/src/k8s-objects.validate.cjs) against kubernetes-models' own
// model classes: the same verdict and the same message on every object of a table of broken ones.
import { Namespace } from "kubernetes-models/v1/Namespace";
import { Secret } from "kubernetes-models/v1/Secret";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Service } from "kubernetes-models/v1/Service";
import { Ingress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import { Application } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application";
import { AppProject } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject";
import { Kustomization as FluxKustomization } from "@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1/Kustomization";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { PodMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor";
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { describeSchemaErrors, type SchemaError } from "@o11y-gitops/schema-errors";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { K8sObject } from "../src/component.js";
import { validateK8sObject } from "../src/k8s-validate.js";
import { render } from "../src/render/index.js";
import { parseYaml } from "../src/yaml.js";
import { input } from "./_fixtures.js";

type ModelCtor = new (data: never) => { validate(): void };
const MODELS = new Map<string, ModelCtor>([
  ["v1/Namespace", Namespace as unknown as ModelCtor],
  ["v1/Secret", Secret as unknown as ModelCtor],
  ["v1/ConfigMap", ConfigMap as unknown as ModelCtor],
  ["v1/Service", Service as unknown as ModelCtor],
  ["networking.k8s.io/v1/Ingress", Ingress as unknown as ModelCtor],
  ["argoproj.io/v1alpha1/Application", Application as unknown as ModelCtor],
  ["argoproj.io/v1alpha1/AppProject", AppProject as unknown as ModelCtor],
  ["kustomize.toolkit.fluxcd.io/v1/Kustomization", FluxKustomization as unknown as ModelCtor],
  ["monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor as unknown as ModelCtor],
  ["monitoring.coreos.com/v1/PodMonitor", PodMonitor as unknown as ModelCtor],
  ["monitoring.coreos.com/v1/PrometheusRule", PrometheusRule as unknown as ModelCtor],
]);

/** The message the kubernetes-models way gives: construct the model, validate, describe its ajv errors. */
function viaModels(obj: K8sObject): string | undefined {
  const Model = MODELS.get(`${obj.apiVersion}/${obj.kind}`);
  if (!Model) throw new Error(`no model for ${obj.apiVersion}/${obj.kind}`);
  try {
    new Model(structuredClone(obj) as never).validate();
    return undefined;
  } catch (err) {
    const errors = (err as { errors?: SchemaError[] }).errors;
    if (!errors) throw err;
    return describeSchemaErrors(errors, obj)
      .map((e) => `${e.path} ${e.message}`)
      .join("; ");
  }
}

const meta = { name: "x", namespace: "monitoring" };
const o = (apiVersion: string, kind: string, rest: Record<string, unknown>): K8sObject => ({ apiVersion, kind, metadata: meta, ...rest }) as K8sObject;

const BROKEN: [string, K8sObject][] = [
  ["Namespace spec not an object", o("v1", "Namespace", { spec: "nope" })],
  ["Namespace label a number", o("v1", "Namespace", { metadata: { name: "x", labels: { a: 1 } } })],
  ["Secret data not strings", o("v1", "Secret", { data: { a: 1 }, type: 5 })],
  ["Secret immutable a string", o("v1", "Secret", { immutable: "yes" })],
  ["ConfigMap data a list", o("v1", "ConfigMap", { data: ["a"] })],
  ["Service port a string, no port", o("v1", "Service", { spec: { ports: [{ port: "http" }, { name: "x" }] } })],
  ["Service type a number", o("v1", "Service", { spec: { type: 1, selector: { a: 2 } } })],
  ["Ingress rules a string", o("networking.k8s.io/v1", "Ingress", { spec: { rules: "nope" } })],
  ["Ingress path without pathType or backend", o("networking.k8s.io/v1", "Ingress", { spec: { rules: [{ host: "a", http: { paths: [{ path: "/" }] } }] } })],
  ["Ingress backend port number a string", o("networking.k8s.io/v1", "Ingress", { spec: { defaultBackend: { service: { name: "a", port: { number: "80" } } } } })],
  ["Application without spec", o("argoproj.io/v1alpha1", "Application", {})],
  ["Application without destination/project", o("argoproj.io/v1alpha1", "Application", { spec: { source: { repoURL: 1 } } })],
  ["Application syncPolicy wrong", o("argoproj.io/v1alpha1", "Application", { spec: { destination: {}, project: "p", syncPolicy: { automated: "yes", syncOptions: "a" } } })],
  ["AppProject destinations not a list", o("argoproj.io/v1alpha1", "AppProject", { spec: { destinations: {} } })],
  ["Flux Kustomization missing interval/prune/sourceRef", o("kustomize.toolkit.fluxcd.io/v1", "Kustomization", { spec: { path: 1 } })],
  ["Flux Kustomization interval pattern", o("kustomize.toolkit.fluxcd.io/v1", "Kustomization", { spec: { interval: "soon", prune: true, sourceRef: { kind: "Bucket2", name: "x" } } })],
  ["ServiceMonitor endpoints wrong", o("monitoring.coreos.com/v1", "ServiceMonitor", { spec: { endpoints: [{ port: 1, interval: "often" }], selector: "x" } })],
  ["PodMonitor without selector", o("monitoring.coreos.com/v1", "PodMonitor", { spec: { podMetricsEndpoints: [{ scheme: "gopher" }] } })],
  ["PrometheusRule rule without expr", o("monitoring.coreos.com/v1", "PrometheusRule", { spec: { groups: [{ name: "g", rules: [{ alert: "A" }] }] } })],
  ["PrometheusRule partial_response_strategy (RE2 pattern)", o("monitoring.coreos.com/v1", "PrometheusRule", { spec: { groups: [{ name: "g", partial_response_strategy: "bogus", rules: [] }] } })],
  ["PrometheusRule partial_response_strategy in other case (RE2 (?i))", o("monitoring.coreos.com/v1", "PrometheusRule", { spec: { groups: [{ name: "g", partial_response_strategy: "WARN", rules: [] }] } })],
  ["undefined properties are dropped, as the models do", o("v1", "ConfigMap", { data: { a: undefined, b: "c" }, binaryData: undefined })],
  ["metadata name a number", o("v1", "ConfigMap", { metadata: { name: 5 } })],
];

describe("validateK8sObject (precompiled) against kubernetes-models' models", () => {
  it.each(BROKEN)("%s", (_name, obj) => {
    expect(validateK8sObject(obj)).toBe(viaModels(obj));
  });

  it("the broken ones are broken (the table tests messages, not only passes)", () => {
    const failing = BROKEN.filter(([, obj]) => validateK8sObject(obj) !== undefined).map(([n]) => n);
    expect(failing.length).toBeGreaterThanOrEqual(BROKEN.length - 3);
    expect(validateK8sObject(BROKEN[19]![1])).toContain("partial_response_strategy");
    expect(validateK8sObject(BROKEN[20]![1])).toBeUndefined();
    expect(validateK8sObject(o("v1", "Service", { spec: { ports: [{ port: "http" }] } }))).toBe('spec.ports[0].port must be integer, found string "http"');
  });

  it("every object of the rendered tree: valid both ways", () => {
    const { files } = render(input());
    let n = 0;
    for (const f of files.values()) {
      if (!f.path.endsWith(".yaml") || f.path.includes("/values/") || f.path === ".sops.yaml") continue;
      for (const doc of parseYaml(f.content, "1.1")) {
        const obj = doc as K8sObject;
        if (!MODELS.has(`${obj.apiVersion}/${obj.kind}`)) continue;
        expect(validateK8sObject(obj), f.path).toBe(viaModels(obj));
        expect(validateK8sObject(obj), f.path).toBeUndefined();
        n++;
      }
    }
    expect(n).toBeGreaterThanOrEqual(5);
  });

  it("an unknown kind names the known ones", () => {
    expect(validateK8sObject(o("v1", "Pod", {}))).toBe(`no schema known for v1/Pod (known: ${[...MODELS.keys()].join(", ")})`);
  });

  it("property: random spec/metadata shapes give the same verdict and message both ways", () => {
    const leaf = fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.boolean(), fc.constant(null));
    const tree = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: "small" }, leaf, fc.array(tie("v"), { maxLength: 3 }), fc.dictionary(fc.constantFrom("name", "port", "rules", "groups", "labels", "interval", "x"), tie("v"), { maxKeys: 3 })),
    })).v;
    const kinds = [...MODELS.keys()];
    for (const seed of [1, 2, 3]) {
      fc.assert(
        fc.property(fc.constantFrom(...kinds), tree, tree, (key, spec, metadata) => {
          const i = key.lastIndexOf("/");
          const obj = { apiVersion: key.slice(0, i), kind: key.slice(i + 1), metadata, spec } as unknown as K8sObject;
          expect(validateK8sObject(obj)).toBe(viaModels(obj));
        }),
        { numRuns: 150, seed },
      );
    }
  });
});
