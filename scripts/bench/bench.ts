/**
 * `pnpm bench [--runs N] [--scale-runs N]`: measure the toolchain and print tables (markdown). Not a test: nothing fails,
 * the figures are compared with the targets and marked.
 *
 * - `pnpm generate` of the full tree, cold processes, into empty folders, beside the floor: a bare node
 *   process writing the same files (temp file + rename, like the writer) and nothing else. Interleaved runs,
 *   medians, their ratio. Also `pnpm generate --check` on the committed tree and `tsx scripts/generate/generate.ts`.
 * - codegen of all chart schemas (into a temp folder), `tsc -b` of a copy of the workspace (cold, then
 *   incremental), validation of all values and rendered objects (one cold process).
 * - scale: 1, 10, 100 and 300 stacks (clusters with different names) rendered and written by one process,
 *   `--check`ed, rendered in memory, and their files written bare; each point --scale-runs times (default 3),
 *   medians. The written trees stay until the end (see the scale section).
 *
 * Peak memory comes from `/usr/bin/time -f %M` when it exists, else from a preloaded exit hook
 * (`process.resourceUsage().maxRSS`, node processes only).
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statfsSync, symlinkSync, writeFileSync } from "node:fs";
import { cpus, release, tmpdir, totalmem, type } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { filesBelow } from "../_files.js";
import { generate as codegen } from "../schemas/codegen.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TIME = "/usr/bin/time";
const HAS_TIME = existsSync(TIME);
const WORKER = join(ROOT, ".tsbuild/scripts/scripts/bench/_bench-worker.js");
const TSC = join(ROOT, "node_modules/typescript/bin/tsc");
/** Stack counts of the scale runs (the issue's: 100 stacks, linear up to 300). */
const SCALE = [1, 10, 100, 300] as const;

interface Sample {
  ms: number;
  /** Peak resident set size in MiB, when measurable. */
  rssMb: number | undefined;
  stdout: string;
}

let scratch = "";

/** Run a command to completion, timing the wall clock around it and reading its peak RSS. */
function measure(cmd: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Sample {
  const rssFile = join(scratch, `rss-${process.hrtime.bigint()}`);
  let argv = [cmd, ...args];
  let env = { ...process.env, ...options.env };
  if (HAS_TIME) argv = [TIME, "-f", "%M", "-o", rssFile, ...argv];
  else env = { ...env, NODE_OPTIONS: `--require=${join(scratch, "rss-hook.cjs")}`, BENCH_RSS_FILE: rssFile };
  const t0 = performance.now();
  const r = spawnSync(argv[0] as string, argv.slice(1), { cwd: options.cwd ?? ROOT, env, encoding: "utf8", maxBuffer: 64 << 20 });
  const ms = performance.now() - t0;
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${argv.join(" ")} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  let rssMb: number | undefined;
  if (existsSync(rssFile)) {
    const kb = Math.max(...readFileSync(rssFile, "utf8").trim().split("\n").map((l) => Number(l.trim().split(/\s+/).pop())).filter(Number.isFinite));
    rssMb = Number.isFinite(kb) ? kb / 1024 : undefined;
  }
  return { ms, rssMb, stdout: r.stdout };
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
const maxOf = (xs: readonly (number | undefined)[]): number | undefined => {
  const ok = xs.filter((x): x is number => x !== undefined);
  return ok.length ? Math.max(...ok) : undefined;
};
const ms = (x: number): string => (x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`);
const mb = (x: number | undefined): string => (x === undefined ? "n/a" : `${x.toFixed(0)} MiB`);
const mark = (ok: boolean): string => (ok ? "✅" : "❌");

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  return [`| ${headers.join(" | ")} |`, `|${headers.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
}

/**
 * The floor: write these files (temp file + rename, as core's writer does) and nothing else, `copies` times
 * (default once) into <out>/<i>/; prints the time the writes took and the number of files, as JSON.
 */
const FLOOR = `import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
const [payload, out, copies = "1"] = process.argv.slice(2);
const files = Object.entries(JSON.parse(readFileSync(payload, "utf8")));
const t = performance.now();
for (let i = 0; i < Number(copies); i++) {
  for (const [path, content] of files) {
    const target = join(out, String(i), path);
    mkdirSync(dirname(target), { recursive: true });
    const tmp = join(dirname(target), "." + path.split("/").pop() + "." + process.pid + ".tmp");
    writeFileSync(tmp, content);
    renameSync(tmp, target);
  }
}
process.stdout.write(JSON.stringify({ writeMs: performance.now() - t, files: files.length * Number(copies) }) + "\\n");
`;

/**
 * A copy of the workspace sources for a cold `tsc -b`: packages' node_modules links kept verbatim, the root
 * node_modules linked entry by entry except the workspace packages, which point at the copy.
 */
function copyWorkspace(dest: string): void {
  const skip = new Set(["node_modules", "dist", ".tsbuild", ".git"]);
  // the rendered tree and the downloaded chart schemas, at the top level only (scripts/schemas/ is source)
  const topSkip = new Set(["kubernetes", "docker", "schemas"]);
  cpSync(ROOT, dest, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (src) => {
      const rel = relative(ROOT, src);
      if (rel === "") return true;
      const parts = rel.split("/");
      if (parts[0] === "node_modules") return false;
      // a package's own node_modules (symlinks into the root store and to sibling packages) is kept
      if (parts.length >= 3 && parts[2] === "node_modules") return true;
      return !topSkip.has(parts[0] as string) && !parts.some((p) => skip.has(p));
    },
  });
  const nm = join(dest, "node_modules");
  mkdirSync(join(nm, "@o11y-gitops"), { recursive: true });
  for (const e of readdirSync(join(ROOT, "node_modules"))) {
    if (e !== "@o11y-gitops") symlinkSync(join(ROOT, "node_modules", e), join(nm, e));
  }
  for (const e of readdirSync(join(ROOT, "node_modules/@o11y-gitops"))) {
    const link = join(ROOT, "node_modules/@o11y-gitops", e);
    symlinkSync(join(dest, relative(ROOT, realpathSync(link))), join(nm, "@o11y-gitops", e));
  }
}

async function main(argv: readonly string[]): Promise<void> {
  // Sub-mode: one cold codegen process (`tsx scripts/bench/bench.ts --codegen-into <dir>`).
  const into = argv.indexOf("--codegen-into");
  if (into >= 0) {
    const names = await codegen(argv[into + 1] as string);
    process.stdout.write(`${names.length}\n`);
    return;
  }
  const runsArg = argv.indexOf("--runs");
  const runs = runsArg >= 0 ? Number(argv[runsArg + 1]) : 10;
  const scaleArg = argv.indexOf("--scale-runs");
  const scaleRuns = scaleArg >= 0 ? Number(argv[scaleArg + 1]) : 3;
  if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(scaleRuns) || scaleRuns < 1) throw new Error("usage: pnpm bench [--runs N] [--scale-runs N]");

  scratch = mkdtempSync(join(tmpdir(), "o11y-gitops-bench-"));
  writeFileSync(
    join(scratch, "rss-hook.cjs"),
    `process.on("exit", () => require("fs").appendFileSync(process.env.BENCH_RSS_FILE, process.resourceUsage().maxRSS + "\\n"));\n`,
  );
  try {
    const pnpmVersion = spawnSync("pnpm", ["--version"], { encoding: "utf8" }).stdout.trim();
    const cpu = cpus();
    process.stdout.write(
      `# pnpm bench\n\nMachine: ${cpu[0]?.model ?? "?"} × ${cpu.length} CPUs, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ` +
        `${type()} ${release()}, node ${process.version}, pnpm ${pnpmVersion}. Peak memory: ${HAS_TIME ? "/usr/bin/time -f %M" : "process.resourceUsage().maxRSS"}.\n\n`,
    );

    // Warm-up: builds what is stale, writes the validators' code cache; its output is the floor's payload.
    const warm = join(scratch, "warm");
    measure("pnpm", ["generate", "--out", warm]);
    const payload = Object.fromEntries(filesBelow(warm).map((p) => [relative(warm, p), readFileSync(p, "utf8")]));
    writeFileSync(join(scratch, "payload.json"), JSON.stringify(payload));
    writeFileSync(join(scratch, "floor.mjs"), FLOOR);
    const fileCount = Object.keys(payload).length;

    // 1. generate vs floor, interleaved so both see the same machine load.
    const gen: Sample[] = [];
    const floor: Sample[] = [];
    for (let i = 0; i < runs; i++) {
      gen.push(measure("pnpm", ["generate", "--out", join(scratch, `gen-${i}`)]));
      floor.push(measure(process.execPath, [join(scratch, "floor.mjs"), join(scratch, "payload.json"), join(scratch, `floor-${i}`)]));
    }
    for (let i = 0; i < runs; i++) {
      const a = filesBelow(join(scratch, `gen-${i}`)).length;
      const b = filesBelow(join(scratch, `floor-${i}`)).length;
      if (a !== fileCount || b !== fileCount) throw new Error(`run ${i}: generate wrote ${a} files, the floor ${b}, expected ${fileCount}`);
    }
    const check: Sample[] = [];
    for (let i = 0; i < Math.min(runs, 5); i++) check.push(measure("pnpm", ["generate", "--check"]));
    const viaTsx: Sample[] = [];
    for (let i = 0; i < Math.min(runs, 3); i++) {
      viaTsx.push(measure(join(ROOT, "node_modules/.bin/tsx"), ["scripts/generate/generate.ts", "--out", join(scratch, `tsx-${i}`)]));
    }
    const gMed = median(gen.map((s) => s.ms));
    const fMed = median(floor.map((s) => s.ms));
    const ratio = gMed / fMed;
    const genRss = maxOf(gen.map((s) => s.rssMb));
    const row = (what: string, s: readonly Sample[]): string[] => [
      what,
      String(s.length),
      ms(median(s.map((x) => x.ms))),
      ms(Math.min(...s.map((x) => x.ms))),
      mb(maxOf(s.map((x) => x.rssMb))),
    ];
    process.stdout.write(
      `## Generate (cold processes, ${fileCount} files)\n\n` +
        table(
          ["command", "runs", "median", "min", "peak RSS"],
          [
            row("`pnpm generate --out <empty dir>`", gen),
            row("floor: `node floor.mjs` (writes the same files)", floor),
            row("`pnpm generate --check` (committed tree)", check),
            row("`tsx scripts/generate/generate.ts --out <empty dir>` (from source)", viaTsx),
          ],
        ) +
        `\n\nRatio generate / floor (medians): **${ratio.toFixed(1)}×**\n\n`,
    );

    // 2. codegen, tsc -b, validation.
    const codegenRun = measure(join(ROOT, "node_modules/.bin/tsx"), ["scripts/bench/bench.ts", "--codegen-into", join(scratch, "codegen")]);
    const generatedFiles = readdirSync(join(ROOT, "generated/src")).length;
    if (Number(codegenRun.stdout.trim()) !== generatedFiles) throw new Error(`codegen wrote ${codegenRun.stdout.trim()} files, generated/src has ${generatedFiles}`);
    const ws = join(scratch, "workspace");
    copyWorkspace(ws);
    const tscCold = measure(process.execPath, [TSC, "-b"], { cwd: ws });
    const tscWarm = measure(process.execPath, [TSC, "-b"], { cwd: ws });
    const validate = measure(process.execPath, ["--conditions=o11y-dist", WORKER, "validate"]);
    const v = JSON.parse(validate.stdout) as Record<string, number>;
    process.stdout.write(
      `## Toolchain\n\n` +
        table(
          ["step", "time", "peak RSS", "note"],
          [
            ["codegen of all chart schemas (`tsx`, cold process)", ms(codegenRun.ms), mb(codegenRun.rssMb), `${generatedFiles} files`],
            ["`tsc -b` of the workspace, cold (empty dist/)", ms(tscCold.ms), mb(tscCold.rssMb), "copy of the sources"],
            ["`tsc -b` again, nothing changed", ms(tscWarm.ms), mb(tscWarm.rssMb), ""],
            ["values validation (schemaValidator), first use", ms(v["valuesMs"] ?? NaN), "", `${v["values"]} charts, schemas loaded cold`],
            ["Kubernetes object validation (kubernetes-models)", ms(v["k8sMs"] ?? NaN), "", `${v["objects"]} objects parsed back from the files`],
            ["security policy on the rendered tree", ms(v["policyMs"] ?? NaN), "", `${v["files"]} files`],
            ["the validation process as a whole", ms(validate.ms), mb(validate.rssMb), "cold node process on dist/"],
          ],
        ) +
        "\n\n",
    );

    // 3. scale: N stacks in one process, beside the bare writes of the same files (what the disk alone costs).
    const scale: { n: number; sample: Sample; renderMs: number; checkMs: number; memoryMs: number; floorMs: number }[] = [];
    /** One run of the bench worker (`mode` and its arguments): the sample and its JSON line. */
    const worker = (...args: string[]) => {
      const sample = measure(process.execPath, ["--conditions=o11y-dist", WORKER, ...args]);
      return { sample, out: JSON.parse(sample.stdout) as { renderMs: number; files: number } };
    };
    const expectFiles = (what: string, got: number, want: number): void => {
      if (got !== want) throw new Error(`${what}: ${got} files, expected ${want}`);
    };
    // Each point `scaleRuns` times, rounds interleaved (one noisy moment spoils one sample, not a point); the
    // medians are reported, and the largest peak RSS.
    const points = SCALE.map((n) => ({ n, samples: [] as Sample[], renderMs: [] as number[], checkMs: [] as number[], memoryMs: [] as number[], floorMs: [] as number[] }));
    // The written trees are kept until the bench ends: on a file system that discards freed blocks (ext4
    // mounted with `discard`, as on the Firecracker VMs here), creating files right after deleting thousands
    // was measured ~10x slower (0.3 ms instead of 0.03 ms a file), for a time; deleting between points made
    // every later write pay for the bench's own cleanup. Only when the disk lacks room for them all are the
    // trees deleted as the bench goes, and the output says so.
    const stacksWritten = 2 * scaleRuns * SCALE.reduce((a, b) => a + b, 0);
    const fs = statfsSync(scratch);
    // a block of the file system at least for each file and for each folder of a stack
    const folders = new Set(Object.keys(payload).flatMap((p) => p.split("/").slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join("/"))));
    const blocks = (bytes: number) => Math.max(1, Math.ceil(bytes / fs.bsize)) * fs.bsize;
    const needBytes = stacksWritten * (Object.values(payload).reduce((sum, c) => sum + blocks(Buffer.byteLength(c)), 0) + (folders.size + 1) * fs.bsize);
    const needInodes = stacksWritten * (Object.keys(payload).length + folders.size + 1);
    // (a file system that does not count inodes reports none at all)
    const keepTrees = fs.bavail * fs.bsize > 2 * needBytes && (fs.files === 0 || fs.ffree > 2 * needInodes);
    for (let round = 0; round < scaleRuns; round++) {
      for (const p of points) {
        const { n } = p;
        const dir = join(scratch, `scale-${n}-${round}`);
        const floorDir = join(scratch, `floor-${n}-${round}`);
        const { sample, out } = worker("scale", String(n), dir);
        expectFiles(`scale ${n}`, out.files, n * (fileCount - 1));
        const checked = worker("scale", String(n), dir, "--check").out;
        expectFiles(`scale ${n} --check`, checked.files, out.files);
        if (!keepTrees) rmSync(dir, { recursive: true, force: true });
        const inMemory = worker("render", String(n)).out;
        expectFiles(`render ${n}`, inMemory.files, out.files);
        const floorOut = JSON.parse(measure(process.execPath, [join(scratch, "floor.mjs"), join(scratch, "payload.json"), floorDir, String(n)]).stdout) as { writeMs: number; files: number };
        expectFiles(`floor ${n}`, floorOut.files, n * fileCount);
        if (!keepTrees) rmSync(floorDir, { recursive: true, force: true });
        p.samples.push(sample);
        p.renderMs.push(out.renderMs);
        p.checkMs.push(checked.renderMs);
        p.memoryMs.push(inMemory.renderMs);
        p.floorMs.push(floorOut.writeMs);
      }
    }
    for (const p of points) {
      const sample: Sample = { ms: median(p.samples.map((x) => x.ms)), rssMb: maxOf(p.samples.map((x) => x.rssMb)), stdout: "" };
      scale.push({ n: p.n, sample, renderMs: median(p.renderMs), checkMs: median(p.checkMs), memoryMs: median(p.memoryMs), floorMs: median(p.floorMs) });
    }
    const at = (n: number) => scale.find((s) => s.n === n) as (typeof scale)[number];
    const marginal = (a: number, b: number, key: "renderMs" | "checkMs" | "memoryMs" | "floorMs" = "renderMs") => (at(b)[key] - at(a)[key]) / (b - a);
    const marginal10 = marginal(1, 10);
    const marginal100 = marginal(10, 100);
    const marginal300 = marginal(100, 300);
    process.stdout.write(
      `## Scale (one process renders, validates and writes N stacks: clusters with different names and domains; medians of ${scaleRuns} runs, largest peak RSS)\n\n` +
        (keepTrees
          ? `Every tree written is kept until the bench ends (${mb(needBytes / 2 ** 20)} on disk), so no write follows a mass delete.\n\n`
          : `**Too little disk space or too few free inodes to keep the ${mb(needBytes / 2 ** 20)} (${needInodes} files and folders) of trees: each is deleted after its run, so later writes may pay for reusing freed space.**\n\n`) +
        table(
          ["stacks", "process time", "render+write", "per stack", "render+check (reads only)", "render in memory (no file system)", "bare writes of the same files", "peak RSS", "peak RSS per stack"],
          scale.map((s) => [
            String(s.n),
            ms(s.sample.ms),
            ms(s.renderMs),
            ms(s.renderMs / s.n),
            ms(s.checkMs),
            ms(s.memoryMs),
            ms(s.floorMs),
            mb(s.sample.rssMb),
            s.sample.rssMb === undefined ? "n/a" : `${(s.sample.rssMb / s.n).toFixed(1)} MiB`,
          ]),
        ) +
        `\n\nMarginal cost per stack: ${ms(marginal10)} (1→10), ${ms(marginal100)} (10→100), ${ms(marginal300)} (100→300); ` +
        `of it the bare writes of its ${fileCount} files: ${ms(marginal(10, 100, "floorMs"))} (10→100). ` +
        `Render in memory with every check (no file system): ${ms(marginal(1, 10, "memoryMs"))} (1→10), ${ms(marginal(10, 100, "memoryMs"))} (10→100), ${ms(marginal(100, 300, "memoryMs"))} (100→300). ` +
        `Render+check of a written tree (no writes): ${ms(marginal(1, 10, "checkMs"))} (1→10), ${ms(marginal(10, 100, "checkMs"))} (10→100), ${ms(marginal(100, 300, "checkMs"))} (100→300). ` +
        `Peak RSS ${mb(at(1).sample.rssMb)} → ${mb(at(100).sample.rssMb)} → ${mb(at(300).sample.rssMb)} for 1 → 100 → 300 stacks.\n\n`,
    );

    const checkMed = median(check.map((s) => s.ms));
    const checkRatio = checkMed / fMed;
    const linear = marginal300 <= marginal100 * 1.5 && marginal100 <= marginal10 * 1.5;
    const rss100 = at(100).sample.rssMb;
    process.stdout.write(
      `## Targets (issue 16)\n\n` +
        table(
          ["target", "measured", ""],
          [
            ["`pnpm generate` within 2× of the floor (median ratio)", `${ratio.toFixed(1)}× (${ms(gMed)} vs ${ms(fMed)})`, mark(ratio <= 2)],
            ["`pnpm generate --check` within 2× of the floor", `${checkRatio.toFixed(1)}× (${ms(checkMed)} vs ${ms(fMed)})`, mark(checkRatio <= 2)],
            ["peak memory of `pnpm generate` < 150 MiB", mb(genRss), mark(genRss !== undefined && genRss < 150)],
            ["100 stacks in one process: marginal cost < 10 ms per stack (10→100)", ms(marginal100), mark(marginal100 < 10)],
            ["the same, `--check` of the written stacks (reads, no writes)", ms(marginal(10, 100, "checkMs")), mark(marginal(10, 100, "checkMs") < 10)],
            ["the same, rendered in memory with every check (no file system)", ms(marginal(10, 100, "memoryMs")), mark(marginal(10, 100, "memoryMs") < 10)],
            ["linear up to 300 stacks (each step's marginal ≤ 1.5× the one before)", `${ms(marginal10)} → ${ms(marginal100)} → ${ms(marginal300)}`, mark(linear)],
            ["peak RSS of 100 stacks in one process < 150 MiB", mb(rss100), mark(rss100 !== undefined && rss100 < 150)],
            ["codegen < 5 s", ms(codegenRun.ms), mark(codegenRun.ms < 5000)],
            ["`tsc -b` < 5 s (cold)", ms(tscCold.ms), mark(tscCold.ms < 5000)],
          ],
        ) +
        "\n",
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main(process.argv.slice(2));
