// Check 3: every address the stack derives, and every in-cluster address the rendered configs carry (Grafana's
// datasources, Alloy's Loki/Tempo endpoints, Thanos Query's store endpoints, the query frontend's downstream,
// Ingress backends), resolves to a rendered Service in the right namespace with that port, whose selector
// matches pods that expose the target port.
import { parse } from "yaml";
import type { K8sObject, ServiceEndpoint, Stack } from "@o11y-gitops/core";
import { selectedWriteEndpoints } from "@o11y-gitops/ingress";
import { lokiEndpoints } from "@o11y-gitops/logs";
import { metricsEndpoints } from "@o11y-gitops/metrics";
import { tempoEndpoints } from "@o11y-gitops/traces";
import { describe, namespaceOf, type Finding, type Rendered, type RenderedObject } from "../objects.js";
import { podTemplates, selects, type Container, type PodTemplate } from "../workloads.js";

/** A Service port someone connects to: by number, or (DNS SRV) by port name. */
export interface Address {
  service: string;
  namespace: string;
  port: number | string;
  /** Who uses it, for messages. */
  from: string;
  /** The address as written. */
  text: string;
  job: string;
}

/**
 * Every address the stack derives for its components (the seed's Endpoints table and the write endpoints'
 * backends), of the components `stack.components` switches on.
 */
export function stackAddresses(stack: Stack): Address[] {
  const on = stack.components;
  const named: [string, ServiceEndpoint][] = [
    ...Object.entries(metricsEndpoints(stack))
      .filter(([k]) => on.thanos || !k.startsWith("thanos"))
      .map(([k, e]) => [`metricsEndpoints.${k}`, e] as [string, ServiceEndpoint]),
    ...(on.loki ? [["lokiEndpoints.http", lokiEndpoints(stack).http] as [string, ServiceEndpoint]] : []),
    ...(on.tempo ? (["http", "otlpGrpc", "otlpHttp"] as const).map((k) => [`tempoEndpoints.${k}`, tempoEndpoints(stack)[k]] as [string, ServiceEndpoint]) : []),
    ...selectedWriteEndpoints(stack).map((w) => [`writeEndpoints ${w.name} backend`, w.backend] as [string, ServiceEndpoint]),
  ];
  return named.map(([from, e]) => ({ service: e.service, namespace: e.namespace, port: e.port, from: `stack ${from}`, text: `${e.host}:${e.port}`, job: "(stack)" }));
}

const DEFAULT_PORT: Record<string, number> = { http: 80, https: 443 };

/**
 * An in-cluster address in a config value: `[scheme://]<svc>[.<ns>[.svc[.cluster.local]]][:port][/path]`, or a
 * DNS SRV form `dnssrv+_<portname>._tcp.<svc>.<ns>.svc.cluster.local`. Hosts with dots that are not cluster
 * names (the object store, public hosts) and loopback/wildcard listeners are not addresses of the cluster.
 */
export function parseAddress(text: string, defaultNamespace: string): { service: string; namespace: string; port: number | string } | undefined {
  const srv = /^dnssrv(?:noa)?\+_([a-z0-9-]+)\._tcp\.([^:/]+)$/.exec(text);
  if (srv) {
    const host = parseHost(srv[2] as string, defaultNamespace);
    return host ? { ...host, port: srv[1] as string } : undefined;
  }
  const m = /^(?:([a-z][a-z0-9+.-]*):\/\/)?([a-z0-9.-]+)(?::(\d+))?(?:\/.*)?$/.exec(text);
  if (!m) return undefined;
  const host = parseHost(m[2] as string, defaultNamespace);
  if (!host) return undefined;
  const port = m[3] !== undefined ? Number(m[3]) : DEFAULT_PORT[m[1] ?? ""];
  return port === undefined ? undefined : { ...host, port };
}

function parseHost(host: string, defaultNamespace: string): { service: string; namespace: string } | undefined {
  if (host === "localhost" || /^[0-9.]+$/.test(host)) return undefined;
  const parts = host.replace(/\.cluster\.local$/, "").replace(/\.svc$/, "").split(".");
  const cluster = host.endsWith(".svc") || host.endsWith(".svc.cluster.local");
  if (parts.length === 1 && !cluster) return { service: parts[0] as string, namespace: defaultNamespace };
  // `<svc>.<ns>` without `.svc` is a cluster name only when <ns> is a namespace we render into (the caller checks).
  if (parts.length === 2) return { service: parts[0] as string, namespace: parts[1] as string };
  return undefined;
}

function argValues(containers: readonly Container[] | undefined, flag: string): string[] {
  return (containers ?? []).flatMap((c) => (c.args ?? []).filter((a) => a.startsWith(`${flag}=`)).map((a) => a.slice(flag.length + 1)));
}

/** The in-cluster addresses the rendered configs carry, each with who uses it. */
export function renderedAddresses(renders: readonly Rendered[], namespaces: ReadonlySet<string>, treeObjects: readonly K8sObject[] = []): Address[] {
  const out: Address[] = [];
  const add = (text: string, ns: string, from: string, job: string) => {
    const a = parseAddress(text, ns);
    if (a && namespaces.has(a.namespace)) out.push({ ...a, from, text, job });
  };
  const all: { o: RenderedObject; job: string; ns: string }[] = [
    ...renders.flatMap((r) => r.objects.map((o) => ({ o, job: r.job.name, ns: namespaceOf(o, r.job) }))),
    ...treeObjects.map((o) => ({ o: o as RenderedObject, job: "(tree)", ns: o.metadata.namespace ?? "" })),
  ];
  for (const { o, job, ns } of all) {
    const what = `${o.kind} ${ns}/${o.metadata?.name ?? "?"}`;
    if (o.kind === "ConfigMap") {
      for (const [key, text] of Object.entries((o.data as Record<string, string> | undefined) ?? {})) {
        if (typeof text !== "string") continue;
        if (o.metadata?.labels?.grafana_datasource !== undefined || /^\s*(apiVersion: 1\s*)?datasources:/m.test(text)) {
          const doc = parse(text) as { datasources?: { name?: string; url?: string }[] } | null;
          for (const d of doc?.datasources ?? []) if (d.url) add(d.url, ns, `${what} ${key} datasource ${d.name ?? "?"}`, job);
        }
        if (key.endsWith(".alloy")) {
          for (const m of text.matchAll(/\b(url|endpoint)\s*=\s*"([^"]+)"/g)) add(m[2] as string, ns, `${what} ${key} ${m[1]}`, job);
        }
      }
    }
    if (o.kind === "Deployment" || o.kind === "StatefulSet") {
      const containers = (o.spec as { template?: { spec?: { containers?: Container[] } } } | undefined)?.template?.spec?.containers;
      for (const v of argValues(containers, "--endpoint")) add(v, ns, `${what} --endpoint`, job);
      for (const v of argValues(containers, "--query-frontend.downstream-url")) add(v, ns, `${what} --query-frontend.downstream-url`, job);
    }
    if (o.kind === "Ingress") {
      const rules = (o.spec as { rules?: { http?: { paths?: { backend?: { service?: { name?: string; port?: { number?: number; name?: string } } } }[] } }[] } | undefined)?.rules ?? [];
      for (const r of rules) {
        for (const p of r.http?.paths ?? []) {
          const s = p.backend?.service;
          const port = s?.port?.number ?? s?.port?.name;
          if (s?.name && port !== undefined) out.push({ service: s.name, namespace: ns, port, from: `${what} backend`, text: `${s.name}:${port}`, job });
        }
      }
    }
  }
  return out;
}

interface ServicePort {
  name?: string;
  port?: number;
  targetPort?: number | string;
}

function exposes(pod: PodTemplate, target: number | string): boolean {
  return (pod.spec.containers ?? []).some((c) => (c.ports ?? []).some((p) => (typeof target === "number" ? p.containerPort === target : p.name === target)));
}

/** Resolve each address; one finding per address that does not reach a pod. */
export function wiringFindings(renders: readonly Rendered[], addresses: readonly Address[]): Finding[] {
  const services = new Map<string, RenderedObject>();
  for (const r of renders) for (const o of r.objects) if (o.kind === "Service") services.set(`${namespaceOf(o, r.job)}/${o.metadata?.name ?? ""}`, o);
  const pods = podTemplates(renders);
  const findings: Finding[] = [];
  for (const a of addresses) {
    const id = `${a.namespace}/${a.service}`;
    const fail = (why: string) => findings.push({ job: a.job, check: "wiring", message: `${a.from}: ${a.text}: ${why}` });
    const svc = services.get(id);
    if (!svc) {
      fail(`no Service ${id} rendered`);
      continue;
    }
    const spec = svc.spec as { selector?: Record<string, string>; ports?: ServicePort[] } | undefined;
    const ports = spec?.ports ?? [];
    const port = ports.find((p) => (typeof a.port === "number" ? p.port === a.port : p.name === a.port));
    if (!port) {
      fail(`Service ${id} has no port ${typeof a.port === "number" ? a.port : `named ${a.port}`} (it has ${ports.map((p) => (p.name ? `${p.name} ${p.port}` : String(p.port))).join(", ")})`);
      continue;
    }
    const behind = pods.filter((p) => p.namespace === a.namespace && selects(spec?.selector, p.labels));
    if (behind.length === 0) {
      fail(`Service ${id} selects no rendered pods (selector ${JSON.stringify(spec?.selector ?? {})})`);
      continue;
    }
    const target = port.targetPort ?? port.port ?? 0;
    if (!behind.some((p) => exposes(p, target))) {
      fail(`no pod behind Service ${id} (${behind.map((p) => describe(p.owner, p.job)).join(", ")}) exposes target port ${target}`);
    }
  }
  return findings;
}
