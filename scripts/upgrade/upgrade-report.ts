// pnpm upgrade-report <chart> <version> [--charts-dir DIR]... [--pins-ref REV] [--json] [--no-typecheck]
// What taking <chart> at <version> would do to this stack, without changing the pins or any committed file:
// the target's schema is built in memory by the update-schemas pipeline, then (1) the values we set are
// checked against it, (2) the defaults that moved under keys we do not set are listed, (3) our builders are
// type-checked against the target's generated types in a scratch copy. Exit 0: nothing we set breaks;
// 1: something does; 2: bad input.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseChartsFile, type BuiltChart, type ChartsFile } from "../schemas/_build.js";
import { parsePatches } from "../schemas/_patches.js";
import { serialize, type JSONSchema } from "../schemas/_schema.js";
import { BadInput, buildSide, pinnedOverrides, retarget, type Side } from "./_upgrade-schema.js";
import { deprecations } from "./_upgrade-comments.js";
import { builderSources, describeLocation, locate, type SourceFile } from "./_upgrade-locate.js";
import { typecheckWith, type TypeError } from "./_upgrade-typecheck.js";
import { diffManifests, findCompleteChart, IGNORED_LABELS, type ManifestDiff } from "./_upgrade-render.js";
import { helmBinary, helmTemplate } from "./_upgrade-helm.js";
import { compareValues, defaultsProblems, diffDefaults, leaves, NOT_DEPLOYED_RULE, resolve as resolvePath, showPath, type DefaultsDiff, type ValueFinding } from "./_upgrade-values.js";

export const repoRoot = resolve(fileURLToPath(new URL(".", import.meta.url)), "../..");

/** Values one deployed component gives the chart (at `root` inside the component's values for a subchart). */
export interface DeployedValues {
  component: string;
  /** Path of the chart's values inside the component's values (`[]`, or `["grafana"]` for a subchart). */
  root: string[];
  values: Record<string, unknown>;
  /** Helm release and namespace (for the rendered-manifest diff). */
  release?: string;
  namespace?: string;
}

export interface ReportInput {
  chart: string;
  version: string;
  /** As given on the command line (shown in the report); resolved against `cwd`. */
  chartsDirs: readonly string[];
  cwd: string;
  chartsFile: ChartsFile;
  schemasDir: string;
  deployed: readonly DeployedValues[];
  sources: readonly SourceFile[];
  /** Type-checks the builders with these generated files replaced; undefined = skipped (with the reason). */
  typecheck?: (chart: string, targetBuilds: readonly BuiltChart[]) => Promise<TypeError[]>;
  typecheckSkipped?: string;
  /** Renders a complete chart folder with values (`helm template`); undefined = render diff skipped (with the reason). */
  render?: (chartDir: string, release: string, namespace: string, values: unknown) => string;
  renderSkipped?: string;
}

export interface Break extends ValueFinding {
  component: string;
  location: string;
}

export interface Deprecation {
  path: string;
  component: string;
  /** The target's values.yaml comment line. */
  comment: string;
  location: string;
}

export interface PatchReport {
  /** Patches that failed to apply on the target (path not found). */
  failed: string[];
  /** Patches that still apply only because they re-create a key the target's values no longer have. */
  orphaned: string[];
  /** The target's own defaults against the schema we would build: usually a stale patch enum or type. */
  defaultsRejected: string[];
}

export interface Report {
  chart: string;
  from: string;
  to: string;
  chartsDirs: string[];
  versions: { chart: string; from: string; to: string }[];
  notes: string[];
  patches: PatchReport;
  values: { checked: number; uncheckedUnderFreeFormMaps: number; breaks: Break[]; stillFit: Break[]; deprecated: Deprecation[] };
  defaults: DefaultsDiff & { notDeployedRule: string };
  typecheck: { errors: TypeError[] } | { skipped: string };
  render: ManifestDiff | { skipped: string } | { failed: string };
  exitCode: 0 | 1;
}


function patchPaths(schemasDir: string, chart: string): { where: string; path: string[] }[] {
  let text: string;
  try {
    text = readFileSync(join(schemasDir, "patches", `${chart}.yaml`), "utf8");
  } catch {
    return [];
  }
  const file = `schemas/patches/${chart}.yaml`;
  return parsePatches(text, file).map((p, i) => ({ where: `${file}[${i}]`, path: p.path }));
}

function sideBuilds(s: Side): Map<string, BuiltChart> {
  return new Map([[s.built.entry.chart, s.built], ...s.subBuilds.map((b) => [b.entry.chart, b] as const)]);
}

function analysePatches(oldSide: Side, newSide: Side, schemasDir: string): PatchReport {
  const failed: string[] = [];
  const orphaned: string[] = [];
  const olds = sideBuilds(oldSide);
  for (const [chart, nb] of sideBuilds(newSide)) {
    failed.push(...(nb.patchFailures ?? []));
    const ob = olds.get(chart);
    if (!ob?.unpatched || !nb.unpatched) continue;
    for (const p of patchPaths(schemasDir, chart)) {
      if (p.path.includes("[]") || failed.some((f) => f.startsWith(`${p.where}:`))) continue;
      const before = resolvePath(ob.unpatched, p.path);
      const after = resolvePath(nb.unpatched, p.path);
      if (before.kind === "node" && (after.kind === "removed" || after.kind === "retyped")) {
        orphaned.push(`${p.where}: path "${showPath(p.path)}" is no longer in ${chart} ${nb.entry.version}'s values (${after.kind === "removed" ? "removed" : "its parent is no longer an object"}); the patch re-creates it, so a removal would go unnoticed`);
      }
    }
  }
  const before = new Set(defaultsProblems(oldSide.built.schema, oldSide.defaults));
  const defaultsRejected = defaultsProblems(newSide.built.schema, newSide.defaults).filter((p) => !before.has(p));
  return { failed, orphaned, defaultsRejected };
}

export async function buildReport(input: ReportInput): Promise<Report> {
  const dirs = input.chartsDirs.map((d) => resolve(input.cwd, d));
  const entry = input.chartsFile.charts.find((c) => c.chart === input.chart);
  if (!entry) throw new BadInput(`unknown chart "${input.chart}": not listed in schemas/charts.yaml (known: ${input.chartsFile.charts.map((c) => c.chart).join(", ")})`);
  const target = retarget(input.chartsFile, input.chart, input.version, dirs);
  const oldSide = buildSide(input.chartsFile, pinnedOverrides(input.chartsFile, dirs), input.schemasDir, input.chart, input.chartsDirs);
  const newSide = buildSide(target.chartsFile, target.overrides, input.schemasDir, input.chart, input.chartsDirs);
  const notes = [...target.notes];
  if (oldSide.built.patchFailures && oldSide.built.patchFailures.length > 0) notes.push(`the pinned version's own patches fail: ${oldSide.built.patchFailures.join("; ")}`);
  const committed = join(input.schemasDir, input.chart, oldSide.version, "values.schema.json");
  try {
    if (readFileSync(committed, "utf8") !== serialize(oldSide.built.schema)) notes.push(`schemas/${input.chart}/${oldSide.version}/values.schema.json differs from the pipeline's output for the pinned version: run pnpm update-schemas`);
  } catch {
    notes.push(`schemas/${input.chart}/${oldSide.version}/values.schema.json is not committed`);
  }
  const patches = analysePatches(oldSide, newSide, input.schemasDir);

  const breaks: Break[] = [];
  const stillFit: Break[] = [];
  const deprecated: Deprecation[] = [];
  const seenDeprecations = new Set<string>();
  let checked = 0;
  let unchecked = 0;
  for (const d of input.deployed) {
    const r = compareValues(d.values, oldSide.built.schema, newSide.built.schema);
    checked += r.checked;
    unchecked += r.unchecked;
    for (const f of r.findings) {
      const full = [...d.root, ...f.segments];
      const b: Break = { ...f, path: showPath(full), segments: full, component: d.component, location: describeLocation(locate(input.sources, full)) };
      (f.kind === "type changed (still fits)" ? stillFit : breaks).push(b);
    }
    for (const l of leaves(d.values)) {
      for (const comment of deprecations(oldSide.comments, newSide.comments, l.path, l.value)) {
        const full = [...d.root, ...l.path];
        const id = `${d.component} ${comment}`;
        if (seenDeprecations.has(id)) continue;
        seenDeprecations.add(id);
        deprecated.push({ path: showPath(full), component: d.component, comment, location: describeLocation(locate(input.sources, full)) });
      }
    }
  }
  const ours = input.deployed.length === 1 ? (input.deployed[0]?.values ?? {}) : {};
  const defaults = { ...diffDefaults(oldSide.defaults, newSide.defaults, ours), notDeployedRule: NOT_DEPLOYED_RULE };

  let typecheck: Report["typecheck"];
  if (input.typecheck) typecheck = { errors: await input.typecheck(input.chart, [newSide.built, ...newSide.subBuilds]) };
  else typecheck = { skipped: input.typecheckSkipped ?? "not run" };

  let render: Report["render"];
  const direct = input.deployed.filter((d) => d.root.length === 0);
  const oldChart = findCompleteChart(dirs, input.chart, oldSide.version);
  const newChart = findCompleteChart(dirs, input.chart, newSide.version);
  const shown = (p: string) => {
    const i = dirs.findIndex((d) => p.startsWith(`${d}/`));
    return i === -1 ? p : `${input.chartsDirs[i] as string}${p.slice((dirs[i] as string).length)}`;
  };
  if (!input.render) render = { skipped: input.renderSkipped ?? "not run" };
  else if (direct.length !== 1 || !direct[0]?.release || !direct[0].namespace) render = { skipped: `${input.chart} is not deployed as one component of its own` };
  else if (!oldChart || !newChart) render = { skipped: `no complete chart (a folder with templates/) for ${input.chart} ${oldChart ? newSide.version : oldSide.version} in ${input.chartsDirs.join(", ")}` };
  else {
    const d = direct[0];
    const release = d.release as string;
    const ns = d.namespace as string;
    try {
      const before = input.render(oldChart, release, ns, d.values);
      try {
        render = diffManifests(before, input.render(newChart, release, ns, d.values), shown(oldChart), shown(newChart));
      } catch (err) {
        render = { failed: `${shown(newChart)}: ${(err as Error).message}` };
      }
    } catch (err) {
      render = { skipped: `the pinned chart does not render with our values (${shown(oldChart)}: ${(err as Error).message})` };
    }
  }

  const versions = Object.keys(newSide.versions).map((c) => ({ chart: c, from: oldSide.versions[c] ?? "-", to: newSide.versions[c] as string }));
  const bad = breaks.length > 0 || patches.failed.length > 0 || patches.orphaned.length > 0 || ("errors" in typecheck && typecheck.errors.length > 0) || "failed" in render;
  return {
    chart: input.chart,
    from: oldSide.version,
    to: newSide.version,
    chartsDirs: [...input.chartsDirs],
    versions,
    notes,
    patches,
    values: { checked, uncheckedUnderFreeFormMaps: unchecked, breaks, stillFit, deprecated },
    defaults,
    typecheck,
    render,
    exitCode: bad ? 1 : 0,
  };
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? "(unset)" : s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

export function formatText(r: Report): string {
  const out: string[] = [];
  const nBreak = r.values.breaks.length + r.patches.failed.length + r.patches.orphaned.length + ("errors" in r.typecheck ? r.typecheck.errors.length : 0) + ("failed" in r.render ? 1 : 0);
  out.push(`# Upgrade report: ${r.chart} ${r.from} → ${r.to}`, "");
  out.push(`Generated by \`pnpm upgrade-report ${r.chart} ${r.to}${r.chartsDirs.map((d) => ` --charts-dir ${d}`).join("")}\`. The target's schema is built in memory by the update-schemas pipeline (values.yaml inference, the chart's values.schema.json where charts.yaml trusts it, schemas/patches); pins and committed files are unchanged.`, "");
  out.push("| chart | pinned | target |", "|---|---|---|");
  for (const v of r.versions) out.push(`| ${v.chart} | ${v.from} | ${v.to} |`);
  out.push("");
  out.push(
    r.exitCode === 0
      ? "**Verdict: nothing we set breaks** (exit 0). What moved is listed below."
      : `**Verdict: ${nBreak} problem(s) break our values, patches or types** (exit 1).`,
    "",
  );
  if (r.notes.length > 0) {
    out.push("Notes:");
    for (const n of r.notes) out.push(`- ${n}`);
    out.push("");
  }
  out.push("## Patches on the target", "");
  if (r.patches.failed.length + r.patches.orphaned.length + r.patches.defaultsRejected.length === 0) out.push("Every patch applies, and none re-creates a key the target dropped.");
  for (const f of r.patches.failed) out.push(`- BREAK, no longer applies: ${f}`);
  for (const f of r.patches.orphaned) out.push(`- BREAK, re-creates a dropped key: ${f}`);
  if (r.patches.defaultsRejected.length > 0) {
    out.push("- Warning: the target's own defaults fail the schema built for it (update-schemas would warn; usually a patch's enum or type is stale):");
    for (const f of r.patches.defaultsRejected) out.push(`  - ${f}`);
  }
  out.push("");
  out.push("## 1. Values we set", "");
  out.push(`${r.values.checked} values checked against the target schema; ${r.values.uncheckedUnderFreeFormMaps} sit under free-form maps the schema does not type (not checked). Locations come from a scan of packages/*/src for the key (see "source scan"), not from running the builders.`, "");
  if (r.values.breaks.length === 0) out.push("None of the values we set is removed, under a retyped parent, of a changed type, or rejected by the target's constraints.");
  for (const b of r.values.breaks) out.push(`- ${b.kind.toUpperCase()}: \`${b.path}\` = ${show(b.value)} (${b.component}): ${b.detail}. Location: ${b.location}`);
  if (r.values.deprecated.length > 0) {
    out.push("", "Still accepted, but the target's values.yaml comments call it deprecated (a notice, not a break):");
    for (const d of r.values.deprecated) out.push(`- \`${d.path}\` (${d.component}): "${d.comment}". Location: ${d.location}`);
  }
  if (r.values.stillFit.length > 0) {
    out.push("", "Type changed, our value still fits:");
    for (const b of r.values.stillFit) out.push(`- \`${b.path}\` (${b.component}): ${b.detail}. Location: ${b.location}`);
  }
  out.push("");
  const d = r.defaults;
  out.push("## 2. Defaults that changed under keys we do not set", "");
  out.push(`${d.changed.length} changed (${d.skippedSetByUs} more are under keys we set, ${d.skippedNotDeployed} more in parts we do not deploy: ${d.notDeployedRule}). Consequential classes first.`, "");
  let cat = "";
  for (const c of d.changed) {
    if (c.category !== cat) {
      cat = c.category;
      out.push(`${cat}:`);
    }
    if (c.lines) {
      out.push(`- \`${c.path}\` (multi-line template): ${c.lines.removed.length} line(s) removed, ${c.lines.added.length} added`);
      for (const l of c.lines.removed.slice(0, 12)) out.push(`    - ${l}`);
      if (c.lines.removed.length > 12) out.push(`    - ... ${c.lines.removed.length - 12} more`);
      for (const l of c.lines.added.slice(0, 12)) out.push(`    + ${l}`);
      if (c.lines.added.length > 12) out.push(`    + ... ${c.lines.added.length - 12} more`);
    } else out.push(`- \`${c.path}\`: ${show(c.old)} → ${show(c.new)}`);
  }
  out.push("");
  const notable = d.added.filter((a) => a.category !== "other");
  out.push(`New defaults (keys the target adds, outside what we set and deploy): ${d.added.length}${notable.length > 0 ? `; the consequential ones below, the other ${d.added.length - notable.length} in the JSON report` : d.added.length > 0 ? "; the JSON report lists them" : ""}.`);
  cat = "";
  for (const a of notable) {
    if (a.category !== cat) {
      cat = a.category;
      out.push(`${cat}:`);
    }
    out.push(`- \`${a.path}\`: ${show(a.new)}`);
  }
  if (notable.length > 0) out.push("");
  out.push(`Defaults the target drops (keys we do not set): ${d.removed.length}${d.removed.length > 0 && d.removed.length <= 40 ? `: ${d.removed.map((p) => `\`${p}\``).join(", ")}` : d.removed.length > 0 ? "; the JSON report lists them" : ""}.`, "");
  out.push("## 3. Type check: the target's generated types against our builders", "");
  if ("skipped" in r.typecheck) out.push(`Skipped: ${r.typecheck.skipped}.`);
  else if (r.typecheck.errors.length === 0) out.push("`tsc -b` on a scratch copy of generated/ and packages/ with the target's types: no errors.");
  else {
    out.push(`\`tsc -b\` on a scratch copy of generated/ and packages/ with the target's types: ${r.typecheck.errors.length} error(s).`);
    for (const e of r.typecheck.errors) out.push(`- ${e.file}:${e.line} ${e.code}: ${e.message}`);
  }
  out.push("", "## 4. Rendered manifests", "");
  if ("skipped" in r.render) out.push(`Skipped: ${r.render.skipped}.`);
  else if ("failed" in r.render) out.push(`BREAK, the target does not render with our values: ${r.render.failed}`);
  else {
    const m = r.render;
    out.push(`\`helm template\` with our values: ${m.old} (${m.objects.old} objects) → ${m.new} (${m.objects.new} objects); CRDs included; matched by kind, namespace and name; the ${IGNORED_LABELS.map((l) => `\`${l}\``).join(", ")} labels are left out.`, "");
    out.push(`Added (${m.added.length}):${m.added.length === 0 ? " none" : ""}`);
    for (const a of m.added) out.push(`- ${a}`);
    out.push(`Removed (${m.removed.length}):${m.removed.length === 0 ? " none" : ""}`);
    for (const a of m.removed) out.push(`- ${a}`);
    out.push(`Changed (${m.changed.length}):${m.changed.length === 0 ? " none" : ""}`);
    for (const c of m.changed) {
      if (c.object.startsWith("CustomResourceDefinition ")) out.push(`- ${c.object}: ${c.pathCount} changed path(s) in its schema and annotations (the JSON report lists the first ${Math.min(c.pathCount, c.paths.length)})`);
      else out.push(`- ${c.object}: ${c.paths.slice(0, 6).map((p) => `\`${p}\``).join(", ")}${c.pathCount > 6 ? `, … ${c.pathCount - 6} more` : ""}`);
    }
  }
  out.push("");
  return out.join("\n");
}

export interface Args {
  chart: string;
  version: string;
  chartsDirs: string[];
  json: boolean;
  typecheck: boolean;
  /** Read the pins (schemas/charts.yaml) at this git revision instead of the working tree (Renovate: HEAD). */
  pinsRef?: string;
}

export function parseArgs(argv: readonly string[]): Args {
  const pos: string[] = [];
  const chartsDirs: string[] = [];
  let json = false;
  let typecheck = true;
  let pinsRef: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "--charts-dir") {
      const d = argv[++i];
      if (!d) throw new BadInput("--charts-dir needs a folder");
      chartsDirs.push(d);
    } else if (a === "--pins-ref") {
      const r = argv[++i];
      if (!r) throw new BadInput("--pins-ref needs a git revision");
      pinsRef = r;
    } else if (a === "--json") json = true;
    else if (a === "--no-typecheck") typecheck = false;
    else if (a.startsWith("--")) throw new BadInput(`unknown option ${a}`);
    else pos.push(a);
  }
  if (pos.length !== 2) throw new BadInput("usage: pnpm upgrade-report <chart> <version> [--charts-dir DIR]... [--pins-ref REV] [--json] [--no-typecheck]");
  return { chart: pos[0] as string, version: pos[1] as string, chartsDirs: chartsDirs.length > 0 ? chartsDirs : ["../shared/charts"], json, typecheck, ...(pinsRef ? { pinsRef } : {}) };
}

/** The stack's values for `chart`: each component that deploys it, or deploys a chart that bundles it. */
export async function deployedValues(chart: string, chartsFile: ChartsFile): Promise<DeployedValues[]> {
  const { stackComponents } = await import("@o11y-gitops/stack");
  const { stack } = await import("../../stack.config.js");
  const out: DeployedValues[] = [];
  for (const c of stackComponents(stack)) {
    const values = c.values as Record<string, unknown>;
    if (c.chart === chart) out.push({ component: c.name, root: [], values, release: c.release, namespace: stack.namespace });
    const sub = chartsFile.charts.find((e) => e.chart === c.chart)?.subcharts?.find((s) => s.chart === chart && s.version !== undefined);
    if (sub && values[sub.key] !== undefined) out.push({ component: c.name, root: [sub.key], values: values[sub.key] as Record<string, unknown> });
  }
  return out;
}

/** Codegen's types for each target build, then `tsc -b` on a scratch copy. */
export async function typecheckTargets(_chart: string, builds: readonly BuiltChart[]): Promise<TypeError[]> {
  const { chartTypes } = await import("../schemas/codegen.js");
  const files = new Map<string, string>();
  for (const b of builds) files.set(`${b.entry.chart}.gen.ts`, await chartTypes(b.schema as JSONSchema, b.entry.chart, `schemas/${b.entry.chart}/${b.entry.version}/values.schema.json (target, not committed)`));
  return typecheckWith(repoRoot, files);
}

/** The report for parsed command-line arguments, on this repository's pins, stack and builders. */
export async function reportFor(args: Args, cwd = process.cwd()): Promise<Report> {
  let pins: string;
  if (args.pinsRef) {
    try {
      pins = execFileSync("git", ["show", `${args.pinsRef}:schemas/charts.yaml`], { cwd: repoRoot, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch {
      throw new BadInput(`--pins-ref ${args.pinsRef}: git has no schemas/charts.yaml at that revision`);
    }
  } else pins = readFileSync(join(repoRoot, "schemas/charts.yaml"), "utf8");
  const helm = helmBinary();
  const chartsFile = parseChartsFile(pins, args.pinsRef ? `schemas/charts.yaml@${args.pinsRef}` : "schemas/charts.yaml");
  return buildReport({
    chart: args.chart,
    version: args.version,
    chartsDirs: args.chartsDirs,
    cwd,
    chartsFile,
    schemasDir: join(repoRoot, "schemas"),
    deployed: chartsFile.charts.some((c) => c.chart === args.chart) ? await deployedValues(args.chart, chartsFile) : [],
    sources: builderSources(repoRoot, ["packages/core/src", "packages/metrics/src", "packages/logs/src", "packages/traces/src", "packages/collectors/src", "packages/ingress/src", "packages/stack/src"]),
    ...(args.typecheck ? { typecheck: typecheckTargets } : { typecheckSkipped: "--no-typecheck" }),
    ...(helm ? { render: (dir: string, release: string, ns: string, values: unknown) => helmTemplate(helm, dir, release, ns, values) } : { renderSkipped: "helm v4.1.4 not found ($HELM, .tools/bin/helm, PATH)" }),
  });
}

export function renderReport(report: Report, json: boolean): string {
  return json ? `${JSON.stringify(report, null, 2)}\n` : formatText(report);
}

export async function main(argv: readonly string[], cwd = process.cwd()): Promise<{ code: number; out: string }> {
  const args = parseArgs(argv);
  const report = await reportFor(args, cwd);
  return { code: report.exitCode, out: renderReport(report, args.json) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    ({ code, out }) => {
      process.stdout.write(out);
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(`error: ${(err as Error).message}`);
      process.exitCode = 2;
    },
  );
}
