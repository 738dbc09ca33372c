// What the checks need to know about workloads: their pod templates, the pods behind a Service, the claims a
// workload mounts. One place for these Kubernetes rules.
import { namespaceOf, type Rendered, type RenderedObject } from "./objects.js";
import type { RenderJob } from "./plan.js";

export interface PodTemplate {
  /** The workload (Deployment, StatefulSet, DaemonSet, Job) or operator CR it belongs to. */
  owner: RenderedObject;
  job: RenderJob;
  namespace: string;
  labels: Record<string, string>;
  spec: { containers?: Container[]; initContainers?: Container[]; volumes?: Volume[] };
}

export interface Container {
  name?: string;
  args?: string[];
  ports?: { containerPort?: number; name?: string }[];
  env?: { name?: string; valueFrom?: { secretKeyRef?: { name?: string; key?: string; optional?: boolean } } }[];
  envFrom?: { secretRef?: { name?: string; optional?: boolean } }[];
}

export interface Volume {
  name?: string;
  persistentVolumeClaim?: { claimName?: string };
  secret?: { secretName?: string; optional?: boolean; items?: { key?: string }[] };
  projected?: { sources?: { secret?: { name?: string; optional?: boolean; items?: { key?: string }[] } }[] };
}

const WORKLOADS = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"]);

/**
 * The pods the Prometheus Operator makes for a Prometheus or Alertmanager CR (its StatefulSet is not in any
 * render): the labels it puts on them and the container ports it opens (web 9090 / 9093, the config
 * reloader's 8080, and with `spec.thanos` the sidecar's grpc 10901 and http 10902).
 */
export function operatorPods(o: RenderedObject): { labels: Record<string, string>; ports: { containerPort: number; name: string }[] } | undefined {
  const name = o.metadata?.name ?? "";
  const reloader = { containerPort: 8080, name: "reloader-web" };
  if (o.kind === "Prometheus") {
    const thanos = (o.spec as { thanos?: unknown } | undefined)?.thanos ? [{ containerPort: 10901, name: "grpc" }, { containerPort: 10902, name: "http" }] : [];
    return { labels: { "app.kubernetes.io/name": "prometheus", "operator.prometheus.io/name": name, prometheus: name }, ports: [{ containerPort: 9090, name: "web" }, reloader, ...thanos] };
  }
  if (o.kind === "Alertmanager") {
    return { labels: { "app.kubernetes.io/name": "alertmanager", alertmanager: name }, ports: [{ containerPort: 9093, name: "web" }, reloader] };
  }
  return undefined;
}

/** Pod templates of every workload in the renders (CronJobs' too), and the operator's pods for its CRs. */
export function podTemplates(renders: readonly Rendered[]): PodTemplate[] {
  const out: PodTemplate[] = [];
  for (const r of renders) {
    for (const o of r.objects) {
      const op = operatorPods(o);
      if (op) {
        out.push({ owner: o, job: r.job, namespace: namespaceOf(o, r.job), labels: op.labels, spec: { containers: [{ name: o.kind?.toLowerCase(), ports: op.ports }] } });
        continue;
      }
      const spec = o.spec as { template?: { metadata?: { labels?: Record<string, string> }; spec?: PodTemplate["spec"] }; jobTemplate?: { spec?: { template?: { metadata?: { labels?: Record<string, string> }; spec?: PodTemplate["spec"] } } } } | undefined;
      const tpl = WORKLOADS.has(o.kind ?? "") ? spec?.template : o.kind === "CronJob" ? spec?.jobTemplate?.spec?.template : undefined;
      if (tpl?.spec) out.push({ owner: o, job: r.job, namespace: namespaceOf(o, r.job), labels: tpl.metadata?.labels ?? {}, spec: tpl.spec });
    }
  }
  return out;
}

/** Whether a Service selector picks pods with these labels (an empty or missing selector picks none). */
export function selects(selector: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  const entries = Object.entries(selector ?? {});
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}

/** Whether a label selector (matchLabels + matchExpressions) matches labels; an empty selector matches all. */
export function labelSelectorMatches(
  sel: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } | undefined | null,
  labels: Record<string, string>,
): boolean {
  if (!sel) return false;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    const v = labels[e.key];
    if (e.operator === "In" && !(has && (e.values ?? []).includes(v as string))) return false;
    if (e.operator === "NotIn" && has && (e.values ?? []).includes(v as string)) return false;
    if (e.operator === "Exists" && !has) return false;
    if (e.operator === "DoesNotExist" && has) return false;
  }
  return true;
}

/** A claim a workload gets: size and class as the cluster will provision them. */
export interface Claim {
  name: string;
  size: string | undefined;
  storageClass: string | undefined;
}

function claimOf(name: string, spec: { storageClassName?: string; resources?: { requests?: { storage?: string } } } | undefined): Claim {
  return { name, size: spec?.resources?.requests?.storage, storageClass: spec?.storageClassName };
}

/**
 * The persistent claims of a workload: a StatefulSet's volumeClaimTemplates, the PersistentVolumeClaims a
 * pod template mounts (looked up among the renders in the same namespace), or a Prometheus/Alertmanager CR's
 * `spec.storage.volumeClaimTemplate`.
 */
export function claimsOf(owner: RenderedObject, job: RenderJob, renders: readonly Rendered[]): Claim[] {
  const spec = owner.spec as Record<string, unknown> | undefined;
  if (owner.kind === "Prometheus" || owner.kind === "Alertmanager") {
    const vct = (spec?.storage as { volumeClaimTemplate?: { metadata?: { name?: string }; spec?: never } } | undefined)?.volumeClaimTemplate;
    return vct ? [claimOf(vct.metadata?.name ?? "storage", vct.spec)] : [];
  }
  const claims: Claim[] = [];
  for (const t of (spec?.volumeClaimTemplates as { metadata?: { name?: string }; spec?: never }[] | undefined) ?? []) claims.push(claimOf(t.metadata?.name ?? "?", t.spec));
  const ns = namespaceOf(owner, job);
  const volumes = ((spec?.template as { spec?: PodTemplate["spec"] } | undefined)?.spec?.volumes ?? []).filter((v) => v.persistentVolumeClaim?.claimName);
  for (const v of volumes) {
    const name = v.persistentVolumeClaim?.claimName as string;
    const pvc = renders.flatMap((r) => r.objects.filter((o) => o.kind === "PersistentVolumeClaim" && o.metadata?.name === name && namespaceOf(o, r.job) === ns))[0];
    claims.push(pvc ? claimOf(name, pvc.spec as never) : { name, size: undefined, storageClass: undefined });
  }
  return claims;
}
