import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { DEFAULT_TOOLING } from "./tooling.js";
import type { Dirent, Stats } from "node:fs";
import { lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, renameSync, rmSync, rmdirSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { parseAllDocuments } from "yaml";
import { byCodeUnits, isInsideRoot, type FileSet, type RenderedFile } from "./fileset.js";
import { emittedDocuments } from "./yaml.js";

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
  | { kind: "reshape"; path: string; message: string }
  /** A temp file of a run that was killed mid-write: removed by the next write, reported by `--check`. */
  | { kind: "leftover"; path: string; message: string };

/** What `apply` would do to the tree (from `plan`: reads only). */
export interface Plan {
  /** Files to create, update or prune, and seeded files to reshape by hand, in path order. */
  changes: Change[];
  /** Seeded secret files that exist but are not SOPS-encrypted yet. */
  unencryptedSecrets: string[];
  /** The seeded files as they are on disk (the user's: checked for plaintext values, never written). */
  seededOnDisk: { path: string; content: string }[];
  /** The previous index's `files` list (empty without an index). */
  previousFiles: string[];
  /** The previous index's `seeded` list (empty without an index). */
  previousSeeded: string[];
}

/** The ownership index cannot be trusted (bad JSON, wrong shape, a path outside the root): invalid input. */
export class InvalidIndexError extends Error {
  constructor(detail: string) {
    super(`${OWNERSHIP_INDEX}: ${detail}`);
    this.name = "InvalidIndexError";
  }
}

/**
 * The tree holds something the generator must not go through or over: a symbolic link on one of its paths,
 * a file it does not own where it would write, a file where it needs a folder, or a folder (or a FIFO,
 * socket or device) where it writes a file. One line per finding; nothing is written (exit 2).
 */
export class TreeRefusedError extends Error {
  readonly lines: readonly string[];
  constructor(lines: readonly string[]) {
    super(lines.join("\n"));
    this.name = "TreeRefusedError";
    this.lines = lines;
  }
}

/**
 * An operation failed after others had been done. `cause` is the TreeIoError naming the path; `done` and
 * `notDone` are the changes made and not made; `indexNote` says what the ownership index lists now.
 */
export class PartialWriteError extends Error {
  readonly failure: TreeIoError;
  readonly done: readonly Change[];
  readonly notDone: readonly Change[];
  readonly indexNote: string;
  constructor(failure: TreeIoError, done: readonly Change[], notDone: readonly Change[], indexNote: string) {
    super(failure.message, { cause: failure });
    this.name = "PartialWriteError";
    this.failure = failure;
    this.done = done;
    this.notDone = notDone;
    this.indexNote = indexNote;
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

/*
 * File operations are synchronous system calls: a tree is a few dozen small files, and one synchronous call
 * costs microseconds where an awaited one costs a trip through libuv's thread pool (measured: the main
 * thread sat idle ~70 ms per stack of 37 files). `plan`, `apply` and `writeAtomic` keep their Promise API.
 */

/** A failure of an operation on `path` (relative to the root), tagged with that path once. */
function tagged(path: string, err: unknown): TreeIoError {
  return err instanceof TreeIoError ? err : new TreeIoError(path, err);
}

/** Run one file-system operation on `path`, tagging any failure with it. */
function io<T>(path: string, op: () => T): T {
  try {
    return op();
  } catch (err) {
    throw tagged(path, err);
  }
}

/** `io` for the operations `apply` is given (WriterFs), which may be asynchronous. */
async function ioAsync<T>(path: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    throw tagged(path, err);
  }
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
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
function readIndex(root: string): OwnershipIndex | undefined {
  const text = io(OWNERSHIP_INDEX, () => readIfExists(join(root, OWNERSHIP_INDEX)));
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

const GENERATED_BY = "o11y-gitops; files listed here are pruned when no longer produced";

function indexContent(files: FileSet): string {
  return serializeIndex(
    [...files.values()].filter((f) => f.role === "generated").map((f) => f.path),
    [...files.values()].filter((f) => f.role === "seed-once").map((f) => f.path),
  );
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

/**
 * The one YAML document of `text`; throws with the parser's message if there is not exactly one. A text core's
 * emitter wrote (a skeleton, or a seeded file still as it was seeded) is not parsed: it reads back as exactly
 * the documents it was written from (`emittedDocuments`).
 */
function singleYamlDocument(text: string): unknown {
  const emitted = emittedDocuments(text);
  if (emitted !== undefined) {
    if (emitted.length !== 1) throw new Error(`${emitted.length} YAML documents, expected 1`);
    return emitted[0];
  }
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
function reshapeMessage(f: RenderedFile, current: string, secrets: string): string | undefined {
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
            `this Secret's value holds have changed; re-create it (S3 secrets: ${secrets} rotate-s3 writes both ` +
            `anew; basic auth: a new line from ${secrets} htpasswd <user> and this annotation, with sops edit)`,
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

type CreatePatch = typeof import("diff").createTwoFilesPatch;
let createTwoFilesPatch: CreatePatch | undefined;

function unified(path: string, before: string, after: string): string {
  // `diff` is loaded on the first diff anyone reads (a --check that finds a difference, a dry run), not per run.
  createTwoFilesPatch ??= (createRequire(import.meta.url)("diff") as { createTwoFilesPatch: CreatePatch }).createTwoFilesPatch;
  return createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after, undefined, undefined, { context: 3 });
}

/** A change whose unified diff is computed when read (a write of a fresh tree never reads them). */
function withDiff<K extends "create" | "update" | "prune">(kind: K, path: string, before: string, after: string): { kind: K; path: string; diff: string } {
  let diff: string | undefined;
  return {
    kind,
    path,
    get diff(): string {
      diff ??= unified(path, before, after);
      return diff;
    },
  };
}

/** Options of `plan`. */
export interface PlanOptions {
  /**
   * Paths (relative to the root) of existing files the index does not list that the generator may take
   * over and overwrite (`pnpm generate --adopt PATH…`). Without it such a file is refused (TreeRefusedError).
   */
  adopt?: readonly string[];
  /** The command that re-renders the tree, named in refusals and notes. @default "o11y-gitops generate" */
  rerun?: string;
  /** The secrets command, named where a Secret must be re-created. @default "o11y-gitops secrets" */
  secrets?: string;
}

/**
 * Temp files of `writeAtomic` (`.o11y-gitops-<hex>.tmp`, and the `.<hex>.tmp` of earlier versions): one left
 * in the tree means a run was killed mid-write.
 */
const TEMP_FILE = /^\.(?:o11y-gitops-)?[0-9a-f]{12}\.tmp$/;

/** Every ancestor folder of `path` (relative, `/`-separated), nearest the root first, then `path` itself. */
function prefixes(path: string): string[] {
  const parts = path.split("/");
  return parts.map((_, i) => parts.slice(0, i + 1).join("/"));
}

/**
 * Refuse symbolic links anywhere on the given paths below the root (every component is lstat'ed): the
 * generator reads, writes and prunes only real files and folders inside the root, so a link can neither
 * redirect a write nor a delete out of the tree. On the paths generate writes (`written`), refused as well,
 * each named: a file (or a FIFO, socket or device) where a path needs a folder, and a folder or anything but
 * a regular file where it writes a file (a FIFO would block the read). On the other paths (`others`: owned
 * files to prune, seeded files listed in the index) such a thing is not a file generate wrote, and is left
 * alone: nothing there is read or pruned (`notAFile`). Throws TreeRefusedError listing every finding.
 * Returns also the paths (and folders on them) that are absent, with everything below: plan need not read
 * them (nor list them, for folders), which on a new tree is most of its file operations.
 */
function refuseUnsafePaths(root: string, written: Iterable<string>, others: Iterable<string> = []): { absent: Set<string>; notAFile: Set<string> } {
  /** What each path component lstat'ed as. */
  const seen = new Map<string, "folder" | "file" | "absent" | "link" | "special">();
  const absent = new Set<string>();
  /** A written path's component that is not a folder, with the written paths below it. */
  const inTheWay = new Map<string, Set<string>>();
  const wrongKind = new Map<string, string>();
  /** Paths of `others` that exist but are not regular files (a folder, a FIFO, ...). */
  const notAFile = new Set<string>();
  const writtenPaths = new Set(written);
  const visit = (path: string, needed: boolean): void => {
    const all = prefixes(path);
    for (let i = 0; i < all.length; i++) {
      const prefix = all[i] as string;
      let what = seen.get(prefix);
      if (what === undefined) {
        const st = io(prefix, () => lstatIfExists(join(root, prefix)));
        what = st === undefined ? "absent" : st.isSymbolicLink() ? "link" : st.isDirectory() ? "folder" : st.isFile() ? "file" : "special";
        seen.set(prefix, what);
      }
      const last = i === all.length - 1;
      if (what === "folder" && !last) continue;
      if (what === "file" && last) return;
      // Nothing, a link, or the wrong kind of thing here: deeper components are not looked at (nor followed).
      if (what === "link") return;
      if (what === "absent") for (const p of all.slice(i)) absent.add(p);
      else if (!needed) {
        // Below a file nothing exists; a folder or a FIFO at the path itself is not an owned file.
        for (const p of all.slice(i + 1)) absent.add(p);
        if (last) notAFile.add(path);
      } else if (!last) inTheWay.set(prefix, (inTheWay.get(prefix) ?? new Set()).add(path));
      else wrongKind.set(prefix, what === "folder" ? "is a folder where generate writes a file" : "is a FIFO, socket or device where generate writes a file");
      return;
    }
  };
  for (const path of writtenPaths) visit(path, true);
  for (const path of others) if (!writtenPaths.has(path)) visit(path, false);
  const links = [...seen].filter(([, what]) => what === "link").map(([p]) => p);
  if (links.length === 0 && inTheWay.size === 0 && wrongKind.size === 0) return { absent, notAFile };
  const lines: string[] = [];
  for (const link of links) {
    let target: string;
    try {
      target = readlinkSync(join(root, link));
    } catch {
      target = "?";
    }
    lines.push(`${link}: is a symbolic link (to ${target}); generate never reads, writes or prunes through a link: replace it with a real folder or file`);
  }
  for (const [prefix, below] of inTheWay) {
    const [first] = [...below].sort(byCodeUnits);
    const more = below.size > 1 ? ` and ${below.size - 1} more` : "";
    const kind = seen.get(prefix) === "file" ? "a file" : "a FIFO, socket or device";
    lines.push(`${prefix}: is ${kind} where generate needs a folder (for ${first}${more}); move it away`);
  }
  for (const [path, message] of wrongKind) lines.push(`${path}: ${message}; move it away`);
  throw new TreeRefusedError(lines.sort(byCodeUnits));
}

function lstatIfExists(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

/** The temp files of interrupted runs in the given folders (relative to the root), sorted. */
function findLeftovers(root: string, dirs: Iterable<string>): string[] {
  const found: string[] = [];
  for (const dir of new Set(dirs)) {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir === "." ? root : join(root, dir), { withFileTypes: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") continue;
      throw new TreeIoError(dir, err);
    }
    for (const e of entries) {
      if (e.isFile() && TEMP_FILE.test(e.name)) found.push(dir === "." ? e.name : `${dir}/${e.name}`);
    }
  }
  return found.sort(byCodeUnits);
}

/**
 * Compare the rendered FileSet with the tree under `root`. Generated files are compared byte for byte;
 * seed-once files for existence and shape (reshapeMessage); owned files no longer produced are pruned;
 * temp files of an interrupted run are leftovers to remove. Reads only. Throws InvalidIndexError for an
 * untrustworthy ownership index, TreeRefusedError for a symbolic link on a path of the tree, a file or folder
 * where the other is needed, or a file the generator does not own at a path it would write, and TreeIoError
 * when a file cannot be read.
 */
export async function plan(root: string, files: FileSet, options: PlanOptions = {}): Promise<Plan> {
  const rerun = options.rerun ?? DEFAULT_TOOLING.generate;
  const secrets = options.secrets ?? DEFAULT_TOOLING.secrets;
  refuseUnsafePaths(root, [OWNERSHIP_INDEX]);
  const previous = readIndex(root);
  const withIndex = new Map(files);
  withIndex.set(OWNERSHIP_INDEX, { path: OWNERSHIP_INDEX, content: indexContent(files), role: "generated" });
  const { absent, notAFile } = refuseUnsafePaths(root, withIndex.keys(), [...(previous?.files ?? []), ...(previous?.seeded ?? [])]);
  const read = (path: string) => (absent.has(path) || notAFile.has(path) ? undefined : io(path, () => readIfExists(join(root, path))));

  const owned = new Set(previous?.files ?? []);
  const adopt = new Set((options.adopt ?? []).map((p) => p.replace(/^(\.\/)+/, "")));
  const refused: string[] = [];
  for (const path of [...adopt].sort(byCodeUnits)) {
    const f = withIndex.get(path);
    if (f === undefined || f.role !== "generated" || path === OWNERSHIP_INDEX) {
      refused.push(`--adopt ${path}: not a file generate writes (only regenerated files can be adopted; seeded secrets are yours already)`);
    }
  }
  const changes: Change[] = [];
  const unencryptedSecrets: string[] = [];
  const seededOnDisk: { path: string; content: string }[] = [];
  for (const f of withIndex.values()) {
    const current = read(f.path);
    if (current === undefined) {
      changes.push(withDiff("create", f.path, "", f.content));
      if (f.role === "seed-once") unencryptedSecrets.push(f.path);
    } else if (f.role === "seed-once") {
      seededOnDisk.push({ path: f.path, content: current });
      if (!isSopsEncrypted(current)) unencryptedSecrets.push(f.path);
      const message = reshapeMessage(f, current, secrets);
      if (message !== undefined) changes.push({ kind: "reshape", path: f.path, message });
    } else if (current !== f.content) {
      if (f.path !== OWNERSHIP_INDEX && !owned.has(f.path) && !adopt.has(f.path)) {
        refused.push(
          `${f.path}: exists but generate did not write it (not in ${OWNERSHIP_INDEX}); move it away, or run ` +
            `${rerun} --adopt ${f.path} to let generate own and overwrite it`,
        );
        continue;
      }
      changes.push(withDiff("update", f.path, current, f.content));
    }
  }
  if (refused.length > 0) throw new TreeRefusedError(refused.sort(byCodeUnits));
  for (const path of previous?.files ?? []) {
    if (withIndex.has(path) || path === OWNERSHIP_INDEX) continue;
    const current = read(path);
    if (current !== undefined) changes.push(withDiff("prune", path, current, ""));
  }
  const dirs = [...withIndex.keys(), ...(previous?.files ?? [])].map((p) => dirname(p));
  for (const path of findLeftovers(root, dirs.filter((d) => !absent.has(d)))) {
    changes.push({ kind: "leftover", path, message: `${path}: temp file left by an interrupted generate; ${rerun} removes it` });
  }
  changes.sort((a, b) => byCodeUnits(a.path, b.path));
  unencryptedSecrets.sort(byCodeUnits);
  seededOnDisk.sort((a, b) => byCodeUnits(a.path, b.path));
  return { changes, unencryptedSecrets, seededOnDisk, previousFiles: previous?.files ?? [], previousSeeded: previous?.seeded ?? [] };
}

/** Write `content` to `path` atomically: a temp file in the same folder, then rename over the target. */
export async function writeAtomic(path: string, content: string): Promise<void> {
  writeAtomicSync(path, content);
}

/** The last temp-file number: random (48 bits) on first use in a process, then counted up. */
let tempSeq: number | undefined;

/** A fresh `.o11y-gitops-<12 hex>.tmp` name: one random draw per process instead of one per file. */
function tempName(): string {
  tempSeq = ((tempSeq ?? randomBytes(6).readUIntBE(0, 6)) + 1) % 2 ** 48;
  return `.o11y-gitops-${tempSeq.toString(16).padStart(12, "0")}.tmp`;
}

/** `madeDirs`: folders this caller already created (or found) with mkdir, so each is made once. */
function writeAtomicSync(path: string, content: string, madeDirs?: Set<string>): void {
  const dir = dirname(path);
  if (!madeDirs?.has(dir)) {
    mkdirSync(dir, { recursive: true });
    madeDirs?.add(dir);
  }
  const tmp = join(dir, tempName());
  try {
    writeFileSync(tmp, content, { encoding: "utf8", flag: "wx" });
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** The file operations `apply` uses (tests replace them to fail part-way). */
export interface WriterFs {
  writeAtomic: (path: string, content: string) => Promise<void>;
  remove: (path: string) => Promise<void>;
}

/**
 * The real file system, for one `apply`: each folder is made once (a recursive mkdir per file was ~10 ms of
 * a 37-file tree). Safe because `apply` prunes (and removes emptied folders) only after its last write
 * below the root.
 */
function nodeFs(): WriterFs {
  const madeDirs = new Set<string>();
  return {
    writeAtomic: async (path, content) => writeAtomicSync(path, content, madeDirs),
    remove: async (path) => rmSync(path, { force: true }),
  };
}

/**
 * Apply a plan: remove the temp files of interrupted runs; list every path about to be written in the
 * ownership index first (old ∪ new), so a run killed part-way leaves no owned file the index does not name;
 * create/update via temp file + rename; prune only owned files (then their folders if empty); then write
 * the final index. Never touches files it does not own; never overwrites a seed-once file that exists (a
 * "reshape" change is left to the user). When an operation fails, the index is rewritten to list exactly
 * the owned files on disk, and PartialWriteError says what was and was not done.
 */
export async function apply(root: string, files: FileSet, planned: Plan, fs: WriterFs = nodeFs()): Promise<void> {
  const content = new Map([...files.values()].map((f) => [f.path, f.content]));
  content.set(OWNERSHIP_INDEX, indexContent(files));
  const steps = planned.changes.filter((c) => c.kind !== "reshape" && c.path !== OWNERSHIP_INDEX);
  const writes = steps.filter((c) => c.kind === "create" || c.kind === "update");
  const prunes = steps.filter((c) => c.kind === "prune");
  const leftovers = steps.filter((c) => c.kind === "leftover");
  const generated = [...files.values()].filter((f) => f.role === "generated").map((f) => f.path);
  const seeded = [...files.values()].filter((f) => f.role === "seed-once").map((f) => f.path);
  const allFiles = [...new Set([...planned.previousFiles, ...generated])].sort(byCodeUnits);
  const allSeeded = [...new Set([...planned.previousSeeded, ...seeded])].sort(byCodeUnits);
  const done: Change[] = [];
  let interim = false;
  try {
    for (const c of leftovers) {
      await ioAsync(c.path, () => fs.remove(join(root, c.path)));
      done.push(c);
    }
    // Only paths the index does not list yet need listing before they are written.
    const listed = new Set([...planned.previousFiles, ...planned.previousSeeded]);
    if (writes.some((c) => !listed.has(c.path))) {
      await ioAsync(OWNERSHIP_INDEX, () => fs.writeAtomic(join(root, OWNERSHIP_INDEX), serializeIndex(allFiles, allSeeded)));
      interim = true;
    }
    for (const c of writes) {
      await ioAsync(c.path, () => fs.writeAtomic(join(root, c.path), content.get(c.path)!));
      done.push(c);
    }
    for (const c of prunes) {
      await ioAsync(c.path, () => fs.remove(join(root, c.path)));
      done.push(c);
      removeEmptyParents(root, dirname(c.path));
    }
    if (planned.changes.some((c) => c.path === OWNERSHIP_INDEX) || writes.length > 0 || prunes.length > 0) {
      await ioAsync(OWNERSHIP_INDEX, () => fs.writeAtomic(join(root, OWNERSHIP_INDEX), content.get(OWNERSHIP_INDEX)!));
    }
  } catch (err) {
    if (!(err instanceof TreeIoError)) throw err;
    // The index must name exactly the owned files now on disk (no orphan, no stale entry).
    // Nothing done and nothing listed ahead: the index on disk (if any) is still exact, and stays as it is.
    const indexNote = done.length > 0 || interim ? await rewriteExactIndex(root, fs, allFiles, allSeeded, interim) : `${OWNERSHIP_INDEX} is unchanged`;
    const notDone = steps.filter((c) => !done.includes(c));
    throw new PartialWriteError(err, done, notDone, indexNote);
  }
}

/** Rewrite the index to list exactly the owned files on disk; returns what the index lists afterwards. */
async function rewriteExactIndex(root: string, fs: WriterFs, files: readonly string[], seeded: readonly string[], interim: boolean): Promise<string> {
  try {
    const onDisk = (paths: readonly string[]) => paths.filter((p) => p !== OWNERSHIP_INDEX && lstatIfExists(join(root, p))?.isFile());
    await fs.writeAtomic(join(root, OWNERSHIP_INDEX), serializeIndex(onDisk(files), onDisk(seeded)));
    return `${OWNERSHIP_INDEX} lists exactly the generated files on disk`;
  } catch {
    return interim
      ? `${OWNERSHIP_INDEX} could not be rewritten; it lists every file this run may have written`
      : `${OWNERSHIP_INDEX} could not be rewritten; it is unchanged and lists every file this run may have written`;
  }
}

function serializeIndex(files: readonly string[], seeded: readonly string[]): string {
  const index: OwnershipIndex = { generatedBy: GENERATED_BY, files: [...files].sort(byCodeUnits), seeded: [...seeded].sort(byCodeUnits) };
  return `${JSON.stringify(index, null, 2)}\n`;
}

function removeEmptyParents(root: string, rel: string): void {
  let dir = rel;
  while (dir !== "." && dir !== "" && dir !== "/") {
    const abs = join(root, dir);
    let entries: string[];
    try {
      entries = readdirSync(abs);
    } catch {
      return;
    }
    if (entries.length > 0) return;
    io(dir, () => rmdirSync(abs));
    dir = dirname(dir);
  }
}
