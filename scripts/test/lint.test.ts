// The linter (Biome, biome.json) runs on the workspace as part of `pnpm test`, and its two structural rules
// are shown to fire: no deep imports into another package's files, no re-export of a private `_`-module
// from a package's index.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const REPO = resolve(import.meta.dirname, "../..");
const BIOME = join(REPO, "node_modules/.bin/biome");

function lint(cwd: string): { status: number | null; diagnostics: string[]; output: string } {
  const r = spawnSync(BIOME, ["lint", "--max-diagnostics=200", "--colors=off"], { cwd, encoding: "utf8", timeout: 60_000 });
  const output = `${r.stdout}${r.stderr}`;
  // One header line per diagnostic: `path:line:col lint/<group>/<rule> ━━━…`.
  const diagnostics = [...output.matchAll(/^(\S+:\d+:\d+) (lint\/\S+)/gm)].map((m) => `${m[1]} ${m[2]}`);
  return { status: r.status, diagnostics, output };
}

describe("biome lint", () => {
  it("the workspace has no lint error", () => {
    const r = lint(REPO);
    expect(r.output).not.toMatch(/Found \d+ errors?\./);
    expect(r.status).toBe(0);
  });

  const scratch = mkdtempSync(join(tmpdir(), "o11y-lint-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it.each<[string, Record<string, string>, string[]]>([
    [
      "a relative import into another package's src/",
      { "packages/logs/src/loki.ts": 'import { plan } from "../../core/src/writer.js";\nexport const p = plan;\n' },
      ["packages/logs/src/loki.ts:1:22 lint/style/noRestrictedImports"],
    ],
    [
      "a package-name import of another package's files",
      { "packages/logs/src/loki.ts": 'import { plan } from "@o11y-gitops/core/src/writer.js";\nexport const p = plan;\n' },
      ["packages/logs/src/loki.ts:1:22 lint/style/noRestrictedImports"],
    ],
    [
      "a script importing a package's src/ by path",
      { "scripts/x.ts": 'import { plan } from "../packages/core/src/writer.js";\nexport const p = plan;\n' },
      ["scripts/x.ts:1:22 lint/style/noRestrictedImports"],
    ],
    [
      "an index re-exporting a private module",
      { "packages/logs/src/index.ts": 'export { chart } from "./_chart.js";\nexport * from "./_other.js";\n' },
      ["packages/logs/src/index.ts:1:23 lint/style/noRestrictedImports", "packages/logs/src/index.ts:2:15 lint/style/noRestrictedImports"],
    ],
    [
      "the allowed forms: same-package modules, private ones outside the index, other packages by name",
      {
        "packages/logs/src/index.ts": 'export { lokiValues } from "./loki.js";\n',
        "packages/logs/src/loki.ts": 'import { chart } from "./_chart.js";\nimport { plan } from "@o11y-gitops/core";\nexport const lokiValues = [chart, plan];\n',
        "packages/logs/test/loki.test.ts": 'import { chart } from "../src/_chart.js";\nexport const c = chart;\n',
      },
      [],
    ],
  ])("fires on %s", (name, files, want) => {
    const dir = join(scratch, name.replace(/[^a-z]+/g, "-"));
    mkdirSync(dir, { recursive: true });
    cpSync(join(REPO, "biome.json"), join(dir, "biome.json"));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const r = lint(dir);
    expect(r.diagnostics).toEqual(want);
    expect(r.status).toBe(want.length === 0 ? 0 : 1);
  });
});
