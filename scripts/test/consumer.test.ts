/**
 * The library as a product: pack every workspace package with pnpm, install the tarballs with npm into a
 * temporary consumer repo outside the workspace (scripts/test/consumer-repo: another homelab's stack in
 * plain JavaScript), type-check it against the shipped .d.ts, render with plain node, and hold the result
 * to the same checks as the committed tree. Everything runs through the installed `o11y-gitops` bin: the
 * JavaScript config, a TypeScript config (loaded by the bin without a build step), and a plain-JS config
 * with a misspelled key (refused before anything is written), and a subset of the stack (no traces, no
 * Docker hosts, no infrastructure fragments) whose every kustomization builds. Needs the npm registry for
 * the tarballs' dependencies.
 */
import { execFileSync, spawnSync, type SpawnSyncReturns } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { charts, validateValues, type ChartName } from "@o11y-gitops/chart-values";
import { checkTreePolicy, OWNERSHIP_INDEX, parseYaml, policyOptionsForStack, render, validateK8sObject, type K8sObject, type Stack } from "@o11y-gitops/core";
import { writeEndpoints } from "@o11y-gitops/ingress";
import { stackInput } from "@o11y-gitops/stack";
import { CLI_NAME, toolingFor } from "@o11y-gitops/cli";
import { findHelm } from "@o11y-gitops/template";
import { stack as ours } from "../../stack.config.js";
import { packProblems, packWorkspace, publishablePackages, REPO_ROOT, undocumentedExports, type PackedPackage } from "./_pack.js";

const FIXTURE = join(REPO_ROOT, "scripts/test/consumer-repo");
const TSC = join(REPO_ROOT, "node_modules/typescript/bin/tsc");
const NPM_TIMEOUT_MS = 150_000;
/** The consumer type-checks with Node's types, as a real repo would (the version the workspace uses). */
/** The chart sources the real render needs (beside the clone on CI and here; a user's clone has none). */
const CHARTS_SRC = join(REPO_ROOT, "../shared/charts-src");
/** The pinned Helm, found as `pnpm template` finds it ($HELM, this repo's .tools/bin/helm, PATH), or why not. */
const HELM = ((): { bin: string } | { missing: string } => {
  try {
    return { bin: findHelm(REPO_ROOT) };
  } catch (e) {
    return { missing: (e as Error).message };
  }
})();
const templateSkip = !existsSync(CHARTS_SRC) ? "../shared/charts-src is absent" : "missing" in HELM ? HELM.missing : undefined;
const TYPES_NODE = (JSON.parse(readFileSync(join(REPO_ROOT, "node_modules/@types/node/package.json"), "utf8")) as { version: string }).version;

/** The ```ts blocks of a README: each is a module a consumer could paste next to its stack.config.js. */
function readmeExamples(markdown: string): string[] {
  return [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1] as string);
}

interface Run {
  status: number | null;
  output: string;
}

function run(cmd: string, args: readonly string[], cwd: string, timeout: number, extraEnv: Record<string, string> = {}): Run {
  const env = { ...process.env, ...extraEnv };
  delete env["npm_config_user_agent"];
  const r: SpawnSyncReturns<string> = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout, env, killSignal: "SIGKILL" });
  if (r.error) throw new Error(`${cmd} ${args.join(" ")}: ${r.error.message}`);
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/** Fails fast, with the reason, when the npm registry cannot be reached (instead of a hanging install). */
function assertRegistryReachable(cwd: string): void {
  const registry = run("npm", ["config", "get", "registry"], cwd, 30_000).output.trim();
  let ping: Run;
  try {
    ping = run("npm", ["ping", "--fetch-timeout=20000", "--fetch-retries=0"], cwd, 45_000);
  } catch (e) {
    throw new Error(`npm registry ${registry} unreachable (npm ping: ${(e as Error).message}); the consumer test installs the tarballs' dependencies from it`);
  }
  if (ping.status !== 0) {
    throw new Error(`npm registry ${registry} unreachable (npm ping exited ${ping.status}: ${ping.output.trim()}); the consumer test installs the tarballs' dependencies from it`);
  }
}

interface OwnershipIndex {
  files: string[];
  seeded: string[];
}

let work = "";
let consumerDir = "";
let packed: PackedPackage[] = [];
let theirs: Stack;
let typecheck: Run;
let firstRender: Run;
let checkRender: Run;
let bin = "";
let tree = new Map<string, string>();

describe("pack checks (on synthetic packages)", () => {
  const files = (entries: Record<string, string>): Map<string, Buffer> => new Map(Object.entries(entries).map(([k, v]) => [k, Buffer.from(v)]));

  it.each<[string, Record<string, string>, string[]]>([
    ["a documented function", { "dist/index.d.ts": "/** Does a. */\nexport declare function a(): void;\n" }, []],
    ["an undocumented const", { "dist/index.d.ts": "export declare const B = 1;\n" }, ["dist/index.d.ts: B"]],
    [
      "a named re-export (the alias's source is checked)",
      { "dist/index.d.ts": 'export { c as d, type E } from "./_c.js";\n', "dist/_c.d.ts": "export declare function c(): void;\n/** E. */\nexport interface E {\n    /** f. */\n    f: string;\n    g?: number;\n}\nexport declare function notExported(): void;\n" },
      ["dist/_c.d.ts: E.g", "dist/_c.d.ts: c"],
    ],
    [
      "a star re-export in a subfolder",
      { "dist/index.d.ts": 'export * from "./infra/index.js";\n', "dist/infra/index.d.ts": "/** H. */\nexport type H = string;\nexport declare class I {\n}\n" },
      ["dist/infra/index.d.ts: I"],
    ],
  ])("undocumentedExports: %s", (_name, contents, expected) => {
    expect(undocumentedExports(files(contents))).toEqual(expected);
  });

  const base: PackedPackage = {
    dir: "packages/x",
    manifest: { name: "@o11y-gitops/x", version: "0.1.0" },
    tarball: "/tmp/x.tgz",
    files: ["README.md", "dist/index.d.ts", "dist/index.js", "package.json"],
    packed: {
      name: "@o11y-gitops/x",
      version: "0.1.0",
      sideEffects: false,
      exports: { ".": { types: "./dist/index.d.ts", default: "./dist/index.js" } },
      dependencies: { yaml: "2.8.1" },
    },
    readme: "",
    contents: new Map(),
  };
  it.each<[string, Partial<PackedPackage>, string[]]>([
    ["a ready package", {}, []],
    [
      "workspace and catalog ranges",
      { packed: { ...base.packed, dependencies: { "@o11y-gitops/core": "workspace:*", yaml: "catalog:" } } },
      ['dependency @o11y-gitops/core has the range "workspace:*"', 'dependency yaml has the range "catalog:"'],
    ],
    [
      "exports still pointing at the sources",
      { packed: { ...base.packed, exports: { ".": "./src/index.ts" } } },
      ["export target ./src/index.ts is not in dist/", "export target ./src/index.ts is missing from the tarball"],
    ],
    ["an export pattern matching nothing", { packed: { ...base.packed, exports: { "./*": "./dist/*.gen.js" } } }, ["export pattern ./dist/*.gen.js matches no file"]],
    [
      "no README, build metadata, side effects, publishConfig left",
      { files: ["dist/index.d.ts", "dist/index.js", "dist/.tsbuildinfo"], packed: { ...base.packed, sideEffects: true, publishConfig: {} } },
      ["sideEffects is not false", "no README.md", "ships build metadata dist/.tsbuildinfo", "publishConfig was not applied"],
    ],
  ])("packProblems: %s", (_name, change, expected) => {
    expect(packProblems({ ...base, ...change })).toEqual(expected);
  });

  it.each<[string, string, string[]]>([
    ["one block", "# x\n\n```ts\nconst a = 1;\n```\n", ["const a = 1;\n"]],
    ["bash and text blocks are skipped", "```bash\nnpm i\n```\n```text\nx\n```\n```ts\nb();\n```\n", ["b();\n"]],
    ["none", "no code", []],
  ])("readmeExamples: %s", (_name, markdown, expected) => {
    expect(readmeExamples(markdown)).toEqual(expected);
  });
});

describe("the packages as a product (packed, installed with npm, used by a consumer repo)", () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "o11y-gitops-consumer-"));
    packed = packWorkspace(join(work, "tarballs"));
    consumerDir = join(work, "homelab-edge");
    mkdirSync(consumerDir);
    for (const f of ["stack.config.js", "types.ts", "tsconfig.json"]) cpSync(join(FIXTURE, f), join(consumerDir, f));
    // The README examples as shipped in the tarballs, type-checked with the consumer's code.
    for (const p of packed) {
      readmeExamples(p.readme).forEach((code, i) => {
        writeFileSync(join(consumerDir, `readme-${p.manifest.name.split("/")[1]}-${i + 1}.ts`), code);
      });
    }
    const deps = { ...Object.fromEntries(packed.map((p) => [p.manifest.name, `file:${p.tarball}`])), "@types/node": TYPES_NODE };
    // The tarballs depend on each other by version (0.1.0): pin those to the local tarballs, never the registry.
    const overrides = Object.fromEntries(packed.map((p) => [p.manifest.name, `$${p.manifest.name}`]));
    writeFileSync(
      join(consumerDir, "package.json"),
      `${JSON.stringify({ name: "homelab-edge", private: true, type: "module", dependencies: deps, overrides }, null, 2)}\n`,
    );

    assertRegistryReachable(consumerDir);
    const install = run(
      "npm",
      ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--no-package-lock", "--prefer-offline", "--loglevel=error", "--fetch-timeout=60000", "--fetch-retries=2"],
      consumerDir,
      NPM_TIMEOUT_MS,
    );
    if (install.status !== 0) throw new Error(`npm install in the consumer repo exited ${install.status}:\n${install.output}`);

    typecheck = run(process.execPath, [TSC, "-p", "tsconfig.json"], consumerDir, 60_000);
    bin = join(consumerDir, "node_modules/.bin/o11y-gitops");
    firstRender = run(bin, ["generate", "--config", "stack.config.js"], consumerDir, 60_000);
    checkRender = run(bin, ["generate", "--config", "stack.config.js", "--check"], consumerDir, 60_000);
    theirs = ((await import(pathToFileURL(join(consumerDir, "stack.config.js")).href)) as { stack: Stack }).stack;
    const index = JSON.parse(readFileSync(join(consumerDir, OWNERSHIP_INDEX), "utf8")) as OwnershipIndex;
    tree = new Map([...index.files, ...index.seeded].sort().map((p) => [p, readFileSync(join(consumerDir, p), "utf8")]));
  }, 240_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  describe("packed packages", () => {
    const names = publishablePackages().map((p) => p.manifest.name);

    it("packs every publishable workspace package", () => {
      expect(packed.map((p) => p.manifest.name)).toEqual(names);
    });

    it.each(names)("%s is ready for npm (no workspace ranges, exports in dist/, README, sideEffects false)", (name) => {
      const p = packed.find((x) => x.manifest.name === name);
      expect(p).toBeDefined();
      expect(packProblems(p as PackedPackage)).toEqual([]);
    });

    it.each(names)("%s exposes only its entry points (internal modules are not exported)", (name) => {
      const p = packed.find((x) => x.manifest.name === name) as PackedPackage;
      expect(Object.keys(p.packed.exports ?? {})).toEqual(name === "@o11y-gitops/chart-values" ? [".", "./*"] : ["."]);
    });

    it.each(names)("%s has a README with a TypeScript usage example", (name) => {
      const p = packed.find((x) => x.manifest.name === name) as PackedPackage;
      expect(readmeExamples(p.readme).length).toBeGreaterThan(0);
    });

    // Config types: the Stack (and its parts) and every options object a builder or the engine takes.
    const isConfigMember = (entry: string): boolean => {
      const [file, decl] = entry.split(": ") as [string, string];
      if (!decl.includes(".")) return true;
      const iface = decl.split(".")[0] as string;
      return file === "dist/stack.d.ts" || /Options$/.test(iface) || iface === "RenderInput";
    };
    it.each(names)("%s documents every public declaration and every config field (JSDoc in the shipped .d.ts)", (name) => {
      const p = packed.find((x) => x.manifest.name === name) as PackedPackage;
      expect(undocumentedExports(p.contents).filter(isConfigMember)).toEqual([]);
    });

    it("chart-values ships the value types and the validator of every pinned chart", () => {
      const p = packed.find((x) => x.manifest.name === "@o11y-gitops/chart-values") as PackedPackage;
      const missing = Object.keys(charts).flatMap((chart) =>
        [`dist/${chart}.gen.d.ts`, `dist/${chart}.schema.json`].filter((f) => !p.files.includes(f)),
      );
      expect(missing).toEqual([]);
    });
  });

  describe("consumer repo (npm install of the tarballs, outside the workspace)", () => {
    it("type-checks against the shipped .d.ts: JSDoc-typed stack, builders, chart value types, README examples; a misspelled key fails", () => {
      expect(typecheck.output).toBe("");
      expect(typecheck.status).toBe(0);
    });

    it("renders through the o11y-gitops bin, then --check finds the tree up to date", () => {
      // The ownership index is the one file written beyond the tree it lists.
      expect(firstRender.output).toMatch(new RegExp(`^generate: ${tree.size} files, ${tree.size + 1} created$`, "m"));
      expect(firstRender.status).toBe(0);
      expect(checkRender.output).toMatch(new RegExp(`^generate --check: ${tree.size} files up to date$`, "m"));
      expect(checkRender.status).toBe(0);
    });

    it("renders byte for byte what the workspace sources render for the same stack", () => {
      // As the bin ran it: `o11y-gitops generate --config stack.config.js` names that command and file.
      const expected = render(stackInput(theirs, toolingFor(CLI_NAME, "stack.config.js", { config: "stack.config.js" })));
      expect(expected.problems).toEqual([]);
      const fromSource = new Map([...expected.files.values()].map((f) => [f.path, f.content]));
      expect([...tree.keys()]).toEqual([...fromSource.keys()].sort());
      for (const [path, content] of fromSource) expect(tree.get(path), path).toBe(content);
    });

    it("every values file passes its chart's schema", () => {
      const root = theirs.gitops.rootPath;
      const checked: string[] = [];
      const errors: string[] = [];
      const validate = (chart: string, path: string): void => {
        expect(Object.keys(charts), path).toContain(chart);
        const [values] = parseYaml(tree.get(path) ?? "", "1.1");
        for (const e of validateValues(chart as ChartName, values)) errors.push(`${path}: ${e.path}: ${e.message}`);
        checked.push(path);
      };
      for (const [path, content] of tree) {
        if (!path.startsWith(`${root}/apps/${theirs.namespace}/applications/`)) continue;
        const app = parseYaml(content, "1.1")[0] as {
          spec: { sources: { repoURL: string; chart?: string; helm?: { valueFiles: string[] } }[] };
        };
        const source = app.spec.sources.find((s) => s.helm !== undefined);
        const valuesFile = source?.helm?.valueFiles[0]?.replace(/^\$values\//, "");
        expect(valuesFile, path).toBeDefined();
        // A Helm-repository source names its chart; an OCI source is the chart's own artifact (…/<chart>).
        const chart = source?.chart ?? source?.repoURL.slice(source.repoURL.lastIndexOf("/") + 1);
        validate(chart as string, valuesFile as string);
      }
      // `<chart>.values.yaml` (monitoring fragments) or `<chart>/<purpose>.values.yaml` (opt-in fragments).
      for (const path of tree.keys()) {
        if (!path.endsWith(".values.yaml")) continue;
        const name = basename(path, ".values.yaml");
        validate(name in charts ? name : basename(dirname(path)), path);
      }
      expect(errors).toEqual([]);
      expect(checked.length).toBeGreaterThanOrEqual(stackInput(theirs).components.length);
    });

    it("every Kubernetes object passes its schema", () => {
      const errors: string[] = [];
      let objects = 0;
      for (const [path, content] of tree) {
        if (!path.endsWith(".yaml") || path.includes("/values/") || path.endsWith(".values.yaml") || path.startsWith(`${theirs.dockerAlloyPath}/`) || path === ".sops.yaml") continue;
        for (const doc of parseYaml(content, "1.1")) {
          const error = validateK8sObject(doc as K8sObject);
          if (error) errors.push(`${path}: ${error}`);
          objects++;
        }
      }
      expect(errors).toEqual([]);
      expect(objects).toBeGreaterThan(stackInput(theirs).components.length);
    });

    it("the security policy holds, with no warning (the consumer's object store uses TLS)", () => {
      const result = checkTreePolicy(
        [...tree].map(([path, content]) => ({ path, content })),
        policyOptionsForStack(theirs, writeEndpoints(theirs)),
      );
      expect(result.errors).toEqual([]);
      expect(result.warnings).toEqual([]);
    });

    it("the bin answers --version and --help", () => {
      const version = run(bin, ["--version"], consumerDir, 30_000);
      expect(version).toEqual({ status: 0, output: `${packed.find((p) => p.manifest.name === "@o11y-gitops/cli")?.manifest.version}\n` });
      const help = run(bin, ["--help"], consumerDir, 30_000);
      expect(help.status).toBe(0);
      expect(help.output).toMatch(/^usage: o11y-gitops <command> \[options\]$/m);
    });

    it.skipIf(templateSkip !== undefined)(
      `o11y-gitops template --check renders the consumer's tree with Helm and every check holds${templateSkip ? ` (skipped: ${templateSkip})` : ""}`,
      { timeout: 600_000 },
      () => {
        const helm = "bin" in HELM ? HELM.bin : "";
        const r = run(bin, ["template", "--config", "stack.config.js", "--check", "--charts-dir", CHARTS_SRC], consumerDir, 590_000, { HELM: helm });
        expect(r.output).not.toMatch(/^error: /m);
        expect(r.status).toBe(0);
        const rows = r.output.split("\n").filter((l) => / → \S+\/\S+ /.test(l));
        expect(rows.length).toBeGreaterThan(0);
        for (const row of rows) expect(row).toMatch(/ 6\/6 held$/);
        expect(r.output).not.toMatch(/pnpm|schemas\/|scripts\//);
        expect(r.output).toMatch(new RegExp(`^${rows.length} renders, \\d+ objects; time: render \\d+\\.\\d\\ds, schema `, "m"));
      },
    );

    it("renders a TypeScript config without a build step, into --out", () => {
      const dir = join(consumerDir, "ts-config");
      mkdirSync(dir);
      writeFileSync(
        join(dir, "stack.config.ts"),
        [
          'import { defineStack, type StackInput } from "@o11y-gitops/core";',
          'import { stack as js } from "../stack.config.js";',
          "",
          "const input: StackInput = { ...js, cluster: \"ts-lab\" };",
          "export const stack = defineStack(input);",
          "",
        ].join("\n"),
      );
      const out = join(work, "ts-rendered");
      const r = run(bin, ["generate", "--config", "ts-config/stack.config.ts", "--out", out], consumerDir, 60_000);
      expect(r.output).toMatch(/^generate: \d+ files, \d+ created$/m);
      expect(r.status).toBe(0);
      const index = JSON.parse(readFileSync(join(out, OWNERSHIP_INDEX), "utf8")) as OwnershipIndex;
      const rendered = index.files.map((p) => readFileSync(join(out, p), "utf8")).join("\n");
      expect(rendered).toContain("ts-lab");
      expect(rendered).not.toContain(theirs.cluster);
      expect(run(bin, ["generate", "--config", "ts-config/stack.config.ts", "--out", out, "--check"], consumerDir, 60_000).status).toBe(0);
    });

    // kubectl as tree.test.ts runs it: CI has it (.ci/run installs it); elsewhere the build is skipped, and says so.
    const kubectl = spawnSync("kubectl", ["version", "--client"], { encoding: "utf8" }).status === 0;
    it(`renders a subset (no traces, no Docker hosts, no infrastructure fragments) with nothing of the parts left out${kubectl || process.env.CI === "true" ? "; kubectl kustomize builds every folder" : " (kubectl kustomize skipped: kubectl not on PATH; CI installs it)"}`, () => {
      writeFileSync(
        join(consumerDir, "subset.config.mjs"),
        [
          'import { defineStack } from "@o11y-gitops/core";',
          'import { stack as full } from "./stack.config.js";',
          "",
          "export const stack = defineStack({",
          "  ...full,",
          "  components: {",
          "    tempo: false,",
          "    dockerHosts: false,",
          "    infraMonitoring: { ingressNginx: false, metallb: false, rookCeph: false, rookCephCluster: false, certManager: false, lokiTenantPinning: false },",
          "  },",
          "});",
          "",
        ].join("\n"),
      );
      const out = join(work, "subset-rendered");
      const r = run(bin, ["generate", "--config", "subset.config.mjs", "--out", out], consumerDir, 60_000);
      expect(r.output).toMatch(/^generate: \d+ files, \d+ created$/m);
      expect(r.status).toBe(0);
      const index = JSON.parse(readFileSync(join(out, OWNERSHIP_INDEX), "utf8")) as OwnershipIndex;
      const paths = [...index.files, ...index.seeded].sort();
      const root = theirs.gitops.rootPath;
      // The rest of the stack is there: the subset left out only what was asked.
      for (const app of ["kube-prometheus-stack", "thanos", "loki", "alloy"]) expect(paths).toContain(`${root}/apps/${theirs.namespace}/applications/${app}.yaml`);
      const leftOut = paths.filter(
        (p) => p.includes("tempo") || p.startsWith(`${theirs.dockerAlloyPath}/`) || p.startsWith(`${root}/infrastructure/monitoring/`) || p.startsWith(`${root}/infrastructure/ingress-nginx/`),
      );
      expect(leftOut).toEqual([]);
      const text = paths.map((p) => readFileSync(join(out, p), "utf8")).join("\n").toLowerCase();
      for (const ref of ["tempo", "otlp", ":4317", theirs.dockerAlloyPath, ".sops.env", 'source="docker"', "infrastructure/monitoring", "pin-loki-tenant", theirs.objectStore.buckets.tempo]) {
        expect(text.includes(ref.toLowerCase()), ref).toBe(false);
      }
      expect(run(bin, ["generate", "--config", "subset.config.mjs", "--out", out, "--check"], consumerDir, 60_000).status).toBe(0);
      if (!kubectl && process.env.CI !== "true") return;
      const folders = paths.filter((p) => p.endsWith("/kustomization.yaml")).map((p) => dirname(p));
      expect(folders.length).toBeGreaterThanOrEqual(4);
      for (const dir of folders) {
        expect(existsSync(join(out, dir, "kustomization.yaml"))).toBe(true);
        const built = execFileSync("kubectl", ["kustomize", join(out, dir)], { encoding: "utf8" });
        expect(built, dir).toMatch(/^apiVersion: /m);
        expect(built.toLowerCase(), dir).not.toContain("tempo");
      }
    });

    it("two clusters in one repo, one beside a hand-written .sops.yaml: refused until --adopt, then both survive each other's generate and --check", () => {
      const repo = join(work, "two-clusters");
      mkdirSync(join(repo, ".git"), { recursive: true });
      const configs: string[] = [];
      for (const name of ["lab", "edge"]) {
        const dir = join(repo, "clusters", name);
        mkdirSync(dir, { recursive: true });
        const config = join(dir, "stack.config.mjs");
        writeFileSync(
          config,
          [
            `import { defineStack } from ${JSON.stringify(join(consumerDir, "node_modules/@o11y-gitops/core/dist/index.js"))};`,
            `import { stack as base } from ${JSON.stringify(join(consumerDir, "stack.config.js"))};`,
            "",
            `export const stack = defineStack({ ...base, cluster: "${name}", namespace: "obs-${name}", lokiTenant: "t-${name}",`,
            `  hosts: { grafana: "grafana-${name}", prometheusWrite: "metrics-${name}", lokiPush: "logs-${name}" },`,
            `  gitops: { ...base.gitops, repoDir: "clusters/${name}" } });`,
            "",
          ].join("\n"),
        );
        configs.push(config);
      }
      // A .sops.yaml someone wrote by hand where the edge stack puts its own: refused, named, nothing written.
      const handWritten = "creation_rules:\n  - age: age1handwritten\n";
      writeFileSync(join(repo, "clusters/edge/.sops.yaml"), handWritten);
      const refused = run(bin, ["generate", "--config", configs[1] as string], repo, 60_000);
      expect(refused.status).toBe(2);
      expect(refused.output).toContain(`.sops.yaml: exists but generate did not write it (not in ${OWNERSHIP_INDEX}); move it away, or run o11y-gitops generate --config`);
      expect(readdirSync(join(repo, "clusters/edge")).sort()).toEqual([".sops.yaml", "stack.config.mjs"]);
      expect(run(bin, ["generate", "--config", configs[1] as string, "--adopt", ".sops.yaml"], repo, 60_000).status).toBe(0);
      expect(readFileSync(join(repo, "clusters/edge/.sops.yaml"), "utf8")).not.toBe(handWritten);
      expect(run(bin, ["generate", "--config", configs[0] as string], repo, 60_000).status).toBe(0);
      for (const config of configs) {
        const check = run(bin, ["generate", "--config", config, "--check"], repo, 60_000);
        expect(check.output, config).toMatch(/^generate --check: \d+ files up to date$/m);
        expect(check.output).not.toContain("warning: stack.gitops.repoDir");
        expect(check.status).toBe(0);
      }
      const app = readFileSync(join(repo, "clusters/lab", theirs.gitops.rootPath, "argocd/application-obs-lab-apps.yaml"), "utf8");
      expect(app).toContain(`path: clusters/lab/${theirs.gitops.rootPath}/apps/obs-lab`);
    });

    it(`kubectl kustomize builds every folder of the consumer's tree and of both clusters in one repo${kubectl || process.env.CI === "true" ? "" : " (skipped: kubectl not on PATH; CI installs it)"}`, () => {
      if (!kubectl && process.env.CI !== "true") return;
      const roots = [consumerDir, join(work, "two-clusters/clusters/lab"), join(work, "two-clusters/clusters/edge")];
      let built = 0;
      for (const root of roots) {
        const index = JSON.parse(readFileSync(join(root, OWNERSHIP_INDEX), "utf8")) as OwnershipIndex;
        for (const dir of index.files.filter((p) => p.endsWith("/kustomization.yaml")).map((p) => dirname(p))) {
          expect(execFileSync("kubectl", ["kustomize", join(root, dir)], { encoding: "utf8" }), `${root}/${dir}`).toMatch(/^apiVersion: /m);
          built++;
        }
      }
      expect(built).toBeGreaterThanOrEqual(3 * 4);
    });

    it("refuses a plain-JS config with a misspelled key: exit 2, the path named, nothing written", () => {
      const dir = join(work, "typo");
      mkdirSync(dir);
      const text = readFileSync(join(consumerDir, "stack.config.js"), "utf8").replace("storageClass:", "storageClas:");
      writeFileSync(join(consumerDir, "typo.config.mjs"), text);
      const r = run(bin, ["generate", "--config", "typo.config.mjs", "--out", dir], consumerDir, 60_000);
      expect(r.output).toBe(
        [
          'error: stack: unknown key "storageClas" (did you mean "storageClass"?)',
          "error: stack.storageClass: missing: expected a string",
          "error: typo.config.mjs: invalid stack config: 2 problem(s); nothing written",
          "",
        ].join("\n"),
      );
      expect(r.status).toBe(2);
      expect(readdirSync(dir)).toEqual([]);
    });

    it("names the consumer's command and config, and none of this repo's commands, paths or files", () => {
      const consumerTree = [...tree.values()].join("\n");
      expect(consumerTree).toContain("Generated by `o11y-gitops generate` from stack.config.js. DO NOT EDIT.");
      expect(consumerTree).toContain("o11y-gitops secrets --config stack.config.js rotate-s3");
      for (const ours of ["pnpm generate", "pnpm secrets", "stack.config.ts", "packages/", "scripts/", "docker/stacks/shared"]) {
        expect(consumerTree, ours).not.toContain(ours);
      }
      // The Docker-host files sit where the consumer's config puts them, and their SOPS rule follows.
      expect([...tree.keys()].filter((p) => p.startsWith(`${theirs.dockerAlloyPath}/`)).sort()).toEqual(
        [".sops.env", "compose.yaml", "config.alloy"].map((f) => `${theirs.dockerAlloyPath}/${f}`),
      );
      expect(tree.get(".sops.yaml")).toContain(theirs.dockerAlloyPath);
      expect([...tree.keys()].some((p) => p.startsWith("docker/"))).toBe(false);
    });

    const ourTree = [...render(stackInput(ours)).files.values()].map((f) => f.content).join("\n");
    it.each<[string, (s: Stack) => string]>([
      ["domain", (s) => s.domain],
      ["Loki tenant", (s) => s.lokiTenant],
      ["storage class", (s) => s.storageClass],
      ["cluster name", (s) => s.cluster],
      ["Git repository", (s) => s.gitops.repoURL],
      ["object store endpoint", (s) => s.objectStore.endpoint],
    ])("uses the consumer's %s and never ours", (_what, field) => {
      const consumerTree = [...tree.values()].join("\n");
      expect(field(theirs)).not.toBe(field(ours));
      expect(consumerTree).toContain(field(theirs));
      expect(ourTree).toContain(field(ours));
      expect(consumerTree).not.toContain(field(ours));
      expect(ourTree).not.toContain(field(theirs));
    });
  });
});
