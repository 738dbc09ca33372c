// Check 5: the seed's facts as the workloads will see them. Every expected value comes from the stack config
// (sizes, storage class, retention, buckets, secret names and keys) and the packages' own address helpers;
// nothing here restates a value.
import { parse } from "yaml";
import { parseDuration, type K8sObject, type ServiceEndpoint, type Stack, type Volumes } from "@o11y-gitops/core";
import { lokiEndpoints } from "@o11y-gitops/logs";
import { metricsEndpoints } from "@o11y-gitops/metrics";
import { tempoEndpoints } from "@o11y-gitops/traces";
import { describe, namespaceOf, type Finding, type Rendered, type RenderedObject } from "../objects.js";
import type { RenderJob } from "../plan.js";
import { claimsOf, podTemplates, selects, type Container } from "../workloads.js";

type Owner = { o: RenderedObject; job: RenderJob };
type Locate = (renders: readonly Rendered[]) => Owner[] | string;

/** The workloads behind a Service the stack derives (its selector over the rendered pod templates). */
export function behindService(e: ServiceEndpoint): Locate {
  return (renders) => {
    const svc = renders.flatMap((r) => r.objects.filter((o) => o.kind === "Service" && o.metadata?.name === e.service && namespaceOf(o, r.job) === e.namespace))[0];
    if (!svc) return `no Service ${e.namespace}/${e.service} rendered`;
    const selector = (svc.spec as { selector?: Record<string, string> } | undefined)?.selector;
    const owners = podTemplates(renders).filter((p) => p.namespace === e.namespace && selects(selector, p.labels));
    return owners.length > 0 ? owners.map((p) => ({ o: p.owner, job: p.job })) : `Service ${e.namespace}/${e.service} selects no rendered pods`;
  };
}

/** Objects of a kind (optionally with a label) in the render of a release. */
function inRelease(release: string, kind: string, label?: [string, string]): Locate {
  return (renders) => {
    const found = renders
      .filter((r) => r.job.release === release && r.job.kind === "application")
      .flatMap((r) => r.objects.filter((o) => o.kind === kind && (!label || o.metadata?.labels?.[label[0]] === label[1])).map((o) => ({ o, job: r.job })));
    return found.length > 0 ? found : `no ${kind}${label ? ` labelled ${label[0]}=${label[1]}` : ""} in release ${release}`;
  };
}

/** The volumes of the components `stack.components` switches off: no workload claims them. */
function volumesOff(stack: Stack): ReadonlySet<keyof Volumes> {
  const on = stack.components;
  return new Set<keyof Volumes>([
    ...(on.thanos ? [] : (["thanosStoreGateway", "thanosCompactor"] as const)),
    ...(on.loki ? [] : (["lokiWal"] as const)),
    ...(on.tempo ? [] : (["tempoWal"] as const)),
  ]);
}

/** Where each volume of the seed's Storage table lives, found from the stack's releases and Services. */
export function volumeLocators(stack: Stack): Record<keyof Volumes, Locate> {
  const m = metricsEndpoints(stack);
  return {
    prometheus: inRelease(stack.releases.kubePrometheusStack, "Prometheus"),
    alertmanager: inRelease(stack.releases.kubePrometheusStack, "Alertmanager"),
    thanosStoreGateway: behindService(m.thanosStoreGateway),
    // The compactor has no Service the stack addresses; Bitnami labels its Deployment by component.
    thanosCompactor: inRelease(stack.releases.thanos, "Deployment", ["app.kubernetes.io/component", "compactor"]),
    lokiWal: behindService(lokiEndpoints(stack).http),
    tempoWal: behindService(tempoEndpoints(stack).http),
    grafana: behindService(m.grafana),
  };
}

function sameDuration(a: unknown, b: string): boolean {
  return typeof a === "string" && parseDuration(a) !== undefined && parseDuration(a) === parseDuration(b);
}

/** A config file a release renders into a ConfigMap (key `file`), parsed. */
function configFile(renders: readonly Rendered[], release: string, file: string): { value: Record<string, unknown>; where: string } | string {
  for (const r of renders) {
    if (r.job.release !== release || r.job.kind !== "application") continue;
    for (const o of r.objects) {
      const data = (o.kind === "ConfigMap" ? (o.data as Record<string, string> | undefined) : undefined)?.[file];
      if (typeof data === "string") return { value: (parse(data) ?? {}) as Record<string, unknown>, where: `${describe(o, r.job)} ${file}` };
    }
  }
  return `no ConfigMap with ${file} in release ${release}`;
}

function at(v: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((cur, k) => (cur !== null && typeof cur === "object" ? (cur as Record<string, unknown>)[k] : undefined), v);
}

function argOf(args: readonly string[], flag: string): string | undefined {
  return args.find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1);
}

function argValue(containers: readonly Container[] | undefined, flag: string): string | undefined {
  for (const c of containers ?? []) for (const a of c.args ?? []) if (a.startsWith(`${flag}=`)) return a.slice(flag.length + 1);
  return undefined;
}

/** PVC size and storage class of every workload in the seed's Storage table. */
export function volumeFindings(renders: readonly Rendered[], stack: Stack): Finding[] {
  const findings: Finding[] = [];
  const off = volumesOff(stack);
  for (const [key, locate] of Object.entries(volumeLocators(stack)) as [keyof Volumes, Locate][]) {
    if (off.has(key)) continue;
    const owners = locate(renders);
    const label = `stack.volumes.${key}`;
    if (typeof owners === "string") {
      findings.push({ job: "(stack)", check: "seed", message: `${label}: ${owners}` });
      continue;
    }
    for (const { o, job } of owners) {
      const claims = claimsOf(o, job, renders);
      if (claims.length === 0) {
        findings.push({ job: job.name, check: "seed", message: `${describe(o, job)}: has no persistent volume claim (${label} is ${stack.volumes[key]} in ${stack.storageClass})` });
        continue;
      }
      for (const c of claims) {
        if (c.size !== stack.volumes[key]) findings.push({ job: job.name, check: "seed", message: `${describe(o, job)} claim ${c.name}: size ${String(c.size)}, ${label} is ${stack.volumes[key]}` });
        if (c.storageClass !== stack.storageClass) findings.push({ job: job.name, check: "seed", message: `${describe(o, job)} claim ${c.name}: storage class ${String(c.storageClass)}, stack.storageClass is ${stack.storageClass}` });
      }
    }
  }
  return findings;
}

/** Retention and buckets as Prometheus, the Thanos compactor, Loki and Tempo will read them. */
export function retentionFindings(renders: readonly Rendered[], stack: Stack): Finding[] {
  const findings: Finding[] = [];
  const add = (job: string, message: string) => findings.push({ job, check: "seed", message });
  const ret = stack.retention;

  const prom = inRelease(stack.releases.kubePrometheusStack, "Prometheus")(renders);
  if (typeof prom === "string") add("(stack)", `stack.retention.prometheusLocal: ${prom}`);
  else for (const { o, job } of prom) {
    const got = (o.spec as { retention?: unknown } | undefined)?.retention;
    if (!sameDuration(got, ret.prometheusLocal)) add(job.name, `${describe(o, job)}: spec.retention ${JSON.stringify(got)}, stack.retention.prometheusLocal is ${ret.prometheusLocal}`);
  }

  const compactor = stack.components.thanos ? inRelease(stack.releases.thanos, "Deployment", ["app.kubernetes.io/component", "compactor"])(renders) : [];
  if (typeof compactor === "string") add("(stack)", `stack.retention.metricsRaw: ${compactor}`);
  else for (const { o, job } of compactor) {
    const containers = (o.spec as { template?: { spec?: { containers?: Container[] } } }).template?.spec?.containers;
    for (const [flag, field] of [["--retention.resolution-raw", "metricsRaw"], ["--retention.resolution-5m", "metrics5m"], ["--retention.resolution-1h", "metrics1h"]] as const) {
      const got = argValue(containers, flag);
      if (!sameDuration(got, ret[field])) add(job.name, `${describe(o, job)}: ${flag} ${got === undefined ? "is not set" : `is ${got}`}, stack.retention.${field} is ${ret[field]}`);
    }
  }

  const files: [string, string, [string, unknown, string][]][] = ([
    [
      stack.releases.loki,
      "config.yaml",
      [
        ["limits_config.retention_period", ret.logs, "stack.retention.logs"],
        ["compactor.retention_enabled", true, "retention needs the compactor's retention_enabled"],
        ["common.storage.s3.bucketnames", stack.objectStore.buckets.lokiChunks, "stack.objectStore.buckets.lokiChunks"],
        ["ruler.storage.s3.bucketnames", stack.objectStore.buckets.lokiRuler, "stack.objectStore.buckets.lokiRuler"],
      ],
    ],
    [
      stack.releases.tempo,
      "tempo.yaml",
      [
        ["compactor.compaction.block_retention", ret.traces, "stack.retention.traces"],
        ["storage.trace.s3.bucket", stack.objectStore.buckets.tempo, "stack.objectStore.buckets.tempo"],
      ],
    ],
  ] as [string, string, [string, unknown, string][]][]).filter(([release]) =>
    release === stack.releases.loki ? stack.components.loki : stack.components.tempo,
  );
  for (const [release, file, expectations] of files) {
    const cfg = configFile(renders, release, file);
    if (typeof cfg === "string") {
      add("(stack)", cfg);
      continue;
    }
    const job = renders.find((r) => r.job.release === release && r.job.kind === "application")?.job.name ?? release;
    for (const [path, want, why] of expectations) {
      const got = at(cfg.value, path);
      const ok = typeof want === "string" && /^[0-9]+[smhdwy]$/.test(want) ? sameDuration(got, want) : got === want;
      if (!ok) add(job, `${cfg.where}: ${path} is ${JSON.stringify(got)}, ${why} is ${JSON.stringify(want)}`);
    }
  }
  return findings;
}

/** A Secret reference from a rendered object: name, the keys it needs (none = the whole Secret), and from where. */
export interface SecretRef {
  namespace: string;
  name: string;
  keys: string[];
  from: string;
  job: string;
}

/** Every non-optional Secret reference of pod templates and Prometheus CRs in the renders. */
export function secretRefs(renders: readonly Rendered[]): SecretRef[] {
  const refs: SecretRef[] = [];
  for (const p of podTemplates(renders)) {
    const from = describe(p.owner, p.job);
    const push = (name: string | undefined, keys: (string | undefined)[], optional: boolean | undefined, what: string) => {
      if (name && !optional) refs.push({ namespace: p.namespace, name, keys: keys.filter((k): k is string => !!k), from: `${from} ${what}`, job: p.job.name });
    };
    for (const c of [...(p.spec.containers ?? []), ...(p.spec.initContainers ?? [])]) {
      for (const e of c.env ?? []) {
        const r = e.valueFrom?.secretKeyRef;
        if (r) push(r.name, [r.key], r.optional, `env ${e.name ?? "?"}`);
      }
      for (const e of c.envFrom ?? []) if (e.secretRef) push(e.secretRef.name, [], e.secretRef.optional, "envFrom");
    }
    for (const v of p.spec.volumes ?? []) {
      if (v.secret) push(v.secret.secretName, (v.secret.items ?? []).map((i) => i.key), v.secret.optional, `volume ${v.name ?? "?"}`);
      for (const s of v.projected?.sources ?? []) if (s.secret) push(s.secret.name, (s.secret.items ?? []).map((i) => i.key), s.secret.optional, `volume ${v.name ?? "?"}`);
    }
  }
  for (const r of renders) {
    for (const o of r.objects) {
      if (o.kind !== "Prometheus") continue;
      const c = (o.spec as { thanos?: { objectStorageConfig?: { name?: string; key?: string; optional?: boolean } } } | undefined)?.thanos?.objectStorageConfig;
      if (c?.name && !c.optional) refs.push({ namespace: namespaceOf(o, r.job), name: c.name, keys: c.key ? [c.key] : [], from: `${describe(o, r.job)} spec.thanos.objectStorageConfig`, job: r.job.name });
    }
  }
  return refs;
}

/** Keys of a Secret object (data and stringData). */
function secretKeys(o: { data?: unknown; stringData?: unknown }): string[] {
  return [...Object.keys((o.data as object | null) ?? {}), ...Object.keys((o.stringData as object | null) ?? {})];
}

/**
 * Secrets referenced by name and key exist: rendered by a chart in the same namespace, or in the tree (the
 * stack's Secret skeletons). Checked for the stack's namespace, the one the tree provides Secrets for;
 * `runtime` lists Secrets a controller creates after install, each with the reason.
 */
export function secretFindings(renders: readonly Rendered[], stack: Stack, treeSecrets: readonly K8sObject[], runtime: Readonly<Record<string, string>>): Finding[] {
  const known = new Map<string, string[]>();
  for (const s of treeSecrets) known.set(`${s.metadata.namespace ?? stack.namespace}/${s.metadata.name}`, secretKeys(s as { data?: unknown; stringData?: unknown }));
  for (const r of renders) for (const o of r.objects) if (o.kind === "Secret") known.set(`${namespaceOf(o, r.job)}/${o.metadata?.name ?? ""}`, secretKeys(o as never));
  // kube-webhook-certgen (`create --secret-name=X --namespace=N`, run by a chart's hook Job) creates the
  // webhook certificate Secret at install time: it exists, with keys only the tool knows.
  const created = new Set<string>();
  for (const p of podTemplates(renders)) {
    if (p.owner.kind !== "Job") continue;
    for (const c of p.spec.containers ?? []) {
      if (c.args?.[0] !== "create") continue;
      const name = argOf(c.args, "--secret-name");
      if (name) created.add(`${argOf(c.args, "--namespace") ?? p.namespace}/${name}`);
    }
  }
  const findings: Finding[] = [];
  for (const ref of secretRefs(renders)) {
    if (ref.namespace !== stack.namespace) continue;
    const id = `${ref.namespace}/${ref.name}`;
    if (runtime[id] !== undefined || created.has(id)) continue;
    const keys = known.get(id);
    if (!keys) {
      findings.push({ job: ref.job, check: "seed", message: `${ref.from}: Secret ${id} is neither rendered nor in the tree` });
      continue;
    }
    const missing = ref.keys.filter((k) => !keys.includes(k));
    if (missing.length > 0) findings.push({ job: ref.job, check: "seed", message: `${ref.from}: Secret ${id} has no key ${missing.join(", ")} (it has ${keys.join(", ") || "none"})` });
  }
  return findings;
}
