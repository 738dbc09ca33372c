import type { AlloyBlock, AlloyConfig } from "@o11y-gitops/collectors";
import type { Component, Problem, Stack } from "@o11y-gitops/core";

/** Components whose manifests use prometheus-operator CRDs must sync after the chart that installs them. */
const CRD_PROVIDER = "kube-prometheus-stack";

/**
 * Invariants across components, checked on the built components (not on the config alone, so a builder
 * that drifts from the stack config is caught):
 * - objects of prometheus-operator kinds ride only with components that depend on the CRD provider;
 * - Alloy depends on Loki and Tempo, those that are there (it pushes to them);
 * - one Thanos objstore Secret for the sidecar and for Thanos, and no sidecar without Thanos;
 * - one Loki tenant everywhere: Loki runs with `auth_enabled`, Grafana's Loki datasource sends the stack's
 *   tenant as `X-Scope-OrgID`, and every Alloy `loki.write` endpoint (cluster and Docker hosts) sets it as
 *   `tenant_id`.
 */
export function crossComponentChecks(
  stack: Stack,
  components: readonly Component[],
  alloyConfigs: Readonly<Record<string, AlloyConfig>> = {},
): Problem[] {
  const problems: Problem[] = [];
  const byName = new Map(components.map((c) => [c.name, c]));
  const dependsOn = (name: string, target: string, seen = new Set<string>()): boolean => {
    if (seen.has(name)) return false;
    seen.add(name);
    const c = byName.get(name);
    return !!c && c.dependsOn.some((d) => d === target || dependsOn(d, target, seen));
  };
  for (const c of components) {
    if (c.name === CRD_PROVIDER) continue;
    const crdKinds = c.manifests.filter((m) => m.apiVersion.startsWith("monitoring.coreos.com/"));
    if (crdKinds.length > 0 && !dependsOn(c.name, CRD_PROVIDER)) {
      problems.push({
        path: `components.${c.name}.dependsOn`,
        message: `renders ${crdKinds[0]!.kind} but does not depend on ${CRD_PROVIDER}, which installs its CRD`,
      });
    }
  }
  const alloy = byName.get("alloy");
  if (alloy) {
    for (const dep of ["loki", "tempo"]) {
      if (byName.has(dep) && !dependsOn("alloy", dep)) {
        problems.push({ path: "components.alloy.dependsOn", message: `must include "${dep}" (Alloy pushes to it)` });
      }
    }
  }
  problems.push(...tenantAgreementProblems(stack, byName, alloyConfigs));
  problems.push(...objstoreProblems(stack, byName));
  return problems;
}

/**
 * The Thanos sidecar (kube-prometheus-stack) and the Thanos components read one objstore Secret: the
 * stack's `secrets.thanosObjstore`, same name and key on both sides.
 */
function objstoreProblems(stack: Stack, byName: ReadonlyMap<string, Component>): Problem[] {
  const problems: Problem[] = [];
  const { name, key } = stack.secrets.thanosObjstore;
  const dig = (v: unknown, path: readonly string[]): unknown =>
    path.reduce<unknown>((cur, k) => (isObject(cur) ? cur[k] : undefined), v);
  const kps = byName.get("kube-prometheus-stack");
  if (kps && !byName.has("thanos")) {
    if (dig(kps.values, ["prometheus", "prometheusSpec", "thanos"]) !== undefined) {
      problems.push({
        path: "kube-prometheus-stack values: prometheus.prometheusSpec.thanos",
        message: "runs a Thanos sidecar, but the stack has no Thanos (stack.components.thanos is false)",
      });
    }
  } else if (kps) {
    const ref = dig(kps.values, ["prometheus", "prometheusSpec", "thanos", "objectStorageConfig", "existingSecret"]);
    const got = isObject(ref) ? { name: ref["name"], key: ref["key"] } : undefined;
    if (!got || got.name !== name || got.key !== key) {
      problems.push({
        path: "kube-prometheus-stack values: prometheus.prometheusSpec.thanos.objectStorageConfig.existingSecret",
        message: `is ${JSON.stringify(got ?? null)}, expected the stack's objstore Secret {"name":"${name}","key":"${key}"}`,
      });
    }
  }
  const thanos = byName.get("thanos");
  if (thanos) {
    const secret = dig(thanos.values, ["existingObjstoreSecret"]);
    const items = dig(thanos.values, ["existingObjstoreSecretItems"]);
    const keys = Array.isArray(items) ? items.map((i) => (isObject(i) ? i["key"] : undefined)) : [];
    if (secret !== name || !keys.includes(key)) {
      problems.push({
        path: "thanos values: existingObjstoreSecret",
        message: `reads ${JSON.stringify(secret ?? null)} (keys ${JSON.stringify(keys)}), expected the stack's objstore Secret "${name}" with key "${key}"`,
      });
    }
  }
  return problems;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function tenantAgreementProblems(
  stack: Stack,
  byName: ReadonlyMap<string, Component>,
  alloyConfigs: Readonly<Record<string, AlloyConfig>>,
): Problem[] {
  const problems: Problem[] = [];
  const tenant = stack.lokiTenant;
  const loki = byName.get("loki");
  if (loki) {
    const lokiConfig = (loki.values as Json)["loki"];
    if (!isObject(lokiConfig) || lokiConfig["auth_enabled"] !== true) {
      problems.push({
        path: "loki values: loki.auth_enabled",
        message: `must be true: clients send X-Scope-OrgID "${tenant}" and Loki must honour it`,
      });
    }
  }
  const kps = byName.get("kube-prometheus-stack");
  if (kps) {
    const grafana = (kps.values as Json)["grafana"];
    const sources = isObject(grafana) && Array.isArray(grafana["additionalDataSources"]) ? grafana["additionalDataSources"] : [];
    const lokiSources = sources.filter((d): d is Json => isObject(d) && d["type"] === "loki");
    if (lokiSources.length === 0 && byName.has("loki")) {
      problems.push({ path: "kube-prometheus-stack values: grafana.additionalDataSources", message: "has no Loki datasource" });
    }
    for (const ds of lokiSources) {
      const header = orgIdHeader(ds);
      if (header !== tenant) {
        problems.push({
          path: `kube-prometheus-stack values: grafana.additionalDataSources[${sources.indexOf(ds)}]`,
          message: `Loki datasource sends X-Scope-OrgID ${JSON.stringify(header ?? null)}, expected the stack's tenant "${tenant}"`,
        });
      }
    }
  }
  for (const [where, config] of Object.entries(alloyConfigs)) {
    for (const block of config.blocks.filter((b) => b.name === "loki.write")) {
      for (const endpoint of block.body.filter((s): s is AlloyBlock => s.kind === "block" && s.name === "endpoint")) {
        const attr = endpoint.body.find((s) => s.kind === "attribute" && s.name === "tenant_id");
        const value = attr && attr.kind === "attribute" && attr.value.kind === "string" ? attr.value.value : undefined;
        if (value !== tenant) {
          problems.push({
            path: `${where}: loki.write "${block.label ?? ""}" endpoint.tenant_id`,
            message: `is ${JSON.stringify(value ?? null)}, expected the stack's tenant "${tenant}"`,
          });
        }
      }
    }
  }
  return problems;
}

/** The X-Scope-OrgID value a Grafana datasource sends (httpHeaderNameN / secureJsonData.httpHeaderValueN). */
function orgIdHeader(ds: Json): string | undefined {
  const jsonData = isObject(ds["jsonData"]) ? ds["jsonData"] : {};
  const secure = isObject(ds["secureJsonData"]) ? ds["secureJsonData"] : {};
  for (const [key, name] of Object.entries(jsonData)) {
    const m = /^httpHeaderName(\d+)$/.exec(key);
    if (m && typeof name === "string" && name.toLowerCase() === "x-scope-orgid") {
      const value = secure[`httpHeaderValue${m[1]}`];
      return typeof value === "string" ? value : undefined;
    }
  }
  return undefined;
}
