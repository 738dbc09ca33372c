/**
 * The run-time shape of a `Stack`, for configs the type checker never saw (a plain `.mjs`/`.js` config, a
 * value built at run time): unknown keys, missing fields and wrong types become problems with the config
 * path, before any builder reads a field. The descriptor below is tied to the `Stack` interface by its
 * type (`ObjectShape<Stack>`): a field added to, removed from or retyped in `Stack` without the same change
 * here is a compile error, so the interface stays the one owner of the shape.
 */
import { closestKey } from "@o11y-gitops/schema-errors";
import type { Problem } from "./problems.js";
import { STACK_DEFAULTS, WHOLE_DEFAULTS, type Stack } from "./stack.js";

interface StringShape {
  kind: "string";
  /** What a value looks like, for the message (`a duration like "7d"`). @default "string" */
  expected?: string;
}
interface EnumShape<V extends string> {
  kind: "enum";
  values: readonly V[];
}
interface NumberShape {
  kind: "number";
}
interface BooleanShape {
  kind: "boolean";
}
interface ArrayShape<E> {
  kind: "array";
  items: ShapeFor<E>;
}
/** An object's fields, each required unless the interface marks it optional. */
export interface ObjectShape<T> {
  kind: "object";
  fields: { [K in keyof T]-?: ShapeFor<NonNullable<T[K]>> & (undefined extends T[K] ? { optional: true } : { optional?: never }) };
}

/** The descriptor a value of type V needs: string-literal unions are enums, other strings free text. */
export type ShapeFor<V> = [V] extends [readonly (infer E)[]]
  ? ArrayShape<E>
  : [V] extends [string]
    ? string extends V
      ? StringShape
      : V extends `${string}` // template literal types (Duration, Quantity) are written as strings
        ? StringShape | EnumShape<V>
        : never
    : [V] extends [number]
      ? NumberShape
      : [V] extends [boolean]
        ? BooleanShape
        : [V] extends [object]
          ? ObjectShape<V>
          : never;

type AnyShape = { kind: string; optional?: true; expected?: string; values?: readonly string[]; items?: AnyShape; fields?: Record<string, AnyShape> };

const text: StringShape = { kind: "string" };
const duration: StringShape = { kind: "string", expected: 'a duration like "7d"' };
const quantity: StringShape = { kind: "string", expected: 'a quantity like "10Gi"' };
const flag: BooleanShape = { kind: "boolean" };
const podSecurityLevel: EnumShape<"privileged" | "baseline" | "restricted"> = { kind: "enum", values: ["privileged", "baseline", "restricted"] };
const secretRef = <K extends string>(...keys: K[]) => ({
  kind: "object" as const,
  fields: { name: text, ...(Object.fromEntries(keys.map((k) => [k, text])) as Record<K, StringShape>) },
});

/** The shape of a complete `Stack` (what `defineStack` returns). */
export const STACK_SHAPE: ObjectShape<Stack> = {
  kind: "object",
  fields: {
    cluster: text,
    namespace: text,
    podSecurity: { kind: "object", fields: { enforce: podSecurityLevel, warn: podSecurityLevel } },
    domain: text,
    hosts: { kind: "object", fields: { grafana: text, prometheusWrite: text, lokiPush: text } },
    ingressClassName: text,
    storageClass: text,
    lokiTenant: text,
    scrapeInterval: duration,
    retention: {
      kind: "object",
      fields: {
        prometheusLocal: duration,
        metricsRaw: duration,
        metrics5m: duration,
        metrics1h: duration,
        logs: duration,
        traces: duration,
        remoteWriteBackfill: duration,
      },
    },
    volumes: {
      kind: "object",
      fields: {
        prometheus: quantity,
        alertmanager: quantity,
        thanosStoreGateway: quantity,
        thanosCompactor: quantity,
        lokiWal: quantity,
        tempoWal: quantity,
        grafana: quantity,
      },
    },
    objectStore: {
      kind: "object",
      fields: {
        endpoint: text,
        insecure: { kind: "boolean" },
        region: text,
        forcePathStyle: { kind: "boolean" },
        buckets: { kind: "object", fields: { thanos: text, lokiChunks: text, lokiRuler: text, tempo: text } },
      },
    },
    secrets: {
      kind: "object",
      fields: {
        s3Credentials: secretRef("accessKeyIdKey", "secretAccessKeyKey"),
        thanosObjstore: secretRef("key"),
        basicAuth: secretRef("key", "user"),
        grafanaAdmin: secretRef("userKey", "passwordKey"),
      },
    },
    releases: { kind: "object", fields: { kubePrometheusStack: text, thanos: text, loki: text, tempo: text, alloy: text } },
    thanosImage: { kind: "object", fields: { registry: text, repository: text, tag: text } },
    dockerAlloyPath: text,
    components: {
      kind: "object",
      fields: {
        thanos: flag,
        loki: flag,
        tempo: flag,
        k8sCollectors: flag,
        dockerHosts: flag,
        writeEndpoints: { kind: "object", fields: { prometheus: flag, loki: flag } },
        infraMonitoring: {
          kind: "object",
          fields: { ingressNginx: flag, metallb: flag, rookCeph: flag, rookCephCluster: flag, certManager: flag, lokiTenantPinning: flag },
        },
      },
    },
    gitops: {
      kind: "object",
      fields: {
        repoURL: text,
        revision: text,
        argocdNamespace: text,
        argocdProject: text,
        rootPath: text,
        repoDir: text,
        fluxNamespace: text,
        sopsAgeRecipients: { kind: "array", items: text },
        fluxSource: text,
        sopsAgeSecret: text,
      },
    },
  },
};

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

function show(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return String(v);
}

function expected(s: AnyShape): string {
  switch (s.kind) {
    case "string":
      return s.expected ?? "a string";
    case "enum":
      return `one of ${(s.values ?? []).map((v) => JSON.stringify(v)).join(", ")}`;
    case "number":
      return "a number";
    case "boolean":
      return "true or false";
    case "array":
      return `a list of ${expected(s.items as AnyShape).replace(/^an? /, "")}s`;
    default:
      return "an object";
  }
}

/** `stack.a.b`, `stack.list[0]`. */
function child(path: string, key: string | number): string {
  return typeof key === "number" ? `${path}[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function walk(value: unknown, shape: AnyShape, path: string, optionalHere: (path: string) => boolean, out: Problem[]): void {
  const mismatch = (): void => {
    const t = typeOf(value);
    const shown = ["string", "number", "boolean"].includes(t) ? ` ${show(value)}` : "";
    out.push({ path, message: `expected ${expected(shape)}, found ${t}${shown}` });
  };
  switch (shape.kind) {
    case "string":
      if (typeof value !== "string") mismatch();
      return;
    case "enum":
      if (typeof value !== "string" || !(shape.values ?? []).includes(value)) mismatch();
      return;
    case "number":
      if (typeof value !== "number") mismatch();
      return;
    case "boolean":
      if (typeof value !== "boolean") mismatch();
      return;
    case "array":
      if (!Array.isArray(value)) {
        mismatch();
        return;
      }
      value.forEach((item, i) => walk(item, shape.items as AnyShape, child(path, i), optionalHere, out));
      return;
    default: {
      if (value === null || typeof value !== "object" || Array.isArray(value)) {
        mismatch();
        return;
      }
      const fields = shape.fields ?? {};
      const names = Object.keys(fields);
      for (const key of Object.keys(value)) {
        if (Object.hasOwn(fields, key)) continue;
        const hint = closestKey(key, names);
        out.push({ path, message: `unknown key ${JSON.stringify(key)}${hint === undefined ? "" : ` (did you mean ${JSON.stringify(hint)}?)`}` });
      }
      for (const [key, field] of Object.entries(fields)) {
        const v = (value as Record<string, unknown>)[key];
        const p = child(path, key);
        if (v === undefined) {
          if (!mayBeLeftOut(field, p, optionalHere)) out.push({ path: p, message: `missing: expected ${expected(field)}` });
          continue;
        }
        walk(v, field, p, optionalHere, out);
      }
    }
  }
}

/** A field that may be absent: optional, defaulted, or an object every field of which may be absent. */
function mayBeLeftOut(field: AnyShape, path: string, optionalHere: (path: string) => boolean): boolean {
  if (field.optional || optionalHere(path)) return true;
  if (field.kind !== "object" || !field.fields) return false;
  return Object.entries(field.fields).every(([k, f]) => mayBeLeftOut(f, child(path, k), optionalHere));
}

/** The config paths `defineStack` fills in when left out (`stack.namespace`, `stack.gitops.rootPath`, …). */
function defaultedPaths(defaults: object, path: string, out = new Set<string>()): Set<string> {
  for (const [k, v] of Object.entries(defaults)) {
    const p = child(path, k);
    out.add(p);
    if (v !== null && typeof v === "object" && !Array.isArray(v) && !WHOLE_DEFAULTS.has(k)) {
      // an object default whose fields the input may give one by one (objectStore, gitops, components)
      out.delete(p);
      defaultedPaths(v, p, out);
    }
  }
  return out;
}
// Computed on first use: stack.ts imports this module, so STACK_DEFAULTS is not initialised while it loads.
let defaulted: Set<string> | undefined;

/**
 * Problems with the shape of a complete `Stack`: unknown keys (with "did you mean"), missing fields and
 * wrong types, each with its path under `stack`. [] when every field is present with its type; the value
 * rules (names, durations, sizes, collisions) are checked afterwards by `stackConfigProblems`.
 */
export function stackShapeProblems(value: unknown): Problem[] {
  const out: Problem[] = [];
  walk(value, STACK_SHAPE as AnyShape, "stack", () => false, out);
  return out;
}

/** The same for what `defineStack` takes: fields with a documented default may be left out. */
export function stackInputShapeProblems(value: unknown): Problem[] {
  const out: Problem[] = [];
  defaulted ??= defaultedPaths(STACK_DEFAULTS, "stack");
  const optional = defaulted;
  walk(value, STACK_SHAPE as AnyShape, "stack", (p) => optional.has(p), out);
  return out;
}
