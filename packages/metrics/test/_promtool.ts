// promtool for the rule tests (pipeline-rules, infra-rules): whether it is on PATH, a scratch folder for the
// rule and test files it reads, and one way to run it. promtool comes from the Debian package `prometheus`;
// without it the rule tests fail in CI and skip locally.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, type TestContext } from "vitest";
import { stringify } from "yaml";

const hasPromtool = spawnSync("promtool", ["--version"], { encoding: "utf8" }).status === 0;
const inCI = process.env.CI !== undefined && process.env.CI !== "" && process.env.CI !== "false";

/** Skip the test when promtool is missing, or fail it in CI, where the rules must be checked. */
export function needPromtool(ctx: TestContext): void {
  if (hasPromtool) return;
  if (inCI) throw new Error("promtool is not on PATH: CI must check the alert rules (apt-get install -y prometheus)");
  ctx.skip("promtool is not on PATH (Debian package prometheus); the rule checks run in CI");
}

/** Run promtool; its exit status and stdout + stderr. */
export function promtool(...args: string[]): { status: number | null; output: string } {
  const r = spawnSync("promtool", args, { encoding: "utf8" });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

/** A scratch folder (removed after the file's tests) and a writer of numbered YAML files into it. */
export function scratchFiles(prefix: string): (name: string, doc: unknown) => string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  return (name, doc) => {
    const file = join(dir, `${n++}-${name}`);
    writeFileSync(file, stringify(doc));
    return file;
  };
}
