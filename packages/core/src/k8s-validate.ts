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
import type { K8sObject } from "./component.js";

type Validatable = { validate(): void };
type ModelCtor = new (data: never) => Validatable;

/** The kinds the generator may emit, each with its schema (kubernetes-models / @kubernetes-models/*). */
const MODELS: ReadonlyMap<string, ModelCtor> = new Map<string, ModelCtor>([
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

/** Kinds without a published schema that we still emit (kustomize's own file). */
const SHAPE_ONLY = new Set(["kustomize.config.k8s.io/v1beta1/Kustomization"]);

/** The ajv errors a kubernetes-models `ValidationError` carries, if it is one. */
function schemaErrors(err: unknown): SchemaError[] | undefined {
  const errors = (err as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  const ok = errors.every((e: unknown) => {
    const x = e as Partial<SchemaError> | null;
    return typeof x?.instancePath === "string" && typeof x.schemaPath === "string" && typeof x.keyword === "string" && typeof x.params === "object" && x.params !== null;
  });
  return ok ? (errors as SchemaError[]) : undefined;
}

/**
 * Validate one object against its Kubernetes or CRD schema. Returns the problem text, or undefined when
 * valid: each schema error as `<dotted path from the object root> <expected>, found <value>`
 * (`spec.rules must be array, found string "nope"`), several joined with "; ". An apiVersion/kind the
 * generator has no schema for is itself a problem: every emitted object must be checkable.
 */
export function validateK8sObject(obj: K8sObject): string | undefined {
  // The model copies the object's plain objects and arrays into itself (kubernetes-models' setDefinedProps,
  // which leaves out undefined values) and validates the copy: `obj` is never touched, so it is not cloned first.
  return validateWith(obj, (Model) => new Model(obj as never).validate());
}

/**
 * `validateK8sObject` for a document the emitter wrote (`yamlFileDocuments`): plain JSON values with no
 * undefined anywhere, which is what the model's copy of an object is, so the document itself is validated
 * (the model's `validate` called on it: kubernetes-models' validators only read the data) and nothing is
 * copied. It checks what the file holds, keys in file order.
 */
export function validateK8sDocument(doc: K8sObject): string | undefined {
  return validateWith(doc, (Model) => (Model.prototype as Validatable).validate.call(doc));
}

function validateWith(obj: K8sObject, run: (Model: ModelCtor) => void): string | undefined {
  const key = `${obj.apiVersion}/${obj.kind}`;
  if (SHAPE_ONLY.has(key)) return undefined;
  const Model = MODELS.get(key);
  if (!Model) return `no schema known for ${key} (known: ${[...MODELS.keys()].join(", ")})`;
  try {
    run(Model);
    return undefined;
  } catch (err) {
    const errors = schemaErrors(err);
    if (!errors) return String((err as Error | undefined)?.message ?? err).split("\n")[0];
    return describeSchemaErrors(errors, obj)
      .map((e) => `${e.path} ${e.message}`)
      .join("; ");
  }
}
