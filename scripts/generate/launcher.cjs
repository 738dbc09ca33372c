#!/usr/bin/env node
// @ts-check
/**
 * `pnpm generate` entry: runs scripts/generate/generate.ts compiled and bundled into one CommonJS script,
 * with plain node, so a run pays neither a TypeScript transpiler nor loading ~300 ES modules. Same
 * arguments, output and exit codes as `tsx scripts/generate/generate.ts` (0 ok, 1 `--check` drift, 2
 * invalid input, 3 I/O error).
 *
 * 1. Build when needed: if any source (packages' src, generated/src, stack.config.ts, scripts/*.ts, this
 *    folder, a tsconfig or package.json, the lockfile or the installed node_modules) is newer than the last
 *    build's stamp, or the bundle is not the one the stamp records (missing, damaged), run `tsc -b
 *    tsconfig.scripts.json` + copy the chart schemas (build.mjs), then bundle the compiled entry
 *    (bundle.mjs, esbuild) into .tsbuild/generate/generate.cjs. A fresh clone builds once; a type error or
 *    a bundling error stops generate (exit 2) before anything is written.
 * 2. The bundle is compiled with V8's code cache (node_modules/.cache/o11y-gitops/v8/, keyed by file,
 *    content, node version and arch, checksummed): one deserialisation instead of parsing and compiling.
 *    Any CommonJS module of node_modules loaded at run time gets the same. A stale, damaged or rejected
 *    cache is compiled from source and rewritten at exit (then it holds the lazily compiled functions too),
 *    and that run removes the cache files none of its scripts used (left by older builds).
 * 3. A build needs the installed workspace, its packages resolving to their dist/ through the `o11y-dist`
 *    export condition (the bundler uses it; `node --conditions=o11y-dist` is set by the package.json
 *    script): before a build the launcher checks that with the condition, re-exec'ing itself with it if
 *    missing. A current bundle resolves nothing at run time (every module is in it), so it runs without
 *    that check.
 *
 * CommonJS, and the build code (build.mjs, bundle.mjs, esbuild, child_process) is loaded only when a build
 * or the re-exec is needed: a current run loads no ES module at all (Node's ES module loader costs ~10 ms).
 *
 * O11Y_GITOPS_GENERATE_BUILD_DIR=<dir> puts the bundle, its stamp and the code cache in <dir> (tests).
 */
"use strict";
const { isAscii } = require("node:buffer");
const { createHash } = require("node:crypto");
const { readFileSync } = require("node:fs");
const Module = require("node:module");
const { basename, dirname, join, sep } = require("node:path");
const vm = require("node:vm");
const { ROOT, newestSource, pruneCodeCaches, readCodeCache, readStamp, sha256, writeAtomic, writeCodeCache, writeStamp } = require("./cache.cjs");

const CONDITION = "o11y-dist";
const ENTRY = join(ROOT, ".tsbuild", "scripts", "scripts", "generate", "generate.js");
const OVERRIDE = process.env.O11Y_GITOPS_GENERATE_BUILD_DIR;
const BUILD_DIR = OVERRIDE ?? join(ROOT, ".tsbuild", "generate");
const BUNDLE = join(BUILD_DIR, "generate.cjs");
/** Written after each build this launcher runs; sources newer than it trigger the next one. */
const STAMP = join(BUILD_DIR, "stamp.json");
const CACHE_DIR = OVERRIDE === undefined ? join(ROOT, "node_modules", ".cache", "o11y-gitops", "v8") : join(OVERRIDE, "v8");
const VERSION = `${process.version} ${process.arch}\n`;
/** Lets a script compiled through vm.Script use `import()` as a module would (Node ≥ 20.12; else none). */
const DYNAMIC_IMPORT = /** @type {any} */ (vm).constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER;

/** @type {{ script: vm.Script, file: string }[]} */
const toWrite = [];
/** The cache files this run read or is about to write. */
const used = new Set();

/**
 * Compile and run a CommonJS module's code through vm.Script with V8 cached data found under `key` (a
 * hash of node version, arch and the code). A cache written at exit, after the code ran, holds the lazily
 * compiled functions too; it is written when there was none or V8 rejected it.
 * @param {any} module
 * @param {string} content
 * @param {string} filename
 * @param {string} key
 */
function compileCached(module, content, filename, key) {
  const file = join(CACHE_DIR, `${basename(filename)}.${sha256(filename).slice(0, 16)}.${key}.bin`);
  used.add(basename(file));
  const cachedData = readCodeCache(file);
  const script = new vm.Script(Module.wrap(content), { filename, cachedData, importModuleDynamically: DYNAMIC_IMPORT });
  if (cachedData === undefined || script.cachedDataRejected) toWrite.push({ script, file });
  const fn = script.runInThisContext();
  fn.call(module.exports, module.exports, Module.createRequire(filename), module, filename, dirname(filename));
}

const keyOf = (/** @type {string | Buffer} */ code) => createHash("sha256").update(VERSION).update(code).digest("hex").slice(0, 24);

/** Bytes as a string: ASCII (nearly all generated code) decodes as Latin-1, a plain copy. */
const decode = (/** @type {Buffer} */ bytes) => (isAscii(bytes) ? bytes.toString("latin1") : bytes.toString("utf8"));

/** Route the CommonJS code of node_modules loaded at run time through compileCached. */
function cacheCompiledCode() {
  const proto = /** @type {any} */ (Module.prototype);
  const compile = proto._compile;
  proto._compile = function (/** @type {string} */ content, /** @type {string} */ filename) {
    if (!filename.includes("/node_modules/")) return compile.call(this, content, filename);
    compileCached(this, content, filename, keyOf(content));
  };
  process.once("exit", () => {
    if (toWrite.length === 0) return;
    for (const { script, file } of toWrite) {
      try {
        writeCodeCache(file, script.createCachedData());
      } catch {
        // a cache is optional: a read-only node_modules only costs the compile next time
      }
    }
    // A run that wrote a cache (after a build, a rejected cache, or a module loaded for the first time) removes
    // the caches none of its scripts used: older versions of its own, and what older builds left (other
    // bundles, modules now bundled, the ajv validators of older versions). A cache another kind of run needs
    // (e.g. the diff code of a failing --check) is then compiled from source once more, never used wrongly.
    try {
      pruneCodeCaches(CACHE_DIR, used);
    } catch {
      // as above: pruning is housekeeping
    }
  });
}

/** The bundle's text when it is the one the stamp records and no source is newer; else undefined. */
function currentBundle() {
  const stamp = readStamp(STAMP);
  if (stamp === undefined || newestSource(ROOT) > stamp.mtimeMs) return undefined;
  let bytes;
  try {
    bytes = readFileSync(BUNDLE);
  } catch {
    return undefined;
  }
  if (sha256(bytes) !== stamp.bundle) return undefined;
  // Hashing the bytes, then decoding them, beats decoding first: a string is hashed as UTF-8 again.
  return { text: decode(bytes), hash: stamp.bundle };
}

/** tsc -b, the chart schemas, the bundle and its stamp. Exits 2 when the build fails. */
async function rebuild() {
  process.stderr.write("generate: sources changed, building (tsc -b tsconfig.scripts.json, then the bundle)\n");
  const started = Date.now();
  const { build } = await import("./build.mjs");
  if (build(["tsconfig.scripts.json"]) !== 0) {
    process.stderr.write("generate: the build failed (see the errors above); nothing written\n");
    process.exit(2);
  }
  let text;
  try {
    const { bundleGenerate } = await import("./bundle.mjs");
    text = await bundleGenerate(ENTRY, BUNDLE);
  } catch {
    process.stderr.write("generate: bundling failed (see the errors above); nothing written\n");
    process.exit(2);
  }
  const bytes = Buffer.from(text, "utf8");
  const hash = sha256(bytes);
  writeAtomic(BUNDLE, bytes);
  writeStamp(STAMP, hash, started);
  return { text, hash };
}

/** Whether the workspace packages resolve to their dist/ build (the export condition is on). */
function resolvesToDist() {
  try {
    return require.resolve("@o11y-gitops/core").endsWith(`${sep}dist${sep}index.js`);
  } catch {
    return false;
  }
}

/** Run the bundle: current, or rebuilt first (with the workspace checked, see 3. above). */
async function run() {
  let bundle = currentBundle();
  if (bundle === undefined) {
    if (!resolvesToDist()) return withCondition();
    bundle = await rebuild();
  }
  // Node ≥ 22.1 caches the compiled code of every module (ESM too); Node 20 lacks the API.
  /** @type {any} */ (Module).enableCompileCache?.(join(ROOT, "node_modules", ".cache", "o11y-gitops", "node"));
  cacheCompiledCode();
  const main = new Module(BUNDLE);
  main.filename = BUNDLE;
  main.paths = /** @type {any} */ (Module)._nodeModulePaths(BUILD_DIR);
  compileCached(main, bundle.text, BUNDLE, keyOf(bundle.hash));
  main.loaded = true;
}

/**
 * The workspace does not resolve to its dist/ build: run this launcher once more with the export condition
 * (e.g. `node scripts/generate/launcher.cjs` typed by hand); a second miss means the workspace is not
 * installed, not a missing flag.
 */
function withCondition() {
  if (process.env.O11Y_GITOPS_GENERATE_REEXEC === "1") {
    process.stderr.write("generate: @o11y-gitops/core does not resolve to its dist/ build; run `pnpm install` first\n");
    process.exit(2);
  }
  const r = require("node:child_process").spawnSync(process.execPath, [`--conditions=${CONDITION}`, ...process.execArgv, __filename, ...process.argv.slice(2)], {
    stdio: "inherit",
    env: { ...process.env, O11Y_GITOPS_GENERATE_REEXEC: "1" },
  });
  process.exit(r.status ?? 1);
}

void run();
