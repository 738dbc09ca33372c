// The o11y-gitops CLI in-process: usage, version, config discovery and loading (TypeScript through tsx,
// JavaScript as is), the run-time shape check of a plain-JS config, and generate/--check on a temp root.
// The installed bin is exercised from packed tarballs by scripts/test/consumer.test.ts.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { stack as homelab } from "../../../stack.config.js";
import { cliVersion, DEFAULT_CONFIG_NAMES, main } from "../src/index.js";

const scratch = mkdtempSync(join(tmpdir(), "o11y-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function run(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { cwd, stdin: Readable.from([]), stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: {} });
  return { code, stdout, stderr };
}

let n = 0;
/** A fresh folder holding `files`. */
function folder(files: Record<string, string>): string {
  const dir = join(scratch, `f${++n}`);
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(dir, p, ".."), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Every file below `dir`, relative path → content. */
function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out.set(join(e.parentPath, e.name).slice(dir.length + 1), readFileSync(join(e.parentPath, e.name), "utf8"));
  }
  return out;
}

const stackJson = JSON.stringify(homelab, null, 2);
const jsConfig = (body = stackJson) => `export const stack = ${body};\n`;
const tsConfig = (body = stackJson) => `interface Named { cluster: string }\nconst stack: Named & Record<string, unknown> = ${body};\nexport default stack;\n`;

describe("o11y-gitops", () => {
  it.each<[string, string[], number, RegExp, "stdout" | "stderr"]>([
    ["--help", ["--help"], 0, /^usage: o11y-gitops <command> \[options\]\n/, "stdout"],
    ["no command", [], 2, /^usage: o11y-gitops <command> \[options\]\n/, "stderr"],
    ["generate --help", ["generate", "--help"], 0, /^usage: o11y-gitops generate \[--config FILE\] \[--check\] \[--out DIR\] \[--adopt PATH…\]\n/, "stdout"],
    ["secrets --help", ["secrets", "--help"], 0, /^usage:\n {2}o11y-gitops secrets htpasswd <user>/, "stdout"],
    ["an unknown command", ["generat"], 2, /^o11y-gitops: unknown command "generat"\n/, "stderr"],
    ["an unknown option", ["generate", "--chek"], 2, /^error: unknown argument "--chek"\nusage: o11y-gitops generate/, "stderr"],
    ["--config without a value", ["generate", "--config"], 2, /^error: --config needs a value\n/, "stderr"],
  ])("%s", async (_name, argv, code, text, stream) => {
    const r = await run(argv, scratch);
    expect(r.code).toBe(code);
    expect(r[stream]).toMatch(text);
  });

  it("--version prints the package version", async () => {
    expect(cliVersion()).toMatch(/^\d+\.\d+\.\d+/);
    expect(await run(["--version"], scratch)).toEqual({ code: 0, stdout: `${cliVersion()}\n`, stderr: "" });
  });

  it.each<[string, Record<string, string>, string[], string | RegExp]>([
    ["no config in the folder", {}, [], `error: no stack config found in {dir} (looked for ${DEFAULT_CONFIG_NAMES.join(", ")}); pass --config FILE; nothing written\n`],
    ["a --config that does not exist", {}, ["--config", "nope.ts"], "error: --config nope.ts: no such file; nothing written\n"],
    ["a config that exports no stack", { "stack.config.mjs": "export const other = 1;\n" }, [], "error: stack.config.mjs: exports no stack (export const stack = defineStack({ … }), or export default); nothing written\n"],
    // The parser's own words differ between Node and vitest's module runner: only the frame is ours.
    ["a config that does not load", { "stack.config.mjs": "export const stack = ;\n" }, [], /^error: stack\.config\.mjs: cannot load: \S.*; nothing written\n$/],
    ["a config of another kind", { "stack.yaml": "cluster: x\n" }, ["--config", "stack.yaml"], "error: {dir}/stack.yaml: a stack config is a .ts, .mts, .cts, .mjs, .js or .cjs file, not .yaml; nothing written\n"],
    [
      "a plain-JS config with a misspelled and a mistyped key",
      { "stack.config.mjs": jsConfig(JSON.stringify({ ...homelab, storageClas: "x", volumes: { ...homelab.volumes, grafana: 2 } })) },
      [],
      [
        'error: stack: unknown key "storageClas" (did you mean "storageClass"?)',
        'error: stack.volumes.grafana: expected a quantity like "10Gi", found number 2',
        "error: stack.config.mjs: invalid stack config: 2 problem(s); nothing written",
        "",
      ].join("\n"),
    ],
    [
      "a TypeScript config missing a field",
      { "lab.config.ts": tsConfig(JSON.stringify({ ...homelab, retention: { ...homelab.retention, logs: undefined } })) },
      ["--config", "lab.config.ts"],
      'error: stack.retention.logs: missing: expected a duration like "7d"\nerror: lab.config.ts: invalid stack config: 1 problem(s); nothing written\n',
    ],
  ])("refuses %s with exit 2 and writes nothing", async (_name, files, args, want) => {
    const dir = folder(files);
    const before = tree(dir);
    const r = await run(["generate", ...args], dir);
    if (typeof want === "string") expect(r.stderr).toBe(want.replaceAll("{dir}", dir));
    else expect(r.stderr).toMatch(want);
    expect(r.code).toBe(2);
    expect(tree(dir)).toEqual(before);
  });

  it.each<[string, string]>([
    ["stack.config.mjs", jsConfig()],
    ["stack.config.ts", tsConfig()],
  ])("generate renders %s into its folder, then --check finds it up to date", async (name, text) => {
    const dir = folder({ [name]: text });
    const first = await run(["generate"], dir);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^generate: \d+ files, \d+ created\n$/);
    expect(existsSync(join(dir, ".generated-files.json"))).toBe(true);
    expect(existsSync(join(dir, "kubernetes/apps/monitoring/values/loki.yaml"))).toBe(true);
    const check = await run(["generate", "--check"], dir);
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/^generate --check: \d+ files up to date\n$/);
  });

  it("generate --out renders into another folder and --config names a file elsewhere", async () => {
    const dir = folder({ "configs/lab.mjs": jsConfig() });
    const r = await run(["generate", "--config", "configs/lab.mjs", "--out", "rendered"], dir);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, "rendered/.generated-files.json"))).toBe(true);
    expect(existsSync(join(dir, "configs/.generated-files.json"))).toBe(false);
  });
});
