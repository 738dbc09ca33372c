// Components → ArgoCD Applications, their values files and the manifests that ride with each.
import type { ChartPin } from "../argocd.js";
import { helmApplication } from "../argocd.js";
import type { Component, K8sObject } from "../component.js";
import { byCodeUnits } from "../fileset.js";
import { SYNC_WAVE } from "../labels.js";
import { kustomizationIndex } from "../platform.js";
import type { Problem } from "../problems.js";
import { repoPath, type Stack } from "../stack.js";
import { yamlFile } from "../yaml.js";
import type { ValuesValidator } from "./index.js";
import type { Tree } from "./tree.js";

const K8S_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Component names: valid Kubernetes names, each declared once. */
export function componentNameProblems(components: readonly Component[]): Problem[] {
  const problems: Problem[] = [];
  const names = new Set<string>();
  for (const c of components) {
    if (!K8S_NAME.test(c.name)) problems.push({ path: `components.${c.name}.name`, message: `"${c.name}" is not a valid Kubernetes name` });
    if (names.has(c.name)) problems.push({ path: `components.${c.name}`, message: "declared twice" });
    names.add(c.name);
  }
  return problems;
}

/**
 * Each component's values file (checked against its chart's schema, the escape hatch merged over it), its
 * Application (sync wave from `waves`) and its manifests, in name order, and the apps folder's
 * kustomization. Returns the pins the components use (the AppProject's source repositories).
 */
export function renderComponents(
  tree: Tree,
  stack: Stack,
  components: readonly Component[],
  pins: Readonly<Record<string, ChartPin>>,
  validateValues: ValuesValidator,
  waves: ReadonlyMap<string, number>,
): ChartPin[] {
  const { paths, header, problems } = tree;
  const appsResources: string[] = [];
  const usedPins: ChartPin[] = [];
  for (const c of [...components].sort((a, b) => byCodeUnits(a.name, b.name))) {
    const pin = pins[c.chart];
    if (!pin) {
      problems.push({ path: `components.${c.name}.chart`, message: `chart "${c.chart}" is not pinned in schemas/charts.lock.json` });
      continue;
    }
    usedPins.push(pin);
    for (const e of validateValues(c.chart, c.values)) {
      problems.push({ path: `${c.name} values: ${e.path}`, message: e.message });
    }
    const values = applyExtraValues(c, problems, tree.notes);
    const wave = waves.get(c.name) ?? 1;
    const valuesFile = `${paths.values}/${c.name}.yaml`;
    tree.add(valuesFile, yamlFile([...header, `Helm values for chart ${pin.chart} ${pin.version} (release ${c.release}).`], [values]));
    const appFile = `applications/${c.name}.yaml`;
    tree.addObject(`${paths.apps}/${appFile}`, helmApplication({ stack, component: c, pin, wave, valuesFile: repoPath(stack, valuesFile) }));
    appsResources.push(appFile);
    for (const m of c.manifests) {
      const withWave = withSyncWave(m, wave);
      const rel = `manifests/${c.name}/${m.kind.toLowerCase()}-${m.metadata.name}.yaml`;
      tree.addObject(`${paths.apps}/${rel}`, withWave);
      appsResources.push(rel);
    }
  }
  tree.add(`${paths.apps}/kustomization.yaml`, yamlFile(header, [kustomizationIndex(appsResources)]));
  return usedPins;
}

function withSyncWave(obj: K8sObject, wave: number): K8sObject {
  return {
    ...obj,
    metadata: { ...obj.metadata, annotations: { ...(obj.metadata.annotations ?? {}), [SYNC_WAVE]: String(wave) } },
  };
}

/** Path segments an extra value may not use: they would reach Object.prototype instead of a key. */
const FORBIDDEN_SEGMENTS = new Set(["__proto__", "constructor", "prototype"]);

/** Merge the escape-hatch entries over the typed values (a copy), noting each use. */
function applyExtraValues(c: Component, problems: Problem[], notes: string[]): unknown {
  if (!c.extraValues || c.extraValues.length === 0) return c.values;
  const values = structuredClone(c.values) as Record<string, unknown>;
  entries: for (const [i, e] of c.extraValues.entries()) {
    const at = `components.${c.name}.extraValues[${i}]`;
    if (!e.reason.trim()) {
      problems.push({ path: at, message: "an extra value needs a reason" });
      continue;
    }
    const keys = e.path.split(".");
    if (keys.some((k) => k === "")) {
      problems.push({ path: at, message: `"${e.path}" has an empty path segment` });
      continue;
    }
    const forbidden = keys.find((k) => FORBIDDEN_SEGMENTS.has(k));
    if (forbidden !== undefined) {
      problems.push({ path: at, message: `"${forbidden}" in ${e.path} is not allowed (it would reach Object.prototype)` });
      continue;
    }
    let node: Record<string, unknown> = values;
    for (const k of keys.slice(0, -1)) {
      if (!Object.hasOwn(node, k)) node[k] = {};
      const next = node[k];
      if (typeof next !== "object" || next === null || Array.isArray(next)) {
        problems.push({ path: at, message: `"${k}" in ${e.path} is not an object` });
        continue entries;
      }
      node = next as Record<string, unknown>;
    }
    node[keys[keys.length - 1]!] = e.value;
    notes.push(`${c.name}: extra value ${e.path} set outside the chart schema (${e.reason})`);
  }
  return values;
}
