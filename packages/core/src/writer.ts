import { randomBytes } from "node:crypto";
import { mkdir, readFile, readdir, rename, rm, rmdir, writeFile } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { createTwoFilesPatch } from "diff";
import { parseAllDocuments } from "yaml";
import { byCodeUnits, isInsideRoot, type FileSet, type RenderedFile } from "./fileset.js";

/** The ownership index: which paths the last `generate` wrote (and may therefore prune). */
export const OWNERSHIP_INDEX = ".generated-files.json";

interface OwnershipIndex {
  generatedBy: string;
  /** Regenerated files, owned and pruned by the generator. */
  files: string[];
  /** Seed-once files (secrets): created by the generator, owned by the user afterwards. */
  seeded: string[];
}

/**
 * One difference between the rendered FileSet and the tree on disk: a unified diff for files the
 * generator writes, a message for a seeded file whose shape (name, namespace, keys) no longer matches
 * the generator's skeleton (never overwritten: the user edits or deletes it).
 */
export type Change =
  | { kind: "create"; path: string; diff: string }
  | { kind: "update"; path: string; diff: string }
  | { kind: "prune"; path: string; diff: string }
  | { kind: "reshape"; path: string; message: string };

/** What `apply` would do to the tree (from `plan`: reads only). */
export interface Plan {
  /** Files to create, update or prune, and seeded files to reshape by hand, in path order. */
  changes: Change[];
  /** Seeded secret files that exist but are not SOPS-encrypted yet. */
  unencryptedSecrets: string[];
}

/** The ownership index cannot be trusted (bad JSON, wrong shape, a path outside the root): invalid input. */
export class InvalidIndexError extends Error {
  constructor(detail: string) {
    super(`${OWNERSHIP_INDEX}: ${detail}`);
    this.name = "InvalidIndexError";
  }
}

/** A file or folder of the tree could not be read or written. `path` is relative to the output root. */
export class TreeIoError extends Error {
  readonly path: string;
  constructor(path: string, cause: unknown) {
    super(`${path}: ${describeIoError(cause)}`, { cause });
    this.name = "TreeIoError";
    this.path = path;
  }
}

/** `EISDIR: illegal operation on a directory (read)` from a Node system error, without absolute paths. */
export function describeIoError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const { code, syscall } = err as NodeJS.ErrnoException;
  if (typeof code !== "string") return err.message;
  let text = err.message.startsWith(`${code}: `) ? err.message.slice(code.length + 2) : err.message;
  if (syscall) {
    const at = text.indexOf(`, ${syscall}`);
    if (at >= 0) text = text.slice(0, at);
    return `${code}: ${text} (${syscall})`;
  }
  return `${code}: ${text}`;
}

/** Run one file-system operation on `path` (relative to the root), tagging any failure with it. */
async function io<T>(path: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    throw err instanceof TreeIoError ? err : new TreeIoError(path, err);
  }
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

/** True when `path` (already checked with isInsideRoot) still lands inside `root` once resolved. */
function resolvesInside(root: string, path: string): boolean {
  const rel = relative(resolve(root), resolve(root, path));
  return rel !== "" && !isAbsolute(rel) && rel.split(/[\\/]/)[0] !== "..";
}

/**
 * Read and check the ownership index. Its entries decide what gets deleted, so every one must be a
 * normalised relative path inside the root; anything else (or bad JSON) throws InvalidIndexError.
 */
async function readIndex(root: string): Promise<OwnershipIndex | undefined> {
  const text = await io(OWNERSHIP_INDEX, () => readIfExists(join(root, OWNERSHIP_INDEX)));
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new InvalidIndexError(`not valid JSON (${(err as Error).message})`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new InvalidIndexError('must be a JSON object with "files" and "seeded" arrays');
  }
  const record = parsed as Record<string, unknown>;
  const lists: Record<"files" | "seeded", string[]> = { files: [], seeded: [] };
  for (const key of ["files", "seeded"] as const) {
    const list = record[key];
    if (!Array.isArray(list) || !list.every((e): e is string => typeof e === "string")) {
      throw new InvalidIndexError(`"${key}" must be an array of strings`);
    }
    for (const entry of list) {
      if (!isInsideRoot(entry) || !resolvesInside(root, entry)) {
        throw new InvalidIndexError(`${key} entry ${JSON.stringify(entry)} is not a relative path inside the output root`);
      }
    }
    lists[key] = list;
  }
  const generatedBy = typeof record["generatedBy"] === "string" ? record["generatedBy"] : "";
  return { generatedBy, ...lists };
}

function indexContent(files: FileSet): string {
  const index: OwnershipIndex = {
    generatedBy: "pnpm generate (o11y-gitops); files listed here are pruned when no longer produced",
    files: [...files.values()].filter((f) => f.role === "generated").map((f) => f.path).sort(byCodeUnits),
    seeded: [...files.values()].filter((f) => f.role === "seed-once").map((f) => f.path).sort(byCodeUnits),
  };
  return `${JSON.stringify(index, null, 2)}\n`;
}

/** True when a YAML or dotenv file carries SOPS metadata (it has been encrypted by the user). */
export function isSopsEncrypted(content: string): boolean {
  const yaml = /^sops:\s*$/m.test(content) && /^\s+mac:\s*ENC\[/m.test(content);
  const dotenv = /^sops_mac=ENC\[/m.test(content);
  return yaml || dotenv;
}

/** What the generator owns in a seeded file: a Secret's name, namespace and keys, or a dotenv's names. */
interface SeedShape {
  name?: unknown;
  namespace?: unknown;
  keys: string[];
  /** Annotations under the generator's own prefix (e.g. the config fingerprint of objstore.yml). */
  owned?: Record<string, unknown>;
}

/** Annotations with this prefix belong to the generator and are part of a seeded Secret's shape. */
const OWNED_ANNOTATION_PREFIX = "o11y-gitops/";

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The one YAML document of `text`; throws with the parser's message if there is not exactly one. */
function singleYamlDocument(text: string): unknown {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) throw new Error("no YAML document");
  const first = docs.flatMap((d) => d.errors)[0];
  if (first) throw new Error(first.message.split("\n")[0]);
  const withContent = docs.filter((d) => d.contents !== null);
  if (withContent.length !== 1) throw new Error(`${withContent.length} YAML documents, expected 1`);
  return withContent[0]!.toJS();
}

function secretShape(doc: unknown): SeedShape | undefined {
  if (!isRecord(doc) || doc["kind"] !== "Secret") return undefined;
  const meta = isRecord(doc["metadata"]) ? doc["metadata"] : {};
  const keys = new Set<string>();
  for (const field of ["data", "stringData"]) {
    const map = doc[field];
    if (isRecord(map)) for (const k of Object.keys(map)) keys.add(k);
  }
  const annotations = isRecord(meta["annotations"]) ? meta["annotations"] : {};
  const owned = Object.fromEntries(
    Object.entries(annotations)
      .filter(([k]) => k.startsWith(OWNED_ANNOTATION_PREFIX))
      .sort(([a], [b]) => byCodeUnits(a, b)),
  );
  return { name: meta["name"], namespace: meta["namespace"], keys: [...keys].sort(byCodeUnits), owned };
}

/** Variable names of a dotenv file (comments, blank lines and SOPS' `sops_*` metadata skipped). */
function dotenvKeys(text: string): string[] {
  const keys = new Set<string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    const key = (eq < 0 ? line : line.slice(0, eq)).trim();
    if (!key.startsWith("sops_")) keys.add(key);
  }
  return [...keys].sort(byCodeUnits);
}

const RESEED = "edit the file (sops edit) or delete it to re-seed";

/**
 * Compare an existing seed-once file with the generator's skeleton: for a Secret its metadata.name,
 * metadata.namespace and the key set of data ∪ stringData; for a dotenv file its variable names.
 * Values are never compared (they are the user's, usually SOPS-encrypted; SOPS keeps names in clear).
 * Returns the message of a mismatch, or undefined when the shapes agree (or the file is neither kind).
 */
function reshapeMessage(f: RenderedFile, current: string): string | undefined {
  const diffs: string[] = [];
  let want: SeedShape | undefined;
  let have: SeedShape | undefined;
  if (/\.ya?ml$/.test(f.path)) {
    try {
      want = secretShape(singleYamlDocument(f.content));
    } catch {
      return undefined; // not a one-document skeleton: only its existence is checked
    }
    if (!want) return undefined;
    try {
      have = secretShape(singleYamlDocument(current)) ?? { keys: [] };
    } catch (err) {
      return `${f.path}: cannot be read as a YAML Secret (${(err as Error).message}); ${RESEED}`;
    }
    for (const field of ["name", "namespace"] as const) {
      if (have[field] !== want[field]) {
        diffs.push(`metadata.${field} ${show(have[field])} differs from the generator's ${show(want[field])}`);
      }
    }
    for (const [key, value] of Object.entries(want.owned ?? {})) {
      const found = have.owned?.[key];
      if (found === undefined) {
        diffs.push(
          `annotation ${key} is missing (the file predates it): if its value matches the stack, add ` +
            `"${key}: ${String(value)}" under metadata.annotations with sops edit (a hand edit breaks the SOPS MAC)`,
        );
      } else if (found !== value) {
        diffs.push(
          `annotation ${key} ${show(found)} differs from the generator's ${show(value)}: the stack settings ` +
            "this Secret's value holds have changed; re-create it (S3 secrets: pnpm secrets rotate-s3 writes both " +
            "anew; basic auth: a new line from pnpm secrets htpasswd <user> and this annotation, with sops edit)",
        );
      }
    }
  } else if (/\.env$/.test(f.path)) {
    want = { keys: dotenvKeys(f.content) };
    have = { keys: dotenvKeys(current) };
  } else {
    return undefined;
  }
  if (have.keys.join("\0") !== want.keys.join("\0")) {
    diffs.push(`keys [${have.keys.join(", ")}] differ from the generator's [${want.keys.join(", ")}]`);
  }
  return diffs.length === 0 ? undefined : `${f.path}: ${diffs.join("; ")}; ${RESEED}`;
}

function show(v: unknown): string {
  return v === undefined ? "(none)" : JSON.stringify(v);
}

function unified(path: string, before: string, after: string): string {
  return createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after, undefined, undefined, { context: 3 });
}

/**
 * Compare the rendered FileSet with the tree under `root`. Generated files are compared byte for byte;
 * seed-once files for existence and shape (reshapeMessage); owned files no longer produced are pruned.
 * Reads only. Throws InvalidIndexError for an untrustworthy ownership index and TreeIoError when a file
 * cannot be read.
 */
export async function plan(root: string, files: FileSet): Promise<Plan> {
  const previous = await readIndex(root);
  const withIndex = new Map(files);
  withIndex.set(OWNERSHIP_INDEX, { path: OWNERSHIP_INDEX, content: indexContent(files), role: "generated" });
  const changes: Change[] = [];
  const unencryptedSecrets: string[] = [];
  for (const f of withIndex.values()) {
    const current = await io(f.path, () => readIfExists(join(root, f.path)));
    if (current === undefined) {
      changes.push({ kind: "create", path: f.path, diff: unified(f.path, "", f.content) });
      if (f.role === "seed-once") unencryptedSecrets.push(f.path);
    } else if (f.role === "seed-once") {
      if (!isSopsEncrypted(current)) unencryptedSecrets.push(f.path);
      const message = reshapeMessage(f, current);
      if (message !== undefined) changes.push({ kind: "reshape", path: f.path, message });
    } else if (current !== f.content) {
      changes.push({ kind: "update", path: f.path, diff: unified(f.path, current, f.content) });
    }
  }
  for (const path of previous?.files ?? []) {
    if (withIndex.has(path) || path === OWNERSHIP_INDEX) continue;
    const current = await io(path, () => readIfExists(join(root, path)));
    if (current !== undefined) changes.push({ kind: "prune", path, diff: unified(path, current, "") });
  }
  changes.sort((a, b) => byCodeUnits(a.path, b.path));
  unencryptedSecrets.sort(byCodeUnits);
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
 * seed-once file that exists (a "reshape" change is left to the user). Throws TreeIoError when a file
 * cannot be written or removed.
 */
export async function apply(root: string, files: FileSet, planned: Plan): Promise<void> {
  const content = new Map([...files.values()].map((f) => [f.path, f.content]));
  content.set(OWNERSHIP_INDEX, indexContent(files));
  for (const change of planned.changes) {
    if (change.kind === "prune" || change.kind === "reshape" || change.path === OWNERSHIP_INDEX) continue;
    await io(change.path, () => writeAtomic(join(root, change.path), content.get(change.path)!));
  }
  for (const change of planned.changes) {
    if (change.kind !== "prune") continue;
    await io(change.path, () => rm(join(root, change.path), { force: true }));
    await removeEmptyParents(root, dirname(change.path));
  }
  if (planned.changes.some((c) => c.path === OWNERSHIP_INDEX)) {
    await io(OWNERSHIP_INDEX, () => writeAtomic(join(root, OWNERSHIP_INDEX), content.get(OWNERSHIP_INDEX)!));
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
    await io(dir, () => rmdir(abs));
    dir = dirname(dir);
  }
}
