/**
 * Pack the publishable workspace packages with pnpm (which builds them first through their `prepack` script
 * and rewrites `workspace:` / `catalog:` ranges and `publishConfig`), and read the tarballs back to check
 * what a consumer would install.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface PackageManifest {
  name: string;
  version: string;
  private?: boolean;
  type?: string;
  sideEffects?: boolean;
  exports?: Record<string, unknown>;
  files?: string[];
  dependencies?: Record<string, string>;
  publishConfig?: Record<string, unknown>;
}

export interface WorkspacePackage {
  /** Folder relative to the repository root, e.g. `packages/core`. */
  dir: string;
  manifest: PackageManifest;
}

export interface PackedPackage extends WorkspacePackage {
  /** Absolute path of the .tgz. */
  tarball: string;
  /** Paths inside the tarball, without the leading `package/`. */
  files: string[];
  /** The package.json as packed (publishConfig applied, ranges rewritten). */
  packed: PackageManifest;
  /** README.md as packed ("" when missing). */
  readme: string;
  /** Every file of the tarball by path. */
  contents: ReadonlyMap<string, Buffer>;
}

/** Every non-private workspace package: generated/ and packages/*, sorted by folder. */
export function publishablePackages(root = REPO_ROOT): WorkspacePackage[] {
  const dirs = ["generated", ...readdirSync(join(root, "packages")).sort().map((d) => `packages/${d}`)];
  return dirs
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8")) as PackageManifest }))
    .filter((p) => p.manifest.private !== true);
}

/** The regular files of a .tgz (ustar, with pax `path` records), keyed by path without `package/`. */
export function readTarball(tgz: string): Map<string, Buffer> {
  const data = gunzipSync(readFileSync(tgz));
  const out = new Map<string, Buffer>();
  let paxPath: string | undefined;
  for (let off = 0; off + 512 <= data.length; ) {
    const header = data.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, len: number): string => header.subarray(start, start + len).toString("utf8").replace(/\0.*$/s, "");
    const size = parseInt(field(124, 12).trim() || "0", 8);
    const type = field(156, 1) || "0";
    const body = data.subarray(off + 512, off + 512 + size);
    const prefix = field(345, 155);
    const name = paxPath ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    if (type === "x") {
      const m = /\d+ path=([^\n]*)\n/.exec(body.toString("utf8"));
      paxPath = m?.[1];
    } else {
      if (type === "0") out.set(name.replace(/^package\//, ""), Buffer.from(body));
      paxPath = undefined;
    }
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

/** `pnpm pack` every publishable package into `dest`. Throws with pnpm's output when a pack fails. */
export function packWorkspace(dest: string, root = REPO_ROOT): PackedPackage[] {
  return publishablePackages(root).map((p) => {
    const r = spawnSync("pnpm", ["pack", "--pack-destination", dest, "--json"], {
      cwd: join(root, p.dir),
      encoding: "utf8",
      timeout: 120_000,
    });
    if (r.error) throw new Error(`pnpm pack in ${p.dir}: ${r.error.message}`);
    if (r.status !== 0) throw new Error(`pnpm pack in ${p.dir} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
    const json = JSON.parse(r.stdout.slice(r.stdout.indexOf("{"))) as { filename: string };
    const contents = readTarball(json.filename);
    const packedJson = contents.get("package.json");
    if (!packedJson) throw new Error(`${json.filename} has no package.json`);
    return {
      ...p,
      tarball: json.filename,
      files: [...contents.keys()].sort(),
      packed: JSON.parse(packedJson.toString("utf8")) as PackageManifest,
      readme: contents.get("README.md")?.toString("utf8") ?? "",
      contents,
    };
  });
}

/** Every string leaf of an exports map (the files a consumer can reach). */
export function exportTargets(exports: unknown): string[] {
  if (typeof exports === "string") return [exports];
  if (exports === null || typeof exports !== "object") return [];
  return Object.values(exports).flatMap(exportTargets);
}

/**
 * What is wrong with a packed package for a consumer, one message per problem ([] when fine): ranges
 * only a workspace understands, exports pointing at TypeScript sources or at files missing from the
 * tarball, a missing README or `sideEffects: false`, build metadata shipped.
 */
export function packProblems(p: PackedPackage): string[] {
  const problems: string[] = [];
  const files = new Set(p.files);
  for (const [dep, range] of Object.entries(p.packed.dependencies ?? {})) {
    if (/^(workspace|catalog|link|file):/.test(range)) problems.push(`dependency ${dep} has the range "${range}"`);
  }
  if (!p.packed.exports) problems.push("no exports map");
  for (const target of exportTargets(p.packed.exports)) {
    if (!target.startsWith("./dist/")) problems.push(`export target ${target} is not in dist/`);
    if (target.includes("*")) {
      const re = new RegExp(`^${target.slice(2).replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace("*", "[^/]+")}$`);
      if (!p.files.some((f) => re.test(f))) problems.push(`export pattern ${target} matches no file`);
    } else if (!files.has(target.slice(2))) problems.push(`export target ${target} is missing from the tarball`);
  }
  if (p.packed.sideEffects !== false) problems.push("sideEffects is not false");
  if (!files.has("README.md")) problems.push("no README.md");
  for (const f of p.files) if (f.endsWith(".tsbuildinfo")) problems.push(`ships build metadata ${f}`);
  if (p.packed.publishConfig !== undefined) problems.push("publishConfig was not applied");
  return problems;
}

const DECLARATION = (name: string): RegExp =>
  new RegExp(`^export (?:declare )?(?:abstract )?(?:function|const|let|class|interface|type|enum) ${name.replace(/\$/g, "\\$")}\\b`, "m");

function hasDocAbove(lines: readonly string[], index: number): boolean {
  let j = index - 1;
  while (j >= 0 && (lines[j] as string).trim() === "") j--;
  return j >= 0 && (lines[j] as string).trim().endsWith("*/");
}

/**
 * The public declarations of a packed package without a JSDoc comment, as `file: name` (and, with
 * `members`, `file: Interface.member` for the direct members of exported interfaces). Follows the entry
 * point's `export { … } from` and `export * from` chains through the shipped .d.ts files.
 */
export function undocumentedExports(contents: ReadonlyMap<string, Buffer>, entry = "dist/index.d.ts", members = true): string[] {
  const out = new Set<string>();
  const seen = new Set<string>();
  const text = (file: string): string => contents.get(file)?.toString("utf8") ?? "";
  const resolve = (from: string, spec: string): string => {
    const dir = from.split("/").slice(0, -1);
    for (const part of spec.replace(/\.js$/, ".d.ts").split("/")) {
      if (part === "..") dir.pop();
      else if (part !== ".") dir.push(part);
    }
    return dir.join("/");
  };
  const visit = (file: string, name: string | undefined): void => {
    const key = `${file}\u0000${name ?? "*"}`;
    if (seen.has(key)) return;
    seen.add(key);
    const src = text(file);
    const lines = src.split("\n");
    for (const m of src.matchAll(/^export (?:type )?\* from "([^"]+)";/gm)) {
      const target = resolve(file, m[1] as string);
      if (name === undefined) visit(target, undefined);
      else if (DECLARATION(name).test(text(target)) || new RegExp(`\\b${name}\\b`).test(text(target))) visit(target, name);
    }
    for (const m of src.matchAll(/^export (?:type )?\{([^}]*)\} from "([^"]+)";/gm)) {
      for (const raw of (m[1] as string).split(",")) {
        const spec = raw.trim().replace(/^type /, "");
        if (spec === "") continue;
        const [orig, alias] = spec.split(/\s+as\s+/) as [string, string | undefined];
        if (name === undefined || (alias ?? orig) === name) visit(resolve(file, m[2] as string), orig);
      }
    }
    lines.forEach((line, i) => {
      const d = /^export (?:declare )?(?:abstract )?(?:function|const|let|class|interface|type|enum) ([A-Za-z_$][\w$]*)/.exec(line);
      if (!d || (name !== undefined && d[1] !== name)) return;
      if (!hasDocAbove(lines, i)) out.add(`${file}: ${d[1]}`);
      if (!members || !/^export (?:declare )?interface /.test(line)) return;
      for (let j = i + 1; j < lines.length && !/^}/.test(lines[j] as string); j++) {
        const member = /^ {4}(?:readonly )?([A-Za-z_$][\w$]*)\??[:(]/.exec(lines[j] as string);
        if (member && !hasDocAbove(lines, j)) out.add(`${file}: ${d[1]}.${member[1]}`);
      }
    });
  };
  visit(entry, undefined);
  return [...out].sort();
}
