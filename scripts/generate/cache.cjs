// @ts-check
/**
 * What the `pnpm generate` launcher (launcher.cjs) keeps between runs, and how it knows it is current:
 *
 * - the build stamp: a JSON file written after each successful build (tsc -b + bundle), holding the
 *   bundle's sha256; its mtime is the time the build started. Any source newer than it means a rebuild; a
 *   bundle whose hash is not the stamp's (missing, truncated, edited) means a rebuild too.
 * - V8 code cache files: `<u32 checksum><V8 cached data>`. A file whose checksum does not match is ignored
 *   (V8 checks the header of cached data, not its payload), and V8 itself rejects data of another source,
 *   V8 version or flag set; either way the script is compiled from source and the cache rewritten.
 *
 * Plain JavaScript, CommonJS: the launcher runs before anything is compiled, and loads no ES module.
 */
"use strict";
const { createHash } = require("node:crypto");
const { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } = require("node:fs");
const { dirname, join, resolve, sep } = require("node:path");
const zlib = require("node:zlib");

/** The repository root (this file is scripts/generate/cache.cjs). */
const ROOT = resolve(__dirname, "..", "..");

/** The folders of scripts/ whose sources the compiled generate (and bench worker) are built from. */
const SCRIPT_DIRS = ["generate", "bench"];

/**
 * Newest mtime (ms) of what the bundle is built from, below `root`: the top-level .ts files and tsconfigs,
 * scripts/*.ts and scripts/{generate,bench}/ (the launcher, build and bundle code included), each package's
 * tsconfig and src/, and the installed dependencies (the lockfile and pnpm's record of the last install).
 * Folders count too (a deleted file bumps its folder).
 * @param {string} root
 */
function newestSource(root) {
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
    // `dir` is already a joined path: plain concatenation (path.join normalised each of ~250 names, ~1.5 ms).
    for (const e of entries) {
      const p = `${dir}${sep}${e.name}`;
      if (e.isDirectory()) walk(p);
      else seen(p);
    }
  };
  for (const name of readdirSync(root)) if (name.endsWith(".ts") || /^tsconfig.*\.json$/.test(name)) seen(join(root, name));
  // The bundle holds the dependencies' code: an install that changes them must rebuild it.
  for (const f of ["package.json", "pnpm-lock.yaml", "node_modules/.modules.yaml", "node_modules/.pnpm/lock.yaml"]) seen(join(root, f));
  // The scripts tsconfig.scripts.json compiles live in these folders (and a top-level script may import them).
  seen(join(root, "scripts"));
  for (const name of readdirSync(join(root, "scripts"))) if (name.endsWith(".ts")) seen(join(root, "scripts", name));
  for (const dir of SCRIPT_DIRS) walk(join(root, "scripts", dir));
  for (const dir of ["generated", ...readdirSync(join(root, "packages")).map((p) => join("packages", p))]) {
    seen(join(root, dir, "tsconfig.json"));
    seen(join(root, dir, "package.json"));
    walk(join(root, dir, "src"));
  }
  return newest;
}

/** sha256 of a text or buffer, hex. */
const sha256 = (/** @type {string | Buffer} */ data) => createHash("sha256").update(data).digest("hex");

/**
 * The stamp at `file`: its mtime and the bundle hash it records; undefined when absent or unreadable.
 * @param {string} file
 * @returns {{ mtimeMs: number, bundle: string } | undefined}
 */
function readStamp(file) {
  try {
    const mtimeMs = statSync(file).mtimeMs;
    const { bundle } = JSON.parse(readFileSync(file, "utf8"));
    return typeof bundle === "string" ? { mtimeMs, bundle } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Write the stamp for a build that started at `startedMs` and produced a bundle with hash `bundle`.
 * @param {string} file
 * @param {string} bundle
 * @param {number} startedMs
 */
function writeStamp(file, bundle, startedMs) {
  writeAtomic(file, `${JSON.stringify({ bundle })}\n`);
  const t = new Date(startedMs);
  utimesSync(file, t, t);
}

/**
 * Write `data` to `file` through a temp file and a rename (a reader sees the old file or the new one).
 * @param {string} file
 * @param {string | Buffer} data
 */
function writeAtomic(file, data) {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

/** crc32 where Node has it (≥ 20.15), else the first 4 bytes of sha256. */
const checksum = (/** @type {Buffer} */ b) =>
  typeof zlib.crc32 === "function" ? zlib.crc32(b) >>> 0 : createHash("sha256").update(b).digest().readUInt32BE(0);

/**
 * The V8 cached data in `file`, or undefined when it is missing or its checksum does not match.
 * @param {string} file
 * @returns {Buffer | undefined}
 */
function readCodeCache(file) {
  let raw;
  try {
    raw = readFileSync(file);
  } catch {
    return undefined;
  }
  if (raw.length <= 4) return undefined;
  const data = raw.subarray(4);
  return raw.readUInt32BE(0) === checksum(data) ? data : undefined;
}

/**
 * Write V8 cached data to `file` (with its checksum).
 * @param {string} file `<dir>/<name>.<path hash>.<content key>.bin`
 * @param {Buffer} data
 */
function writeCodeCache(file, data) {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(checksum(data), 0);
  writeAtomic(file, Buffer.concat([head, data]));
}

/**
 * Remove the code caches in `dir` that are not in `used` (file names): older versions of a script (another
 * content key) and caches of scripts a run no longer loads. Temp files of a write in progress stay.
 * @param {string} dir
 * @param {ReadonlySet<string>} used
 */
function pruneCodeCaches(dir, used) {
  for (const f of readdirSync(dir)) if (f.endsWith(".bin") && !used.has(f)) rmSync(join(dir, f), { force: true });
}

module.exports = { ROOT, newestSource, sha256, readStamp, writeStamp, writeAtomic, readCodeCache, writeCodeCache, pruneCodeCaches };
