// renovate.json against our files: every chart pin (schemas/charts.yaml) and image pin (stack.config.ts) is
// found by a custom manager with the right depName, datasource and version, so a moved or reformatted pin
// fails here; and the config passes the real renovate-config-validator where it is installed (CI installs it).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseChartsFile } from "../schemas/_build.js";
import { stack } from "../../stack.config.js";
import { repoRoot } from "../upgrade/upgrade-report.js";

interface CustomManager {
  customType: string;
  fileMatch: string[];
  matchStrings: string[];
  datasourceTemplate?: string;
  packageNameTemplate?: string;
  depTypeTemplate?: string;
}
interface PackageRule {
  matchDepTypes?: string[];
  matchPackageNames?: string[];
  matchFileNames?: string[];
  registryUrls?: string[];
  groupName?: string;
  postUpgradeTasks?: { commands: string[] };
}
interface Dep {
  file: string;
  depName: string;
  currentValue: string;
  datasource: string;
  packageName: string;
  registryUrl?: string;
  depType?: string;
  match: string;
  index: number;
}

const config = JSON.parse(readFileSync(join(repoRoot, "renovate.json"), "utf8")) as { customManagers: CustomManager[]; packageRules: PackageRule[] };
const chartsText = readFileSync(join(repoRoot, "schemas/charts.yaml"), "utf8");
const charts = parseChartsFile(chartsText, "schemas/charts.yaml").charts;

/** Renovate's template fields: `{{{name}}}` from the named groups. */
const fill = (t: string, groups: Record<string, string>) => t.replace(/\{\{\{(\w+)\}\}\}/g, (_m, k: string) => groups[k] ?? "");

function extract(file: string): Dep[] {
  const text = readFileSync(join(repoRoot, file), "utf8");
  const out: Dep[] = [];
  for (const m of config.customManagers) {
    expect(m.customType).toBe("regex");
    if (!m.fileMatch.some((f) => new RegExp(f).test(file))) continue;
    for (const s of m.matchStrings) {
      for (const hit of text.matchAll(new RegExp(s, "g"))) {
        const g = hit.groups ?? {};
        const depName = g.depName as string;
        out.push({
          file,
          depName,
          currentValue: g.currentValue as string,
          datasource: m.datasourceTemplate ?? (g.datasource as string),
          packageName: m.packageNameTemplate ? fill(m.packageNameTemplate, g) : depName,
          ...(g.registryUrl ? { registryUrl: g.registryUrl } : {}),
          ...(m.depTypeTemplate ? { depType: m.depTypeTemplate } : {}),
          match: hit[0],
          index: hit.index ?? 0,
        });
      }
    }
  }
  return out.sort((a, b) => a.index - b.index);
}

/** Every `{ registry, repository, tag }` object in the stack config, with its path. */
function imagePins(v: unknown, path: string[] = [], out: { path: string; registry: string; repository: string; tag: string }[] = []) {
  if (v !== null && typeof v === "object" && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    if (typeof o.registry === "string" && typeof o.repository === "string" && typeof o.tag === "string") out.push({ path: path.join("."), registry: o.registry, repository: o.repository, tag: o.tag });
    else for (const [k, c] of Object.entries(o)) imagePins(c, [...path, k], out);
  }
  return out;
}

describe("renovate.json custom managers find our pins", () => {
  const deps = extract("schemas/charts.yaml");

  it("every chart entry of schemas/charts.yaml, once, with its datasource, version and repository", () => {
    const entries = deps.filter((d) => d.depType === undefined).map(({ depName, currentValue, datasource, packageName, registryUrl }) => ({ depName, currentValue, datasource, packageName, registryUrl }));
    const expected = charts.map((c) =>
      c.repository.startsWith("oci://")
        ? { depName: c.chart, currentValue: c.version, datasource: "docker", packageName: `${c.repository.slice("oci://".length)}/${c.chart}`, registryUrl: undefined }
        : { depName: c.chart, currentValue: c.version, datasource: "helm", packageName: c.chart, registryUrl: c.repository },
    );
    expect(entries).toEqual(expected);
  });

  it("every pinned subchart reference, with the repository of that chart's own entry", () => {
    const refs = deps.filter((d) => d.depType === "subchart");
    const expected = charts.flatMap((c) => (c.subcharts ?? []).filter((s) => s.version !== undefined).map((s) => ({ depName: s.chart, currentValue: s.version })));
    expect(refs.map(({ depName, currentValue }) => ({ depName, currentValue }))).toEqual(expected);
    for (const r of refs) {
      const rule = config.packageRules.find((p) => p.matchDepTypes?.includes("subchart") && p.matchPackageNames?.includes(r.depName));
      expect([r.depName, rule?.registryUrls]).toEqual([r.depName, [charts.find((c) => c.chart === r.depName)?.repository]]);
    }
  });

  it("a chart's update moves its version and the source folder named after it together (autoReplace replaces every occurrence in the match)", () => {
    for (const d of deps.filter((x) => x.depType === undefined)) {
      const entry = charts.find((c) => c.chart === d.depName);
      const replaced = d.match.replaceAll(d.currentValue, "99.0.0");
      expect(replaced).toContain("version: 99.0.0\n");
      if (entry?.source === `${entry?.chart}-${entry?.version}`) expect(replaced).toContain(`source: ${d.depName}-99.0.0\n`);
    }
  });

  it("each chart is grouped with the subcharts it bundles", () => {
    for (const c of charts) {
      const subs = (c.subcharts ?? []).filter((s) => s.version !== undefined).map((s) => s.chart);
      if (subs.length === 0) continue;
      const group = config.packageRules.find((p) => p.groupName && p.matchPackageNames?.includes(c.chart));
      expect([c.chart, subs.filter((s) => !group?.matchPackageNames?.includes(s))]).toEqual([c.chart, []]);
    }
  });

  it("every image pin of the stack config, with registry/repository and tag", () => {
    const found = extract("stack.config.ts").map(({ depName, currentValue, datasource, packageName }) => ({ depName, currentValue, datasource, packageName }));
    const pins = imagePins(stack);
    expect(pins.length).toBeGreaterThan(0);
    expect(found).toEqual(pins.map((p) => ({ depName: p.repository, currentValue: p.tag, datasource: "docker", packageName: `${p.registry}/${p.repository}` })));
  });

  it("a chart update runs the upgrade report, update-schemas, codegen and generate", () => {
    const rule = config.packageRules.find((p) => p.postUpgradeTasks && p.matchFileNames?.includes("schemas/charts.yaml"));
    const scripts = (rule?.postUpgradeTasks?.commands ?? []).map((c) => /^pnpm ([\w-]+)/.exec(c)?.[1]);
    expect(scripts).toEqual(["install", "upgrade-report", "update-schemas", "codegen", "generate"]);
    const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { scripts: Record<string, string> };
    for (const s of scripts.slice(1)) expect([s, typeof pkg.scripts[s as string]]).toEqual([s, "string"]);
  });
});

// The validator: CI (.ci/run) installs renovate into a tool folder and exports its path.
const validator = process.env.RENOVATE_CONFIG_VALIDATOR;
const haveValidator = validator !== undefined && existsSync(validator);
const inCI = process.env.CI === "true";

describe.skipIf(!haveValidator && !inCI)(`renovate-config-validator${haveValidator || inCI ? "" : " (skipped: RENOVATE_CONFIG_VALIDATOR is not set; .ci/run installs renovate@39.264.1 and sets it)"}`, () => {
  const run = (file: string): { status: number; out: string } => {
    try {
      return { status: 0, out: execFileSync(validator as string, ["--strict", file], { cwd: repoRoot, encoding: "utf8", stdio: "pipe", env: { ...process.env, LOG_LEVEL: "info" } }) };
    } catch (e) {
      const err = e as { status: number; stdout: string; stderr: string };
      return { status: err.status, out: `${err.stdout}${err.stderr}` };
    }
  };

  it("is installed (CI guarantees it)", () => {
    expect(haveValidator).toBe(true);
  });

  it("accepts renovate.json, and rejects a misspelled option (so the check can fail)", { timeout: 240_000 }, () => {
    const ok = run("renovate.json");
    expect([ok.status, /Config validated successfully/.test(ok.out)]).toEqual([0, true]);
    const dir = mkdtempSync(join(tmpdir(), "renovate-bad-"));
    try {
      const bad = join(dir, "renovate.json");
      writeFileSync(bad, JSON.stringify({ ...config, packageRules: [...config.packageRules, { matchPackageNames: ["x"], groupNme: "y" }] }));
      const r = run(bad);
      expect([r.status, /Invalid configuration option: packageRules\[\d+\]\.groupNme/.test(r.out)]).toEqual([1, true]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
