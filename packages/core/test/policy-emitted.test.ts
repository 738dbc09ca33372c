// The policy walks the documents core's emitter wrote instead of parsing their text again: both ways must
// give the same findings, and the documents must be what the text reads back as.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseNested } from "../src/policy/credentials.js";
import { checkTreePolicy, policyOptionsForStack, type PolicyFile, type PolicyOptions } from "../src/policy/index.js";
import { render } from "../src/render/index.js";
import { emittedDocuments, parseYaml, toYaml, yamlFile } from "../src/yaml.js";
import { input, stack } from "./_fixtures.js";

const opts: PolicyOptions = { ...policyOptionsForStack(stack, [{ host: "loki.sharmamohit.com", path: "/loki/api/v1/push" }]), objectStoreInsecure: false };
const F = "kubernetes/apps/monitoring/manifests/x.yaml";

/** The same files with a trailing comment: the text reads back the same, but is not the emitter's, so it is parsed. */
const reparsed = (files: readonly PolicyFile[]): PolicyFile[] => files.map((f) => ({ ...f, content: f.path.endsWith(".yaml") ? `${f.content}#\n` : f.content }));

function sameBothWays(files: readonly PolicyFile[]): ReturnType<typeof checkTreePolicy> {
  for (const f of files) if (f.path.endsWith(".yaml")) expect(emittedDocuments(f.content), f.path).toBeDefined();
  const fast = checkTreePolicy(files, opts);
  expect(fast).toEqual(checkTreePolicy(reparsed(files), opts));
  return fast;
}

const meta = (extra: Record<string, unknown> = {}) => ({ name: "x", namespace: "monitoring", ...extra });

describe("policy on emitted documents", () => {
  it("the rendered tree: every YAML file's documents are what its text reads back as (1.1 and 1.2), same findings", () => {
    const { files, problems } = render(input());
    expect(problems).toEqual([]);
    const yamlFiles = [...files.values()].filter((f) => f.path.endsWith(".yaml"));
    expect(yamlFiles.length).toBeGreaterThan(10);
    for (const f of yamlFiles) {
      expect(emittedDocuments(f.content), f.path).toEqual(parseYaml(f.content, "1.1"));
      expect(emittedDocuments(f.content), f.path).toEqual(parseYaml(f.content, "1.2"));
    }
    sameBothWays([...files.values()]);
  });

  it.each([
    ["a number as a label value", { apiVersion: "v1", kind: "ConfigMap", metadata: meta({ labels: { a: 1 } }) }, 1],
    ["a boolean-looking string label (quoted, so fine)", { apiVersion: "v1", kind: "ConfigMap", metadata: meta({ labels: { a: "yes", b: "1.5", c: "~" } }) }, 0],
    ["a mapping as an annotation", { apiVersion: "v1", kind: "ConfigMap", metadata: meta({ annotations: { a: { b: "c" } } }) }, 1],
    ["a null label nested in a template", { apiVersion: "apps/v1", kind: "Deployment", metadata: meta(), spec: { template: { metadata: { labels: { a: null } } } } }, 1],
    ["a plaintext Secret", { apiVersion: "v1", kind: "Secret", metadata: meta(), stringData: { password: "hunter2" } }, 1],
    ["a literal env password", { apiVersion: "v1", kind: "Pod", metadata: meta(), spec: { containers: [{ env: [{ name: "DB_PASSWORD", value: "hunter2" }] }] } }, 1],
    [
      "YAML inside a string holding a Secret",
      { apiVersion: "v1", kind: "ConfigMap", metadata: meta(), data: { "x.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  token: abc\n" } },
      1,
    ],
    ["a snippet annotation", { apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: meta({ annotations: { "nginx.ingress.kubernetes.io/server-snippet": "x" } }), spec: {} }, 1],
    ["a Namespace without prune protection", { apiVersion: "v1", kind: "Namespace", metadata: { name: "other" } }, 1],
  ])("%s: the same findings both ways", (_name, doc, atLeast) => {
    const result = sameBothWays([{ path: F, content: yamlFile(["generated"], [doc, { apiVersion: "v1", kind: "ConfigMap", metadata: meta({ name: "y" }) }]) }]);
    const inFile = result.errors.filter((e) => e.path.startsWith(F));
    if (atLeast === 0) expect(inFile).toEqual([]);
    else expect(inFile.length).toBeGreaterThanOrEqual(atLeast);
  });

  // A text toYaml wrote, inside a string (Thanos' objstore.yml in its Secret), is walked as its value; the same
  // text with a comment line after it is not the emitter's, so it is parsed.
  const nestedBothWays = (value: unknown): ReturnType<typeof checkTreePolicy> => {
    const text = toYaml(value);
    expect(emittedDocuments(text)).toEqual(parseYaml(text, "1.1"));
    const file = (t: string): PolicyFile => ({ path: F, content: yamlFile(["generated"], [{ apiVersion: "v1", kind: "ConfigMap", metadata: meta(), data: { "objstore.yml": t } }]) });
    const fast = checkTreePolicy([file(text)], opts);
    expect(fast).toEqual(checkTreePolicy([file(`${text}#\n`)], opts));
    return fast;
  };

  it("a toYaml text inside a string is walked as the value it was written from: the same findings as parsed", () => {
    const value = { type: "S3", config: { bucket: "thanos", insecure: true, access_key: "minio", secret_key: "hunter2" } };
    const found = nestedBothWays(value);
    // Read as the value (no YAML Document), and parsed once it is not the emitter's text.
    expect(parseNested(toYaml(value))).toEqual({ doc: undefined, value });
    expect(parseNested(`${toYaml(value)}#\n`)?.doc).toBeDefined();
    expect(found.errors.map((e) => e.path).filter((p) => p.startsWith(F))).toEqual([`${F}#0 data["objstore.yml"].config.access_key`, `${F}#0 data["objstore.yml"].config.secret_key`]);
  });

  it("property: random toYaml texts inside strings give the same findings both ways", () => {
    const scalar = fc.oneof(fc.string(), fc.constantFrom("yes", "1", "~", "a: b", "hunter2", "<path:x>"), fc.integer(), fc.boolean(), fc.constant(null));
    const keys = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom("password", "token", "secret_key", "labels", "metadata"));
    const value = fc.dictionary(keys, fc.oneof(scalar, fc.dictionary(keys, scalar, { maxKeys: 3 }), fc.array(scalar, { maxLength: 3 })), { minKeys: 1, maxKeys: 4 });
    for (const seed of [1, 2, 3]) fc.assert(fc.property(value, (v) => void nestedBothWays(v)), { numRuns: 100, seed });
  });

  it("property: random metadata and data give the same findings both ways", () => {
    const scalar = fc.oneof(fc.string(), fc.constantFrom("yes", "no", "1", "0x1F", "2024-01-01", "~", "null", "a: b", "- x", "hunter2"), fc.integer(), fc.boolean(), fc.constant(null));
    const value = fc.oneof(scalar, fc.dictionary(fc.string({ maxLength: 8 }), scalar, { maxKeys: 3 }), fc.array(scalar, { maxLength: 3 }));
    const keys = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom("password", "token", "secret_key", "annotations", "labels", "<<"));
    const doc = fc.record({
      apiVersion: fc.constant("v1"),
      kind: fc.constantFrom("ConfigMap", "Secret", "Namespace", "Ingress"),
      metadata: fc.record({ name: fc.constant("x"), labels: fc.dictionary(keys, value, { maxKeys: 3 }), annotations: fc.dictionary(keys, value, { maxKeys: 3 }) }),
      data: fc.dictionary(keys, value, { maxKeys: 4 }),
    });
    for (const seed of [1, 2, 3]) {
      fc.assert(
        fc.property(fc.array(doc, { minLength: 1, maxLength: 3 }), (docs) => {
          sameBothWays([{ path: F, content: yamlFile(["generated"], docs) }]);
        }),
        { numRuns: 100, seed },
      );
    }
  });
});
