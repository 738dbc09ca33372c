// The `pnpm generate` command line: `--adopt PATH…` and `--out` as a user types them (the launcher, compiled
// entry, plain node), in scratch folders.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EXIT, OWNERSHIP_INDEX, render } from "@o11y-gitops/core";
import { stackInput } from "@o11y-gitops/stack";
import { stack } from "../../stack.config.js";

/** How many files the homelab stack renders (the counts in generate's summary lines). */
const FILES = render(stackInput(stack)).files.size;

const root = fileURLToPath(new URL("../..", import.meta.url));
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "o11y-cli-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function generate(...args: string[]) {
  const r = spawnSync(process.execPath, ["--conditions=o11y-dist", "scripts/generate/launcher.cjs", ...args], { cwd: root, encoding: "utf8" });
  const err = r.stderr
    .split("\n")
    .filter((l) => l !== "" && !l.startsWith("warning: ") && !l.startsWith("generate: sources changed"));
  return { code: r.status, out: r.stdout.trim(), err };
}

// The hint names the command line that was run (`--out` included), so it can be re-typed as it stands.
const foreign = (path: string) =>
  `error: ${path}: exists but generate did not write it (not in ${OWNERSHIP_INDEX}); move it away, or run pnpm generate --out ${dir} --adopt ${path} to let generate own and overwrite it`;

describe("pnpm generate command line", () => {
  it("refuses unowned files, then --adopt PATH… (several paths, then another option) takes them over", () => {
    mkdirSync(join(dir, "kubernetes/flux"), { recursive: true });
    writeFileSync(join(dir, ".sops.yaml"), "creation_rules: []\n");
    writeFileSync(join(dir, "kubernetes/flux/kustomization.yaml"), "resources: []\n");
    expect(generate("--out", dir)).toEqual({
      code: EXIT.invalid,
      out: "",
      err: [foreign(".sops.yaml"), foreign("kubernetes/flux/kustomization.yaml"), "2 problem(s); nothing written"],
    });
    expect(readFileSync(join(dir, ".sops.yaml"), "utf8")).toBe("creation_rules: []\n");
    const adopted = generate("--adopt", ".sops.yaml", "kubernetes/flux/kustomization.yaml", "--out", dir);
    expect([adopted.code, adopted.out]).toEqual([EXIT.ok, `generate: ${FILES} files, ${FILES - 1} created, 2 updated`]);
    expect(readFileSync(join(dir, ".sops.yaml"), "utf8")).toBe(readFileSync(join(root, ".sops.yaml"), "utf8"));
    expect(generate("--check", "--out", dir).code).toBe(EXIT.ok);
  });

  it.each([
    [["--adopt"], "--adopt needs one or more paths"],
    [["--adopt", "--check"], "--adopt needs one or more paths"],
    [["--adopt="], "--adopt needs one or more paths"],
    [["--frobnicate"], 'unknown argument "--frobnicate"'],
  ])("%j: exit 2 with the usage", (args, message) => {
    const r = generate(...args, "--out", dir);
    expect([r.code, r.out]).toEqual([EXIT.invalid, ""]);
    expect(r.err.slice(0, 2)).toEqual([`error: ${message}`, "usage: pnpm generate [--check] [--out DIR] [--adopt PATH…]"]);
  });

  it("--out below a regular file names the path as given", () => {
    writeFileSync(join(dir, "notes.txt"), "mine\n");
    const given = join(dir, "notes.txt", "tree");
    expect(generate("--out", given)).toEqual({
      code: EXIT.invalid,
      out: "",
      err: [
        `error: ${given}: ${join(dir, "notes.txt")} is a file, not a folder (the output root must be a folder or a path that can become one)`,
        "1 problem(s); nothing written",
      ],
    });
    expect(readFileSync(join(dir, "notes.txt"), "utf8")).toBe("mine\n");
  });
});
