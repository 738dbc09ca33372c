// The render validates each object's emitted document itself (`validateK8sDocument`, no copy) where the public
// `validateK8sObject` validates kubernetes-models' copy of the object: on what the emitter writes, both must
// say the same, to the character.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { K8sObject } from "../src/component.js";
import { validateK8sDocument, validateK8sObject } from "../src/k8s-validate.js";
import { render } from "../src/render/index.js";
import { emittedDocuments, yamlFileDocuments } from "../src/yaml.js";
import { input } from "./_fixtures.js";

/** The document the emitter writes for `obj` (plain JSON, keys in file order). */
const emitted = (obj: unknown): K8sObject => yamlFileDocuments([], [obj]).documents[0] as unknown as K8sObject;

const ingress = (spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): K8sObject =>
  ({ apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: "x", namespace: "monitoring", ...metadata }, spec }) as K8sObject;

describe("validateK8sDocument", () => {
  it.each<[string, K8sObject, string | undefined]>([
    ["a valid Ingress", ingress({ rules: [{ host: "a.example.org" }] }), undefined],
    ["undefined values are left out, as the file leaves them out", ingress({ rules: [{ host: "a.example.org", http: undefined }], tls: undefined }), undefined],
    ["a wrong type", ingress({ rules: "nope" }), 'spec.rules must be array, found string "nope"'],
    ["a wrong item type", ingress({ rules: [{ host: 1 }] }), "spec.rules[0].host must be string, found number 1"],
    [
      "a missing required field",
      ingress({ rules: [{ http: { paths: [{ path: "/", pathType: "Prefix" }] } }] }),
      'spec.rules[0].http.paths[0] must have required property "backend"',
    ],
    [
      "two errors",
      ingress({ rules: "nope", tls: [{ hosts: "a" }] }),
      'spec.rules must be array, found string "nope"; spec.tls[0].hosts must be array, found string "a"',
    ],
    ["a label value that is not a string", ingress({}, { labels: { a: 1 } }), "metadata.labels.a must be string, found number 1"],
    [
      "a Secret with a non-string data value",
      { apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, stringData: { k: true } } as unknown as K8sObject,
      "stringData.k must be string, found boolean true",
    ],
    [
      "a kind without a schema",
      { apiVersion: "example.org/v1", kind: "Thing", metadata: { name: "t" } } as K8sObject,
      expect.stringMatching(/^no schema known for example\.org\/v1\/Thing \(known: v1\/Namespace, /) as unknown as string,
    ],
    ["kustomize's own file (no published schema)", { apiVersion: "kustomize.config.k8s.io/v1beta1", kind: "Kustomization", metadata: { name: "k" } } as K8sObject, undefined],
  ])("%s: the same as validateK8sObject", (_, obj, expected) => {
    expect(validateK8sDocument(emitted(obj))).toEqual(expected);
    expect(validateK8sObject(obj)).toEqual(expected);
  });

  it("every object of a rendered tree: the same answer both ways, and the document validated is the file's", () => {
    const { files, problems } = render(input());
    expect(problems).toEqual([]);
    let objects = 0;
    for (const f of files.values()) {
      for (const doc of emittedDocuments(f.content) ?? []) {
        const obj = doc as K8sObject;
        if (typeof obj?.apiVersion !== "string" || typeof obj.kind !== "string" || f.path === ".sops.yaml") continue;
        expect(validateK8sDocument(obj), f.path).toBeUndefined();
        expect(validateK8sObject(obj), f.path).toBeUndefined();
        objects++;
      }
    }
    expect(objects).toBeGreaterThan(5);
  });

  it("property: any value anywhere in an object's spec gets the same answer both ways", () => {
    // Values of every JSON type at keys the schemas name or not, and undefined values of keys (which the emitter
    // leaves out; an undefined array item is an error of its own).
    const key = fc.constantFrom("rules", "tls", "host", "http", "paths", "path", "pathType", "backend", "service", "name", "port", "number", "hosts", "secretName", "ingressClassName", "x");
    const value = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        fc.constant(null),
        fc.boolean(),
        fc.integer({ min: -3, max: 70000 }),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.constantFrom("", "a.example.org", "/", "Prefix", "Exact", "http", "80"),
        fc.array(tie("v"), { maxLength: 3 }),
        fc.dictionary(key, fc.option(tie("v"), { nil: undefined }), { maxKeys: 4 }),
      ),
    })).v;
    fc.assert(
      fc.property(fc.dictionary(key, fc.option(value, { nil: undefined }), { maxKeys: 4 }), (spec) => {
        const obj = ingress(spec);
        expect(validateK8sDocument(emitted(obj))).toEqual(validateK8sObject(obj));
      }),
      { numRuns: 500 },
    );
  });

  it("leaves the document as it was (the validators only read)", () => {
    const doc = emitted(ingress({ rules: [{ host: "a.example.org", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "s", port: { number: 80 } } } }] } }] }));
    const before = JSON.stringify(doc);
    expect(validateK8sDocument(doc)).toBeUndefined();
    expect(JSON.stringify(doc)).toBe(before);
    expect(Object.getPrototypeOf(doc)).toBe(Object.prototype);
  });
});
