#!/usr/bin/env node
// @ts-check
/**
 * `pnpm generate` entry: runs scripts/generate/generate.ts compiled to .tsbuild/scripts/ with plain node, so a run
 * pays neither a TypeScript transpiler nor the TypeScript sources' module graph. Same arguments, output
 * and exit codes as `tsx scripts/generate/generate.ts` (0 ok, 1 `--check` drift, 2 invalid input, 3 I/O error).
 *
 * 1. Build when needed: if any source (packages/src, generated/src, stack.config.ts, scripts/*.ts, a
 *    tsconfig) is newer than the last build stamp, run `tsc -b tsconfig.scripts.json` + copy the chart
 *    validators (scripts/generate/build.mjs). A fresh clone builds once; a type error stops generate (exit 2).
 * 2. Workspace packages resolve to their dist/ through the `o11y-dist` export condition
 *    (`node --conditions=o11y-dist`, set by the package.json script; re-exec'd with it if missing).
 * 3. CommonJS code (the chart validators: megabytes of precompiled ajv code; yaml; ajv's runtime) is
 *    compiled with a V8 code cache kept in node_modules/.cache/o11y-gitops/ (keyed by file, content, node
 *    version and arch; a stale or rejected cache is recompiled and rewritten). What runs is unchanged;
 *    Node ≥ 22.1 also caches the ES modules (module.enableCompileCache).
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import Module from "node:module";
import { basename, dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import vm from "node:vm";
import { ROOT, build } from "./build.mjs";

const CONDITION = "o11y-dist";
const ENTRY = join(ROOT, ".tsbuild", "scripts", "scripts", "generate", "generate.js");
/** The folders of scripts/ whose sources the compiled generate (and bench worker) are built from. */
const SCRIPT_DIRS = ["generate", "bench"];
/** Touched after each build this launcher runs; sources newer than it trigger the next one. */
const STAMP = join(ROOT, ".tsbuild", "scripts.stamp");
const CACHE_DIR = join(ROOT, "node_modules", ".cache", "o11y-gitops", "v8");

/** Newest mtime (ms) of the sources the compiled generate depends on; folders count (a deleted file). */
function newestSource() {
  let newest = 0;
  const seen = (/** @type {string} */ p) => {
    try {
      newest = Math.max(newest, statSync(p).mtimeMs);
    } catch {
      // optional file
    }
  };
  const walk = (/** @type {string} */ dir) => {
    seen(dir);
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else seen(p);
    }
  };
  for (const name of readdirSync(ROOT)) if (name.endsWith(".ts") || /^tsconfig.*\.json$/.test(name)) seen(join(ROOT, name));
  // The scripts tsconfig.scripts.json compiles live in these folders (and a top-level script may import them).
  seen(join(ROOT, "scripts"));
  for (const name of readdirSync(join(ROOT, "scripts"))) if (name.endsWith(".ts")) seen(join(ROOT, "scripts", name));
  for (const dir of SCRIPT_DIRS) walk(join(ROOT, "scripts", dir));
  for (const dir of ["generated", ...readdirSync(join(ROOT, "packages")).map((p) => join("packages", p))]) {
    seen(join(ROOT, dir, "tsconfig.json"));
    walk(join(ROOT, dir, "src"));
  }
  return newest;
}

function stampTime() {
  try {
    return statSync(STAMP).mtimeMs;
  } catch {
    return -1;
  }
}

/**
 * Compile CommonJS modules (the chart validators, yaml, ajv's runtime, …) through vm.Script with V8 cached
 * data. The cache is written at exit, after the code ran, so it holds the lazily compiled functions too.
 */
function cacheValidatorCode() {
  /** @type {{ script: vm.Script, file: string }[]} */
  const toWrite = [];
  const proto = /** @type {any} */ (Module.prototype);
  const compile = proto._compile;
  proto._compile = function (/** @type {string} */ content, /** @type {string} */ filename) {
    if (!filename.endsWith(".validate.cjs") && !filename.includes("/node_modules/")) return compile.call(this, content, filename);
    const name = createHash("sha256").update(filename).digest("hex").slice(0, 16);
    const key = createHash("sha256").update(`${process.version} ${process.arch}\n`).update(content).digest("hex").slice(0, 24);
    const file = join(CACHE_DIR, `${basename(filename)}.${name}.${key}.bin`);
    /** @type {Buffer | undefined} */
    let cachedData;
    try {
      cachedData = readFileSync(file);
    } catch {
      cachedData = undefined;
    }
    const script = new vm.Script(Module.wrap(content), { filename, cachedData });
    const fn = script.runInThisContext();
    fn.call(this.exports, this.exports, Module.createRequire(filename), this, filename, dirname(filename));
    if (cachedData === undefined || script.cachedDataRejected) toWrite.push({ script, file });
  };
  process.once("exit", () => {
    for (const { script, file } of toWrite) {
      try {
        mkdirSync(CACHE_DIR, { recursive: true });
        const prefix = `${basename(file).split(".").slice(0, -2).join(".")}.`;
        for (const old of readdirSync(CACHE_DIR)) if (old.startsWith(prefix) && old !== basename(file)) rmSync(join(CACHE_DIR, old), { force: true });
        const tmp = `${file}.${process.pid}.tmp`;
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, file);
      } catch {
        // a cache is optional: a read-only node_modules only costs the compile next time
      }
    }
  });
}

const distCore = (() => {
  try {
    return import.meta.resolve("@o11y-gitops/core").endsWith("/dist/index.js");
  } catch {
    return false;
  }
})();
if (!distCore) {
  // Re-run once with the export condition (e.g. `node scripts/generate/generate.mjs` typed by hand); a second miss
  // means the workspace is not installed, not a missing flag.
  if (process.env.O11Y_GITOPS_GENERATE_REEXEC === "1") {
    process.stderr.write("generate: @o11y-gitops/core does not resolve to its dist/ build; run `pnpm install` first\n");
    process.exit(2);
  }
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, [`--conditions=${CONDITION}`, ...process.execArgv, self, ...process.argv.slice(2)], {
    stdio: "inherit",
    env: { ...process.env, O11Y_GITOPS_GENERATE_REEXEC: "1" },
  });
  process.exit(r.status ?? 1);
}

if (newestSource() > stampTime()) {
  process.stderr.write("generate: sources changed, building (tsc -b tsconfig.scripts.json)\n");
  if (build(["tsconfig.scripts.json"], STAMP) !== 0) {
    process.stderr.write("generate: the build failed (see the errors above); nothing written\n");
    process.exit(2);
  }
}
// Node ≥ 22.1 caches the compiled code of every module (ESM too); Node 20 lacks the API.
/** @type {any} */ (Module).enableCompileCache?.(join(ROOT, "node_modules", ".cache", "o11y-gitops", "node"));
cacheValidatorCode();
await import(pathToFileURL(ENTRY).href);
