#!/usr/bin/env node
// @ts-check
/**
 * `pnpm build`: compile every workspace package to its dist/ (JS + .d.ts, `tsc -b`), then copy the
 * chart validation schemas (generated/src/<chart>.schema.json, which tsc does not emit) beside
 * generated/dist/index.js, which loads them at runtime.
 *
 * Plain JavaScript on purpose: it runs before anything is compiled (fresh clone, `pnpm generate`, prepack).
 *
 *   node scripts/generate/build.mjs                          every package (generated/, packages/*)
 *   node scripts/generate/build.mjs tsconfig.scripts.json    the packages + stack.config.ts and scripts run by `pnpm generate`
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ROOT } from "./cache.cjs";

export { ROOT };


/** The package projects, in the folders tsc -b takes them from. */
export function packageProjects() {
  return ["generated", ...readdirSync(join(ROOT, "packages")).filter((p) => existsSync(join(ROOT, "packages", p, "tsconfig.json"))).map((p) => `packages/${p}`)];
}

const CHART_SCHEMA = /\.schema\.json$/;
/** What older builds copied there instead: ajv's standalone validators. */
const OLD_VALIDATOR = /\.validate\.(?:cjs|d\.cts)$/;
/** The compiled outputs of one source file (`x.ts` → `x.js`, `x.d.ts` and their maps). */
const OUTPUT = /^(.*)\.(?:js|d\.ts)(?:\.map)?$/;

/**
 * Copy generated/src/*.schema.json to generated/dist/ (only files whose content differs) and remove the
 * schemas of charts no longer generated and what older builds copied (the ajv validators,
 * `<chart>.validate.cjs` and `.d.cts`), so a pack ships only what the sources make. Whatever else is there is
 * tsc's (pruneStaleOutputs looks after that). Returns the number of files written.
 * @param {string} [root] the repository root (tests pass a scratch copy)
 */
export function copyChartSchemas(root = ROOT) {
  const src = join(root, "generated", "src");
  const dist = join(root, "generated", "dist");
  mkdirSync(dist, { recursive: true });
  const wanted = new Set(readdirSync(src).filter((f) => CHART_SCHEMA.test(f)));
  let written = 0;
  for (const f of wanted) {
    const from = join(src, f);
    const to = join(dist, f);
    if (existsSync(to) && readFileSync(to).equals(readFileSync(from))) continue;
    copyFileSync(from, to);
    written++;
  }
  for (const f of readdirSync(dist)) if ((CHART_SCHEMA.test(f) && !wanted.has(f)) || OLD_VALIDATOR.test(f)) rmSync(join(dist, f));
  return written;
}

/**
 * Delete dist/ outputs whose source is gone (tsc -b never removes them, and a pack would ship them).
 * Returns the deleted paths, relative to the repository root.
 */
export function pruneStaleOutputs() {
  const removed = [];
  for (const project of packageProjects()) {
    const dist = join(ROOT, project, "dist");
    if (!existsSync(dist)) continue;
    const walk = (/** @type {string} */ rel) => {
      for (const e of readdirSync(join(dist, rel), { withFileTypes: true })) {
        const r = rel === "" ? e.name : join(rel, e.name);
        if (e.isDirectory()) {
          walk(r);
          continue;
        }
        const m = OUTPUT.exec(r);
        if (!m) continue;
        if (existsSync(join(ROOT, project, "src", `${m[1]}.ts`))) continue;
        rmSync(join(dist, r));
        removed.push(join(project, "dist", r));
      }
    };
    walk("");
  }
  return removed;
}

/**
 * `tsc -b <projects>`, then pruneStaleOutputs() and copyChartSchemas().
 * @param {readonly string[]} [projects] tsconfig paths or project folders relative to the repository root
 * @returns {number} the exit code (tsc's on failure)
 */
export function build(projects = packageProjects()) {
  const tsPackage = createRequire(join(ROOT, "package.json")).resolve("typescript/package.json");
  const tsc = join(tsPackage, "..", "bin", "tsc");
  const r = spawnSync(process.execPath, [tsc, "-b", ...projects], { cwd: ROOT, stdio: "inherit" });
  if (r.error) throw r.error;
  if (r.status !== 0) return r.status ?? 1;
  pruneStaleOutputs();
  copyChartSchemas();
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  process.exitCode = build(args.length > 0 ? args : undefined);
}
