// `render`: the whole GitOps tree from a render input, composed of its parts (components → Applications and
// values files, the ArgoCD project and app-of-apps, Flux with the namespace and secrets, extra files), then
// the security policy over the result.
import type { ChartPin } from "../argocd.js";
import type { Component, ExtraFile, K8sObject } from "../component.js";
import { byCodeUnits, type FileSet } from "../fileset.js";
import { checkTreePolicy, type PolicyOptions } from "../policy/index.js";
import type { Problem } from "../problems.js";
import type { Stack } from "../stack.js";
import { stackConfigProblems, whileChecked } from "../stack-checks.js";
import { DEFAULT_TOOLING, type Tooling } from "../tooling.js";
import { syncWaves } from "../waves.js";
import { renderArgocd } from "./argocd.js";
import { componentNameProblems, renderComponents } from "./components.js";
import { renderExtraFiles } from "./extra-files.js";
import { renderFlux } from "./flux.js";
import { Tree } from "./tree.js";

export { treePaths } from "./tree.js";

/** A chart-values validator, e.g. `validateValues` from `@o11y-gitops/chart-values`. */
export type ValuesValidator = (chart: string, values: unknown) => readonly { path: string; message: string }[];

/** Everything `render` turns into a tree (`stackInput(stack)` from `@o11y-gitops/stack` builds the whole stack's). */
export interface RenderInput {
  /** The one config; paths, namespaces and the Git wiring come from it. */
  stack: Stack;
  /** One ArgoCD Application + values file each, plus the manifests riding with it. */
  components: readonly Component[];
  /** Files outside the Helm/ArgoCD flow (Docker-host Alloy, values fragments for other releases). */
  extraFiles?: readonly ExtraFile[];
  /** Secret skeletons to seed once into `kubernetes/infrastructure/configs/` (value-free). */
  seedSecrets?: readonly K8sObject[];
  /** Pinned charts by name (`charts` from `@o11y-gitops/chart-values`). */
  pins: Readonly<Record<string, ChartPin>>;
  /** Checks every component's values against its chart schema (`validateValues` from `@o11y-gitops/chart-values`). */
  validateValues: ValuesValidator;
  /** Cross-component invariants; every problem blocks the write. */
  checks?: readonly ((stack: Stack) => readonly Problem[])[];
  /** How the user runs the tool: the command and config each file's header names, the hints in messages. @default DEFAULT_TOOLING */
  tooling?: Tooling;
  /** Security policy run on the rendered files; violations block the write. Omit to skip (tests only). */
  policy?: PolicyOptions;
}

/** What `render` produced: the files, and whether they may be written. */
export interface RenderResult {
  /** The whole tree in path order (relative to the output root). */
  files: FileSet;
  /** Anything here means nothing may be written (exit 2). */
  problems: Problem[];
  /** Reported, not fatal (e.g. the escape hatch in use). */
  notes: string[];
  /** Policy warnings (e.g. plain-HTTP object storage). */
  warnings: Problem[];
}

/**
 * Turn components into the whole GitOps tree, in memory. Pure and deterministic: no disk, no clock.
 * Everything is validated here (chart values, Kubernetes schemas, waves, invariants, duplicate paths);
 * the writer refuses to write when `problems` is non-empty.
 */
export function render(input: RenderInput): RenderResult {
  const { stack } = input;
  // Names, sizes and collisions of the config first: its fields become the file and object names below,
  // so nothing is built from a config that fails them.
  const configProblems = stackConfigProblems(stack);
  if (configProblems.length > 0) return { files: new Map(), problems: configProblems, notes: [], warnings: [] };
  // The checks below call builders, which check the stack they are given: this one was just checked.
  return whileChecked(stack, () => renderChecked(input));
}

function renderChecked(input: RenderInput): RenderResult {
  const { stack, components, pins } = input;
  const tree = new Tree(stack, input.tooling ?? DEFAULT_TOOLING);
  for (const check of input.checks ?? []) tree.problems.push(...check(stack));
  tree.problems.push(...componentNameProblems(components));
  const { waves, problems: waveProblems } = syncWaves(components);
  tree.problems.push(...waveProblems);

  const usedPins = renderComponents(tree, stack, components, pins, input.validateValues, waves);
  renderArgocd(tree, stack, components, usedPins);
  renderFlux(tree, stack, input.seedSecrets ?? [], input.extraFiles ?? []);
  renderExtraFiles(tree, input.extraFiles ?? [], pins, input.validateValues);

  const warnings: Problem[] = [];
  if (input.policy) {
    const policy = checkTreePolicy([...tree.files.values()], input.policy);
    tree.problems.push(...policy.errors);
    warnings.push(...policy.warnings);
  }
  return {
    files: new Map([...tree.files.entries()].sort(([a], [b]) => byCodeUnits(a, b))),
    problems: tree.problems,
    notes: tree.notes,
    warnings,
  };
}
