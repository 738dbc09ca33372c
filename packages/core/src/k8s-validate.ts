import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describeSchemaErrors, type SchemaError } from "@o11y-gitops/schema-errors";
import type { K8sObject } from "./component.js";

/** One standalone ajv validator (generated/src/k8s-objects.validate.d.cts). */
interface SchemaValidator {
  (data: unknown): boolean;
  errors?: unknown;
}
interface K8sObjectSchemas {
  validators: Readonly<Record<string, SchemaValidator>>;
  useRE2(load: () => new (source: string, flags: string) => { test(s: string): boolean }): void;
}

/**
 * The schemas are kubernetes-models' and its CRD packages' (`kubernetes-models`, `@kubernetes-models/argo-cd`,
 * `…/flux-cd`, `…/prometheus-operator`): the very ajv functions their model classes run, precompiled by
 * `pnpm codegen` into @o11y-gitops/chart-values' k8s-objects.validate.cjs (scripts/schemas/_k8s-validators.ts),
 * so a run loads neither the model classes nor ajv-i18n. The kinds the generator may emit are its keys
 * (`<apiVersion>/<kind>`). Loaded on first use.
 */
let schemas: K8sObjectSchemas | undefined;
function validators(): K8sObjectSchemas["validators"] {
  if (schemas === undefined) {
    const require = createRequire(import.meta.url);
    // beside the package's entry: dist/ when built, src/ from source (both hold the module)
    schemas = require(join(dirname(require.resolve("@o11y-gitops/chart-values")), "k8s-objects.validate.cjs")) as K8sObjectSchemas;
    // RE2 (patterns with `(?i)` and the like): the one kubernetes-models' validators import, built on first use.
    schemas.useRE2(() => {
      const fromModels = createRequire(require.resolve("kubernetes-models/package.json"));
      return (fromModels("@kubernetes-models/validate/runtime/re2") as { default: ReturnType<Parameters<K8sObjectSchemas["useRE2"]>[0]> }).default;
    });
  }
  return schemas.validators;
}

/** Kinds without a published schema that we still emit (kustomize's own file). */
const SHAPE_ONLY = new Set(["kustomize.config.k8s.io/v1beta1/Kustomization"]);

/** The ajv errors of a failed validation, if they have the shape describeSchemaErrors reads. */
function schemaErrors(errors: unknown): SchemaError[] | undefined {
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  const ok = errors.every((e: unknown) => {
    const x = e as Partial<SchemaError> | null;
    return typeof x?.instancePath === "string" && typeof x.schemaPath === "string" && typeof x.keyword === "string" && typeof x.params === "object" && x.params !== null;
  });
  return ok ? (errors as SchemaError[]) : undefined;
}

/** What a kubernetes-models model holds for `data`: undefined-valued properties dropped, at every depth. */
function definedProps(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(definedProps);
  if (typeof value !== "object" || value === null) return value;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = definedProps(v);
  return out;
}

/**
 * Validate one object against its Kubernetes or CRD schema. Returns the problem text, or undefined when
 * valid: each schema error as `<dotted path from the object root> <expected>, found <value>`
 * (`spec.rules must be array, found string "nope"`), several joined with "; ". An apiVersion/kind the
 * generator has no schema for is itself a problem: every emitted object must be checkable.
 */
export function validateK8sObject(obj: K8sObject): string | undefined {
  const key = `${obj.apiVersion}/${obj.kind}`;
  if (SHAPE_ONLY.has(key)) return undefined;
  const all = validators();
  const validate = Object.hasOwn(all, key) ? all[key] : undefined;
  if (!validate) return `no schema known for ${key} (known: ${Object.keys(all).join(", ")})`;
  let errors: unknown;
  try {
    // As the model class does: a copy, apiVersion and kind first, undefined properties dropped.
    const data = { apiVersion: obj.apiVersion, kind: obj.kind, ...(definedProps(structuredClone(obj)) as object) };
    if (validate(data)) return undefined;
    errors = validate.errors;
  } catch (err) {
    return String((err as Error | undefined)?.message ?? err).split("\n")[0];
  }
  const found = schemaErrors(errors);
  if (!found) return "schema validation failed";
  return describeSchemaErrors(found, obj)
    .map((e) => `${e.path} ${e.message}`)
    .join("; ");
}
