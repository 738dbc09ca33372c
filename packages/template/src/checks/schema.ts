// Check 2: every rendered object validates against its Kubernetes schema (kubernetes-models,
// @kubernetes-models/*), and a custom resource without a model against the openAPIV3Schema of its CRD as
// rendered (with --include-crds) by any chart of the tree.
import { createRequire } from "node:module";
import { Ajv, type ValidateFunction } from "ajv";
import { describeSchemaErrors, type SchemaError } from "@o11y-gitops/schema-errors";
import { describe, type Finding, type Rendered, type RenderedObject } from "../objects.js";

/** Validates one object; returns its problems as `<path> <message>` lines (empty when valid). */
export type ObjectValidator = (o: RenderedObject) => string[];
/** Finds the validator for an apiVersion and kind, or undefined when no schema is known. */
export type SchemaLookup = (apiVersion: string, kind: string) => ObjectValidator | undefined;

/** Which npm package holds the models of an API group (`""` = core). */
export function modelPackage(apiVersion: string): string | undefined {
  const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.lastIndexOf("/")) : "";
  if (group === "monitoring.coreos.com") return "@kubernetes-models/prometheus-operator";
  if (group === "argoproj.io") return "@kubernetes-models/argo-cd";
  if (group.endsWith(".fluxcd.io")) return "@kubernetes-models/flux-cd";
  if (group === "" || group.endsWith(".k8s.io") || !group.includes(".")) return "kubernetes-models";
  return undefined;
}

function lines(errors: readonly SchemaError[], o: RenderedObject): string[] {
  return describeSchemaErrors(errors, o).map((e) => `${e.path} ${e.message}`);
}

const require = createRequire(import.meta.url);

/** The kubernetes-models validator of a kind, loaded on first use; undefined when the package has no such model. */
function modelValidator(apiVersion: string, kind: string): ObjectValidator | undefined {
  const pkg = modelPackage(apiVersion);
  if (!pkg) return undefined;
  let Model: (new (d: unknown) => { validate(): void }) | undefined;
  try {
    Model = (require(`${pkg}/${apiVersion}/${kind}`) as Record<string, new (d: unknown) => { validate(): void }>)[kind];
  } catch {
    return undefined;
  }
  if (!Model) return undefined;
  const M = Model;
  return (o) => {
    try {
      new M(structuredClone(o)).validate();
      return [];
    } catch (err) {
      const errors = (err as { errors?: SchemaError[] }).errors;
      return Array.isArray(errors) && errors.length > 0 ? lines(errors, o) : [String((err as Error).message).split("\n")[0] ?? "invalid"];
    }
  };
}

/**
 * A CRD's schema made as strict as the API server with field validation: objects that list properties reject
 * others unless `x-kubernetes-preserve-unknown-fields`; the root always allows apiVersion, kind and metadata.
 */
export function strictCrdSchema(schema: Record<string, unknown>, root = true): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === "properties" && v && typeof v === "object") {
      out[k] = Object.fromEntries(Object.entries(v as Record<string, Record<string, unknown>>).map(([pk, pv]) => [pk, strictCrdSchema(pv, false)]));
    } else if ((k === "items" || k === "additionalProperties") && v && typeof v === "object") {
      out[k] = strictCrdSchema(v as Record<string, unknown>, false);
    } else if ((k === "anyOf" || k === "oneOf" || k === "allOf") && Array.isArray(v)) {
      out[k] = v.map((s: Record<string, unknown>) => strictCrdSchema(s, false));
    } else {
      out[k] = v;
    }
  }
  if (root) {
    out.properties = { apiVersion: { type: "string" }, kind: { type: "string" }, metadata: { type: "object" }, ...((out.properties as object) ?? {}) };
  }
  if (out.properties && out.additionalProperties === undefined && out["x-kubernetes-preserve-unknown-fields"] !== true) out.additionalProperties = false;
  return out;
}

/** Validators from every CRD in the renders, keyed `<group>/<version>/<Kind>`. */
export function crdValidators(renders: readonly Rendered[]): Map<string, ObjectValidator> {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const out = new Map<string, ObjectValidator>();
  for (const r of renders) {
    for (const o of r.objects) {
      if (o.kind !== "CustomResourceDefinition") continue;
      const spec = o.spec as { group?: string; names?: { kind?: string }; versions?: { name: string; schema?: { openAPIV3Schema?: Record<string, unknown> } }[] } | undefined;
      for (const v of spec?.versions ?? []) {
        const schema = v.schema?.openAPIV3Schema;
        if (!spec?.group || !spec.names?.kind || !schema) continue;
        const key = `${spec.group}/${v.name}/${spec.names.kind}`;
        if (out.has(key)) continue;
        let validate: ValidateFunction | undefined;
        out.set(key, (obj) => {
          validate ??= ajv.compile(strictCrdSchema(schema));
          return validate(obj) ? [] : lines((validate.errors ?? []) as SchemaError[], obj);
        });
      }
    }
  }
  return out;
}

/** kubernetes-models first, then the rendered CRDs. */
export function schemaLookup(renders: readonly Rendered[]): SchemaLookup {
  const crds = crdValidators(renders);
  const cache = new Map<string, ObjectValidator | undefined>();
  return (apiVersion, kind) => {
    const key = `${apiVersion}/${kind}`;
    if (!cache.has(key)) cache.set(key, modelValidator(apiVersion, kind) ?? crds.get(key));
    return cache.get(key);
  };
}

/** Check 2 over all renders: one finding per invalid object (its problems joined), or per kind without a schema. */
export function schemaFindings(renders: readonly Rendered[], lookup: SchemaLookup): Finding[] {
  const findings: Finding[] = [];
  for (const r of renders) {
    for (const o of r.objects) {
      const what = describe(o, r.job);
      if (typeof o.apiVersion !== "string" || typeof o.kind !== "string") {
        findings.push({ job: r.job.name, check: "schema", message: `${what}: no apiVersion/kind` });
        continue;
      }
      const validate = lookup(o.apiVersion, o.kind);
      if (!validate) {
        findings.push({ job: r.job.name, check: "schema", message: `${what}: no schema known for ${o.apiVersion}/${o.kind} (no kubernetes-models model, no CRD rendered)` });
        continue;
      }
      const problems = validate(o);
      if (problems.length > 0) findings.push({ job: r.job.name, check: "schema", message: `${what}: ${problems.join("; ")}` });
    }
  }
  return findings;
}
