// The `pnpm generate` launcher (scripts/generate/launcher.cjs): when it rebuilds its bundle, and that a stale,
// damaged or rejected bundle or code cache is rebuilt or recompiled, never run (cache.cjs; the launcher itself
// in a scratch build folder, O11Y_GITOPS_GENERATE_BUILD_DIR, so the repository's own build is left alone).
import { isAscii } from "node:buffer";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { newestSource, pruneCodeCaches, readCodeCache, readStamp, sha256, writeCodeCache, writeStamp } from "../generate/cache.cjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const BUILDING = "generate: sources changed, building (tsc -b tsconfig.scripts.json, then the bundle)";

describe("newestSource: what a rebuild depends on", () => {
  let dir: string;
  const at = (p: string, seconds: number) => {
    const f = join(dir, p);
    mkdirSync(join(f, ".."), { recursive: true });
    writeFileSync(f, "x");
    utimesSync(f, seconds, seconds);
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "o11y-newest-"));
    for (const p of ["stack.config.ts", "tsconfig.json", "package.json", "pnpm-lock.yaml", "scripts/secrets.ts", "scripts/generate/launcher.cjs", "scripts/bench/bench.ts", "packages/core/src/a.ts", "packages/core/tsconfig.json", "generated/src/x.schema.json", "docs/notes.md", "scripts/test/a.test.ts", "packages/core/test/a.test.ts", "node_modules/.modules.yaml"]) at(p, 1000);
    // Folders are sources too (a deleted file shows as its folder's mtime): all old.
    for (const d of ["", "scripts", "scripts/generate", "scripts/bench", "scripts/test", "packages", "packages/core", "packages/core/src", "packages/core/test", "generated", "generated/src", "docs", "node_modules"]) utimesSync(join(dir, d), 1000, 1000);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ["a package source", "packages/core/src/a.ts", true],
    ["a chart validation schema", "generated/src/x.schema.json", true],
    ["the stack config", "stack.config.ts", true],
    ["a tsconfig", "packages/core/tsconfig.json", true],
    ["the launcher or its bundler", "scripts/generate/launcher.cjs", true],
    ["a top-level script", "scripts/secrets.ts", true],
    ["the lockfile", "pnpm-lock.yaml", true],
    ["pnpm's record of the last install", "node_modules/.modules.yaml", true],
    ["the root package.json", "package.json", true],
    ["docs", "docs/notes.md", false],
    ["a test", "scripts/test/a.test.ts", false],
    ["a package test", "packages/core/test/a.test.ts", false],
  ])("%s: %s (counts: %s)", (_what, path, counts) => {
    expect(newestSource(dir)).toBe(1_000_000);
    utimesSync(join(dir, path), 2000, 2000);
    expect(newestSource(dir)).toBe(counts ? 2_000_000 : 1_000_000);
  });

  it("a deleted source counts through its folder", () => {
    rmSync(join(dir, "packages/core/src/a.ts"));
    expect(newestSource(dir)).toBeGreaterThan(1_000_000);
  });
});

describe("stamp and code cache files", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "o11y-cache-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("the stamp records the bundle hash, dated when the build started", () => {
    const file = join(dir, "b", "stamp.json");
    expect(readStamp(file)).toBeUndefined();
    writeStamp(file, "abc", 1_234_000);
    expect(readStamp(file)).toEqual({ mtimeMs: 1_234_000, bundle: "abc" });
    writeFileSync(file, "{not json");
    expect(readStamp(file)).toBeUndefined();
    writeFileSync(file, '{"bundle":1}');
    expect(readStamp(file)).toBeUndefined();
  });

  it("a code cache file reads back only when its checksum matches, and pruning replaces older versions", () => {
    const data = Buffer.from("cached code bytes ".repeat(50));
    const old = join(dir, "x.cjs.0123.aaaa.bin");
    const other = join(dir, "y.cjs.4567.aaaa.bin");
    writeCodeCache(old, data);
    writeCodeCache(other, data);
    const file = join(dir, "x.cjs.0123.bbbb.bin");
    writeCodeCache(file, data);
    writeFileSync(join(dir, "x.cjs.0123.cccc.bin.123.tmp"), "a write in progress");
    pruneCodeCaches(dir, new Set(["x.cjs.0123.bbbb.bin", "y.cjs.4567.aaaa.bin"]));
    expect(readdirSync(dir).sort()).toEqual(["x.cjs.0123.bbbb.bin", "x.cjs.0123.cccc.bin.123.tmp", "y.cjs.4567.aaaa.bin"]);
    rmSync(join(dir, "x.cjs.0123.cccc.bin.123.tmp"));
    expect(readCodeCache(file)).toEqual(data);
    const raw = readFileSync(file);
    for (const at of [4, 100, raw.length - 1]) {
      const bad = Buffer.from(raw);
      bad[at] = (bad[at] as number) ^ 0xff;
      writeFileSync(file, bad);
      expect(readCodeCache(file)).toBeUndefined();
    }
    writeFileSync(file, raw.subarray(0, raw.length - 10));
    expect(readCodeCache(file)).toBeUndefined();
    writeFileSync(file, raw.subarray(0, 3));
    expect(readCodeCache(file)).toBeUndefined();
    expect(readCodeCache(join(dir, "missing.bin"))).toBeUndefined();
  });
});

describe("the launcher's bundle and code cache", () => {
  let build: string;
  const bundle = () => join(build, "generate.cjs");
  const stamp = () => join(build, "stamp.json");
  const caches = (name = "generate.cjs") => readdirSync(join(build, "v8")).filter((f) => f.startsWith(`${name}.`));
  /** `--check` through the launcher; `condition: false` leaves out `--conditions=o11y-dist`. */
  const run = (options: { condition?: boolean; env?: NodeJS.ProcessEnv } = {}) => {
    const flags = options.condition === false ? [] : ["--conditions=o11y-dist"];
    const r = spawnSync(process.execPath, [...flags, "scripts/generate/launcher.cjs", "--check"], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, O11Y_GITOPS_GENERATE_BUILD_DIR: build, ...options.env },
    });
    return { code: r.status, out: r.stdout, built: r.stderr.includes(BUILDING), err: r.stderr };
  };
  let first: ReturnType<typeof run>;
  beforeAll(() => {
    build = mkdtempSync(join(tmpdir(), "o11y-launcher-build-"));
    first = run();
  }, 120_000);
  afterAll(() => rmSync(build, { recursive: true, force: true }));

  it("a first run builds the bundle, its stamp and its code cache, and checks the committed tree", async () => {
    expect(first.built).toBe(true);
    expect(first.out).toMatch(/^generate --check: \d+ files up to date$/m);
    expect(first.code).toBe(0);
    expect(readStamp(stamp())?.bundle).toBe(sha256(readFileSync(bundle())));
    expect(caches()).toHaveLength(1);
    // Read as Latin-1 by the launcher (bundle.mjs's asciiComments).
    expect(isAscii(readFileSync(bundle()))).toBe(true);
    // kubernetes-models' format checkers are the lazy stand-ins (lazy-module.cjs), still imported where they were.
    const text = readFileSync(bundle(), "latin1");
    const { LAZY_MODULES } = (await import(String(new URL("../generate/bundle.mjs", import.meta.url)))) as { LAZY_MODULES: readonly string[] };
    expect(LAZY_MODULES.length).toBeGreaterThan(0);
    for (const m of LAZY_MODULES) expect(text).toContain(`\n// o11y-lazy:${m}\n`);
  });

  it("a run that writes a cache removes the caches no script of it uses (older builds' leftovers)", () => {
    const v8 = join(build, "v8");
    const current = caches()[0] as string;
    // An older version of the bundle's own cache (same path hash, another key), another bundle's, an old validator's.
    const older = current.replace(/\.[0-9a-f]{24}\.bin$/, ".000000000000000000000000.bin");
    expect(older).not.toBe(current);
    const stale = [older, "old-generate.cjs.0123456789abcdef.000000000000000000000000.bin", "loki.validate.cjs.0123456789abcdef.000000000000000000000000.bin"];
    for (const f of stale) writeFileSync(join(v8, f), "old");
    writeFileSync(join(v8, "notes.txt"), "not a cache");
    // Nothing written: nothing pruned.
    expect(run().code).toBe(0);
    expect(readdirSync(v8).sort()).toStrictEqual([...stale, current, "notes.txt"].sort());
    // A rejected cache is rewritten, and the leftovers go.
    writeCodeCache(join(v8, current), Buffer.from("not V8 cached data at all, but a valid checksum".repeat(20)));
    expect(run().code).toBe(0);
    expect(readdirSync(v8).sort()).toStrictEqual([current, "notes.txt"].sort());
    rmSync(join(v8, "notes.txt"));
  });

  it("the next run builds nothing and uses the cache", () => {
    const cache = join(build, "v8", caches()[0] as string);
    const before = statSync(cache).mtimeMs;
    const r = run();
    expect([r.built, r.code, r.out]).toEqual([false, 0, first.out]);
    expect(statSync(cache).mtimeMs).toBe(before);
  });

  // O11Y_GITOPS_GENERATE_REEXEC=1 marks a run as the re-exec already: one more miss of the condition is an error.
  const NOT_INSTALLED = "generate: @o11y-gitops/core does not resolve to its dist/ build; run `pnpm install` first\n";
  it("a current bundle runs without the export condition: it resolves nothing at run time", () => {
    const r = run({ condition: false, env: { O11Y_GITOPS_GENERATE_REEXEC: "1" } });
    expect([r.built, r.code, r.out]).toEqual([false, 0, first.out]);
  });

  it("before a build the workspace is checked with the export condition: re-exec'd once with it, then refused", () => {
    utimesSync(stamp(), 1, 1);
    expect(run({ condition: false, env: { O11Y_GITOPS_GENERATE_REEXEC: "1" } })).toEqual({ code: 2, out: "", built: false, err: NOT_INSTALLED });
    const r = run({ condition: false });
    expect([r.built, r.code, r.out]).toEqual([true, 0, first.out]);
  }, 120_000);

  const damages: [string, (raw: Buffer) => Buffer | undefined][] = [
    ["damaged (checksum)", (raw) => Buffer.concat([raw.subarray(0, 40), Buffer.from([(raw[40] as number) ^ 0xff]), raw.subarray(41)])],
    ["rejected by V8 (checksum right, data foreign)", () => undefined],
    ["truncated", (raw) => raw.subarray(0, 2)],
  ];
  it.each(damages)(
    "a %s code cache of the bundle is compiled from source and rewritten",
    (_what, damage) => {
      const name = "generate.cjs";
      const cache = join(build, "v8", caches(name)[0] as string);
      const bad = damage(readFileSync(cache));
      if (bad === undefined) writeCodeCache(cache, Buffer.from("not V8 cached data at all, but a valid checksum".repeat(20)));
      else writeFileSync(cache, bad);
      const r = run();
      expect([r.built, r.code, r.out]).toEqual([false, 0, first.out]);
      expect(caches(name)).toHaveLength(1);
      expect(readCodeCache(cache)?.length).toBeGreaterThan(1000);
      // …and the rewritten cache is accepted: the run after leaves it as it is.
      const rewritten = statSync(cache).mtimeMs;
      expect(run().code).toBe(0);
      expect(statSync(cache).mtimeMs).toBe(rewritten);
    },
    60_000,
  );

  it.each([
    ["a bundle that is not the stamp's (edited)", () => writeFileSync(bundle(), `${readFileSync(bundle(), "utf8")}\nprocess.exit(9);\n`)],
    ["a truncated bundle", () => truncateSync(bundle(), 1000)],
    ["a missing bundle", () => rmSync(bundle())],
    ["a stamp older than a source", () => utimesSync(stamp(), 1, 1)],
    ["a missing stamp", () => rmSync(stamp())],
  ])("%s is rebuilt, never run", (_what, spoil) => {
    spoil();
    const r = run();
    expect([r.built, r.code, r.out]).toEqual([true, 0, first.out]);
    expect(readStamp(stamp())?.bundle).toBe(sha256(readFileSync(bundle())));
  }, 120_000);
});

describe("copyChartSchemas (build.mjs): generated/dist holds the current schemas, not the old validators", () => {
  it("copies the schemas and removes the old validators and the schemas of dropped charts", async () => {
    const { copyChartSchemas } = (await import(String(new URL("../generate/build.mjs", import.meta.url)))) as { copyChartSchemas: (root: string) => number };
    const dir = mkdtempSync(join(tmpdir(), "o11y-schemas-"));
    try {
      const at = (p: string, text: string) => {
        mkdirSync(join(dir, p, ".."), { recursive: true });
        writeFileSync(join(dir, p), text);
      };
      at("generated/src/a.schema.json", "{}\n");
      at("generated/src/index.ts", "");
      for (const f of ["index.js", "index.d.ts", "index.js.map", ".tsbuildinfo", "data.json", "a.schema.json", "gone.schema.json", "a.validate.cjs", "a.validate.d.cts"]) at(`generated/dist/${f}`, "old");
      expect(copyChartSchemas(dir)).toBe(1);
      // tsc's outputs (any kind, e.g. a JSON module it copied) stay; the old validators and dropped schemas go.
      expect(readdirSync(join(dir, "generated/dist")).sort()).toStrictEqual([".tsbuildinfo", "a.schema.json", "data.json", "index.d.ts", "index.js", "index.js.map"]);
      expect(readFileSync(join(dir, "generated/dist/a.schema.json"), "utf8")).toBe("{}\n");
      expect(copyChartSchemas(dir)).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
