// Several stacks in one Git repository: each renders into its own folder (its config's folder) with its own
// ownership index, .sops.yaml and Docker-host files, ArgoCD's and Flux's paths carry `gitops.repoDir`, and
// neither stack's generate or --check touches the other's files.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { Stack } from "@o11y-gitops/core";
import { stack as homelab } from "../../../stack.config.js";
import { main } from "../src/index.js";

const repo = mkdtempSync(join(tmpdir(), "o11y-two-stacks-"));
afterAll(() => rmSync(repo, { recursive: true, force: true }));
mkdirSync(join(repo, ".git"));

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { cwd: repo, stdin: Readable.from([]), stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {} });
  return { code, stdout, stderr };
}

/** Every file below `dir` (relative path → content), `.git` left out. */
function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const rel = join(e.parentPath, e.name).slice(dir.length + 1);
    if (e.isFile() && !rel.startsWith(".git/")) out.set(rel, readFileSync(join(e.parentPath, e.name), "utf8"));
  }
  return out;
}

function stackFor(name: string, repoDir: string): Stack {
  return {
    ...homelab,
    cluster: name,
    namespace: `obs-${name}`,
    lokiTenant: `team-${name}`,
    hosts: { grafana: `grafana-${name}`, prometheusWrite: `prometheus-${name}`, lokiPush: `loki-${name}` },
    gitops: { ...homelab.gitops, repoDir },
  };
}

function writeConfig(folder: string, stack: Stack): string {
  mkdirSync(join(repo, folder), { recursive: true });
  const path = `${folder}/stack.config.mjs`;
  writeFileSync(join(repo, path), `export const stack = ${JSON.stringify(stack, null, 2)};\n`);
  return path;
}

const a = writeConfig("clusters/a", stackFor("a", "clusters/a"));
const b = writeConfig("clusters/b", stackFor("b", "clusters/b"));
const quiet = (stderr: string): string[] => stderr.split("\n").filter((l) => l.startsWith("warning: stack.gitops") || l.startsWith("error"));

describe("two stacks in one repository", () => {
  it("each renders into its own folder with its own index, .sops.yaml and Docker-host files", async () => {
    for (const config of [a, b]) {
      const r = await run(["generate", "--config", config]);
      expect(quiet(r.stderr)).toEqual([]);
      expect(r.code).toBe(0);
    }
    const files = [...tree(repo).keys()];
    for (const c of ["a", "b"]) {
      for (const own of [".generated-files.json", ".sops.yaml", "docker/stacks/shared/alloy/compose.yaml", "kubernetes/flux/kustomization.yaml"]) {
        expect(files).toContain(`clusters/${c}/${own}`);
      }
    }
    expect(files.filter((f) => !f.startsWith("clusters/"))).toEqual([]);
  });

  it("ArgoCD's and Flux's paths into the repository carry gitops.repoDir", () => {
    const root = parse(readFileSync(join(repo, "clusters/a/kubernetes/argocd/application-obs-a-apps.yaml"), "utf8").replace(/^#.*\n/gm, "")) as {
      spec: { source: { path: string } };
    };
    expect(root.spec.source.path).toBe("clusters/a/kubernetes/apps/obs-a");
    const loki = readFileSync(join(repo, "clusters/a/kubernetes/apps/obs-a/applications/loki.yaml"), "utf8");
    expect(loki).toContain("- $values/clusters/a/kubernetes/apps/obs-a/values/loki.yaml");
    const flux = readdirSync(join(repo, "clusters/b/kubernetes/flux")).filter((f) => f !== "kustomization.yaml");
    expect(readFileSync(join(repo, "clusters/b/kubernetes/flux", flux[0] as string), "utf8")).toContain("path: ./clusters/b/kubernetes/infrastructure/configs");
  });

  it("each survives the other's generate and --check", async () => {
    const before = tree(join(repo, "clusters/a"));
    const again = await run(["generate", "--config", b]);
    expect([again.code, again.stdout.trim()]).toEqual([0, expect.stringMatching(/^generate: \d+ files, no changes$/)]);
    expect(tree(join(repo, "clusters/a"))).toEqual(before);
    for (const config of [a, b]) {
      const check = await run(["generate", "--config", config, "--check"]);
      expect([check.code, check.stdout.trim()]).toEqual([0, expect.stringMatching(/^generate --check: \d+ files up to date$/)]);
    }
  });

  it("warns when a stack renders somewhere else in the repository than its gitops.repoDir", async () => {
    const c = writeConfig("clusters/c", stackFor("c", ""));
    const r = await run(["generate", "--config", c]);
    expect(r.code).toBe(0);
    expect(quiet(r.stderr)).toEqual([
      `warning: stack.gitops.repoDir: "" (the repository's top folder), but ${join(repo, "clusters/c")} is "clusters/c" in the Git repository at ${repo}; ` +
        `ArgoCD and Flux read this tree's paths under "" (the repository's top folder): set gitops.repoDir to "clusters/c" if the tree is committed here`,
    ]);
  });

  const kubectl = spawnSync("kubectl", ["version", "--client"], { encoding: "utf8" }).status === 0;
  it.skipIf(!kubectl)(`kubectl kustomize builds each stack's folders${kubectl ? "" : " (skipped: kubectl is not on PATH)"}`, () => {
    for (const c of ["a", "b"]) {
      for (const dir of ["kubernetes/argocd", "kubernetes/flux", `kubernetes/apps/obs-${c}`, "kubernetes/infrastructure"]) {
        const r = spawnSync("kubectl", ["kustomize", join(repo, "clusters", c, dir)], { encoding: "utf8" });
        expect(r.stderr, `clusters/${c}/${dir}`).toBe("");
        expect(r.status).toBe(0);
      }
    }
  });
});
