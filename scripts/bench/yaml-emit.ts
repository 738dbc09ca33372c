/**
 * `tsx scripts/bench/yaml-emit.ts [iterations]`: time core's YAML emitter (`yamlFile`) on the documents of
 * the committed tree (every `.yaml` file under kubernetes/ and docker/, read back with `parseYaml` 1.2, its
 * `# ` header lines kept). Not a test: it prints figures. Each file is first checked to come out of
 * `yamlFile` byte-identical (a file that does not is reported and left out of the timings).
 *
 * Prints the first pass over all files in this (cold) process, then the median and minimum of
 * `iterations` warm passes (default 200), in ms per pass and per file.
 */
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseYaml, yamlFile } from "@o11y-gitops/core";
import { filesBelow } from "../_files.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

const yamlFiles = (dir: string): string[] => filesBelow(dir).filter((p) => p.endsWith(".yaml"));

interface Input {
  path: string;
  content: string;
  header: string[];
  docs: unknown[];
}

function inputs(): Input[] {
  const out: Input[] = [];
  for (const path of [...yamlFiles(join(ROOT, "kubernetes")), ...yamlFiles(join(ROOT, "docker"))]) {
    const content = readFileSync(path, "utf8");
    const header: string[] = [];
    for (const line of content.split("\n")) {
      if (line === "#") header.push("");
      else if (line.startsWith("# ")) header.push(line.slice(2));
      else break;
    }
    out.push({ path: relative(ROOT, path), content, header, docs: parseYaml(content, "1.2") });
  }
  return out;
}

function pass(files: readonly Input[]): number {
  const t = performance.now();
  for (const f of files) yamlFile(f.header, f.docs);
  return performance.now() - t;
}

const iterations = Number(process.argv[2] ?? 200);
if (!Number.isInteger(iterations) || iterations < 1) throw new Error("usage: yaml-emit.ts [iterations]");
const all = inputs();
// cold: the first pass in this process (also the byte-identity check, outside the timing)
const coldMs = pass(all);
const files = all.filter((f) => {
  const same = yamlFile(f.header, f.docs) === f.content;
  if (!same) console.log(`not byte-identical, left out: ${f.path}`);
  return same;
});
const bytes = files.reduce((n, f) => n + f.content.length, 0);
const warm: number[] = [];
for (let i = 0; i < iterations; i++) warm.push(pass(files));
warm.sort((a, b) => a - b);
const median = warm[Math.floor(warm.length / 2)]!;
const fmt = (ms: number): string => ms.toFixed(3);
console.log(`yamlFile over ${files.length}/${all.length} files (${bytes} chars)`);
console.log(`cold first pass: ${fmt(coldMs)} ms`);
console.log(`warm (${iterations} passes): median ${fmt(median)} ms, min ${fmt(warm[0]!)} ms, median per file ${fmt(median / files.length)} ms`);
