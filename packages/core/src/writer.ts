import { randomBytes } from "node:crypto";
import { mkdir, readFile, readdir, rename, rm, rmdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { createTwoFilesPatch } from "diff";
import type { FileSet } from "./fileset.js";

/** The ownership index: which paths the last `generate` wrote (and may therefore prune). */
export const OWNERSHIP_INDEX = ".generated-files.json";

interface OwnershipIndex {
  generatedBy: string;
  /** Regenerated files, owned and pruned by the generator. */
  files: string[];
  /** Seed-once files (secrets): created by the generator, owned by the user afterwards. */
  seeded: string[];
}

/** One difference between the rendered FileSet and the tree on disk, with its unified diff. */
export type Change =
  | { kind: "create"; path: string; diff: string }
  | { kind: "update"; path: string; diff: string }
  | { kind: "prune"; path: string; diff: string };

/** What `apply` would do to the tree (from `plan`: reads only). */
export interface Plan {
  /** Files to create, update or prune, in path order. */
  changes: Change[];
  /** Seeded secret files that exist but are not SOPS-encrypted yet. */
  unencryptedSecrets: string[];
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

async function readIndex(root: string): Promise<OwnershipIndex | undefined> {
  const text = await readIfExists(join(root, OWNERSHIP_INDEX));
  if (text === undefined) return undefined;
  const parsed = JSON.parse(text) as Partial<OwnershipIndex>;
  return { generatedBy: String(parsed.generatedBy ?? ""), files: parsed.files ?? [], seeded: parsed.seeded ?? [] };
}

function indexContent(files: FileSet): string {
  const index: OwnershipIndex = {
    generatedBy: "pnpm generate (o11y-gitops); files listed here are pruned when no longer produced",
    files: [...files.values()].filter((f) => f.role === "generated").map((f) => f.path).sort(),
    seeded: [...files.values()].filter((f) => f.role === "seed-once").map((f) => f.path).sort(),
  };
  return `${JSON.stringify(index, null, 2)}\n`;
}

/** True when a YAML or dotenv file carries SOPS metadata (it has been encrypted by the user). */
export function isSopsEncrypted(content: string): boolean {
  const yaml = /^sops:\s*$/m.test(content) && /^\s+mac:\s*ENC\[/m.test(content);
  const dotenv = /^sops_mac=ENC\[/m.test(content);
  return yaml || dotenv;
}

function unified(path: string, before: string, after: string): string {
  return createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after, undefined, undefined, { context: 3 });
}

/**
 * Compare the rendered FileSet with the tree under `root`. Generated files are compared byte for byte;
 * seed-once files only for existence; owned files no longer produced are pruned. Reads only.
 */
export async function plan(root: string, files: FileSet): Promise<Plan> {
  const withIndex = new Map(files);
  withIndex.set(OWNERSHIP_INDEX, { path: OWNERSHIP_INDEX, content: indexContent(files), role: "generated" });
  const changes: Change[] = [];
  const unencryptedSecrets: string[] = [];
  for (const f of withIndex.values()) {
    const current = await readIfExists(join(root, f.path));
    if (current === undefined) {
      changes.push({ kind: "create", path: f.path, diff: unified(f.path, "", f.content) });
    } else if (f.role === "seed-once") {
      if (!isSopsEncrypted(current)) unencryptedSecrets.push(f.path);
    } else if (current !== f.content) {
      changes.push({ kind: "update", path: f.path, diff: unified(f.path, current, f.content) });
    }
  }
  const previous = await readIndex(root);
  for (const path of previous?.files ?? []) {
    if (withIndex.has(path) || path === OWNERSHIP_INDEX) continue;
    const current = await readIfExists(join(root, path));
    if (current !== undefined) changes.push({ kind: "prune", path, diff: unified(path, current, "") });
  }
  for (const f of files.values()) {
    if (f.role === "seed-once" && changes.some((c) => c.kind === "create" && c.path === f.path)) {
      unencryptedSecrets.push(f.path);
    }
  }
  changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  unencryptedSecrets.sort();
  return { changes, unencryptedSecrets };
}

/** Write `content` to `path` atomically: a temp file in the same folder, then rename over the target. */
export async function writeAtomic(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writeFile(tmp, content, { encoding: "utf8", flag: "wx" });
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * Apply a plan: create/update via temp file + rename, prune only owned files (then their folders if
 * empty), and write the ownership index last. Never touches files it does not own; never overwrites a
 * seed-once file that exists.
 */
export async function apply(root: string, files: FileSet, planned: Plan): Promise<void> {
  const content = new Map([...files.values()].map((f) => [f.path, f.content]));
  content.set(OWNERSHIP_INDEX, indexContent(files));
  for (const change of planned.changes) {
    if (change.kind === "prune" || change.path === OWNERSHIP_INDEX) continue;
    await writeAtomic(join(root, change.path), content.get(change.path)!);
  }
  for (const change of planned.changes) {
    if (change.kind !== "prune") continue;
    await rm(join(root, change.path), { force: true });
    await removeEmptyParents(root, dirname(change.path));
  }
  if (planned.changes.some((c) => c.path === OWNERSHIP_INDEX)) {
    await writeAtomic(join(root, OWNERSHIP_INDEX), content.get(OWNERSHIP_INDEX)!);
  }
}

async function removeEmptyParents(root: string, rel: string): Promise<void> {
  let dir = rel;
  while (dir !== "." && dir !== "" && dir !== "/") {
    const abs = join(root, dir);
    let entries: string[];
    try {
      entries = await readdir(abs);
    } catch {
      return;
    }
    if (entries.length > 0) return;
    await rmdir(abs);
    dir = dirname(dir);
  }
}
