/** ingress-nginx: write-host Ingresses and the annotation allowlist (on Ingresses and in Helm ingress values). */
import { INGRESS_ANNOTATION_ALLOWLIST, INGRESS_NGINX_PREFIX } from "../ingress-nginx.js";
import { STACK_DEFAULTS } from "../stack.js";
import { type At, type Collector, isRecord, type Segment, str } from "./common.js";
import { POLICY_MESSAGES as M } from "./messages.js";
import type { PolicyOptions } from "./options.js";

/** Annotations (without prefix) that make ingress-nginx match every path of the host as a regex. */
const HOST_WIDENING = new Set(["use-regex", "rewrite-target"]);

/** The configured annotation prefix, with its trailing `/`. */
export function annotationPrefix(opts: PolicyOptions): string {
  const prefix = opts.annotationPrefix ?? INGRESS_NGINX_PREFIX;
  return prefix.endsWith("/") ? prefix : `${prefix}/`;
}

/**
 * The annotation name without the controller prefix, lower-cased, or undefined for other annotations. Keys
 * are compared case-insensitively: a key that differs from a known one only in case is judged like it
 * (refused if that one is refused), whether or not the controller would read it.
 */
export function controllerAnnotation(name: string, opts: PolicyOptions): string | undefined {
  const prefix = annotationPrefix(opts).toLowerCase();
  const lower = name.toLowerCase();
  return lower.startsWith(prefix) ? lower.slice(prefix.length) : undefined;
}

/** Snippet rejection and the allowlist, for an Ingress's annotations or a chart's ingress annotation values. */
export function checkIngressAnnotations(annotations: Record<string, unknown>, base: readonly Segment[], at: At, opts: PolicyOptions, out: Collector): void {
  const extra = new Set((opts.extraAllowedIngressAnnotations ?? []).map((a) => a.toLowerCase()));
  for (const name of Object.keys(annotations)) {
    const short = controllerAnnotation(name, opts);
    if (short === undefined) continue;
    if (short.includes("snippet")) out.error(at([...base, name]), M.snippet());
    else if (!ALLOWLIST.has(short) && !extra.has(short)) out.error(at([...base, name]), M.notAllowlisted());
  }
}

const ALLOWLIST: ReadonlySet<string> = new Set(INGRESS_ANNOTATION_ALLOWLIST);

export function checkIngress(obj: Record<string, unknown>, at: At, opts: PolicyOptions, out: Collector): void {
  const meta = isRecord(obj["metadata"]) ? obj["metadata"] : {};
  const annotations = isRecord(meta["annotations"]) ? meta["annotations"] : {};
  const namespace = str(meta["namespace"]);
  const annPath = (name: string): Segment[] => ["metadata", "annotations", name];
  checkIngressAnnotations(annotations, ["metadata", "annotations"], at, opts, out);

  const allowed = new Map<string, string[]>();
  for (const e of opts.writeEndpoints) allowed.set(e.host, [...(allowed.get(e.host) ?? []), e.path]);
  const spec = isRecord(obj["spec"]) ? obj["spec"] : {};
  const rules = Array.isArray(spec["rules"]) ? spec["rules"] : [];
  const writeHosts = rules.map((r) => (isRecord(r) ? str(r["host"]) : undefined)).filter((h): h is string => h !== undefined && allowed.has(h));
  if (writeHosts.length === 0) return;
  const host = writeHosts[0] as string;

  const wantClass = opts.ingressClassName ?? STACK_DEFAULTS.ingressClassName;
  const foundClass = str(spec["ingressClassName"]) ?? str(annotations["kubernetes.io/ingress.class"]);
  if (foundClass !== wantClass) out.error(at(["spec", "ingressClassName"]), M.wrongIngressClass(host, wantClass, foundClass));
  if (spec["defaultBackend"] !== undefined) out.error(at(["spec", "defaultBackend"]), M.defaultBackend(host));

  rules.forEach((rule, r) => {
    if (!isRecord(rule)) return;
    const h = str(rule["host"]);
    const paths = h === undefined ? undefined : allowed.get(h);
    if (h === undefined || paths === undefined) return;
    const http = isRecord(rule["http"]) ? rule["http"] : {};
    const list = Array.isArray(http["paths"]) ? http["paths"] : [];
    list.forEach((p, j) => {
      const entry = isRecord(p) ? p : {};
      const base: Segment[] = ["spec", "rules", r, "http", "paths", j];
      const pathType = str(entry["pathType"]);
      if (pathType !== "Exact") out.error(at([...base, "pathType"]), M.notExact(h, pathType));
      const path = str(entry["path"]);
      if (path === undefined || !paths.includes(path)) out.error(at([...base, "path"]), M.notWritePath(h, path, paths));
    });
  });

  // Required annotations are looked up exactly as the controller reads them (configured prefix, exact case).
  const prefix = annotationPrefix(opts);
  const authType = str(annotations[`${prefix}auth-type`]);
  if (authType !== "basic") out.error(at(annPath(`${prefix}auth-type`)), M.requiredAnnotation("basic", authType));
  const authSecret = str(annotations[`${prefix}auth-secret`]);
  const secretOk =
    authSecret === opts.basicAuthSecret || (namespace !== undefined && authSecret === `${namespace}/${opts.basicAuthSecret}`);
  if (!secretOk) out.error(at(annPath(`${prefix}auth-secret`)), M.requiredAnnotation(opts.basicAuthSecret, authSecret));
  const redirect = str(annotations[`${prefix}force-ssl-redirect`]);
  if (redirect !== "true") out.error(at(annPath(`${prefix}force-ssl-redirect`)), M.requiredAnnotation("true", redirect));

  for (const [name, value] of Object.entries(annotations)) {
    const short = controllerAnnotation(name, opts);
    if (short === undefined || !HOST_WIDENING.has(short)) continue;
    if (short === "use-regex" && value === "false") continue;
    out.error(at(annPath(name)), M.hostWidening(short));
  }
}
