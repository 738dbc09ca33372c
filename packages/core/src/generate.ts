import { statSync } from "node:fs";
import { DEFAULT_TOOLING, rerunCommand } from "./tooling.js";
import { dirname, relative, resolve, sep } from "node:path";
import { checkFilesPolicy, policyOptionsForStack } from "./policy/index.js";
import { formatProblem, StackError } from "./problems.js";
import { render, type RenderInput } from "./render/index.js";
import {
  apply,
  describeIoError,
  InvalidIndexError,
  PartialWriteError,
  plan,
  TreeIoError,
  TreeRefusedError,
  type Change,
  type Plan,
  type WriterFs,
} from "./writer.js";

/** Options of `runGenerate`. */
export interface GenerateOptions {
  /** Output root: the repository folder holding `kubernetes/`. */
  root: string;
  /** How to name `root` in messages: the path the user gave (`--out`). @default root */
  rootLabel?: string;
  /** Compare only: print a unified diff of every difference, exit 1 if any, write nothing. */
  check: boolean;
  /**
   * Files (relative to the root) that exist, are not in the ownership index, and may be taken over and
   * overwritten (`--adopt PATH…`). Without it such a file is refused with exit 2. @default []
   */
  adopt?: readonly string[];
  /** Where to print results and diffs. @default a line on process.stdout */
  out?: (line: string) => void;
  /** Where to print problems, warnings and notes. @default a line on process.stderr */
  err?: (line: string) => void;
  /** The writer's file operations (tests make them fail part-way). @default node:fs */
  fs?: WriterFs;
}

/**
 * Exit codes of `runGenerate` (and `pnpm generate`):
 * - `ok` 0: the tree is up to date (`--check`) or was written.
 * - `drift` 1: `--check` found differences or temp files of an interrupted run (nothing written); a
 *   seeded file's shape (Secret name, namespace, keys; dotenv variable names) no longer matches the
 *   generator's (never overwritten: edit or delete it); or a seeded secret on disk holds a plaintext value
 *   (nothing written: encrypt it with `sops -e -i <file>`).
 * - `invalid` 2: invalid input — the stack, rendered files, the ownership index (`.generated-files.json`),
 *   an output root that is not a folder, a symbolic link on a path of the tree, or a file generate does not
 *   own where it would write (move it, or `--adopt` it); nothing written.
 * - `io` 3: the tree could not be read or written (a folder where a file belongs, a read-only file
 *   system, a full disk, ...): `error: <path>: <reason>`, and when some changes were already made a second
 *   line listing what was and was not written. The ownership index then lists exactly the generated files
 *   on disk (or, if even that write failed, every file the run may have written), so the next run
 *   finishes the job and prunes nothing it does not own.
 */
export const EXIT = { ok: 0, drift: 1, invalid: 2, io: 3 } as const;

/**
 * The output root must be a folder, or a path whose nearest existing ancestor is a folder (it is created).
 * Returns the message naming the path the user gave, or undefined.
 */
async function rootProblem(root: string, label: string): Promise<string | undefined> {
  let dir = resolve(root);
  for (;;) {
    try {
      const st = statSync(dir);
      if (st.isDirectory()) return undefined;
      return dir === resolve(root)
        ? `${label}: is a file, not a folder (the output root must be a folder)`
        : `${label}: ${dir} is a file, not a folder (the output root must be a folder or a path that can become one)`;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // ENOTDIR: a file further up; the walk finds and names it.
      if (code !== "ENOENT" && code !== "ENOTDIR") return `${label}: ${describeIoError(e)}`;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Build the input (components may throw StackError on invalid config), render, validate, then check or
 * write. Validation of the whole FileSet, the output root, the tree's paths (no symbolic links, no
 * unowned files in the way) and the seeded secrets on disk (no plaintext) happens before the first write:
 * a refusal writes nothing.
 */
export async function runGenerate(build: () => RenderInput, options: GenerateOptions): Promise<number> {
  const out = options.out ?? ((l: string) => process.stdout.write(`${l}\n`));
  const err = options.err ?? ((l: string) => process.stderr.write(`${l}\n`));
  const refuse = (lines: readonly string[]): number => {
    for (const l of lines) err(`error: ${l}`);
    err(`${lines.length} problem(s); nothing written`);
    return EXIT.invalid;
  };
  let input: RenderInput;
  try {
    input = build();
  } catch (e) {
    if (e instanceof StackError) return refuse(e.problems.map(formatProblem));
    throw e;
  }
  const tooling = input.tooling ?? DEFAULT_TOOLING;
  const result = render(input);
  if (result.problems.length > 0) return refuse(result.problems.map(formatProblem));
  for (const note of result.notes) err(`note: ${note}`);
  for (const w of result.warnings) err(`warning: ${formatProblem(w)}`);
  const badRoot = await rootProblem(options.root, options.rootLabel ?? options.root);
  if (badRoot !== undefined) return refuse([badRoot]);
  const misplaced = await repoDirWarning(input.stack.gitops.repoDir, options.root, options.rootLabel ?? options.root);
  if (misplaced !== undefined) err(`warning: ${misplaced}`);
  let planned: Plan;
  try {
    planned = await plan(options.root, result.files, { adopt: options.adopt ?? [], rerun: rerunCommand(tooling), secrets: tooling.secrets });
  } catch (e) {
    if (e instanceof InvalidIndexError) return refuse([e.message]);
    if (e instanceof TreeRefusedError) return refuse(e.lines);
    const io = ioFailure(e);
    if (io === undefined) throw e;
    err(`error: ${io}`);
    return EXIT.io;
  }
  // The seeded secrets are the user's, but a plaintext value in one must not reach a commit: the policy's
  // own per-file rules, on the files as they are on disk.
  const leaks = checkFilesPolicy(planned.seededOnDisk, input.policy ?? policyOptionsForStack(input.stack, []));
  if (leaks.length > 0) {
    for (const p of leaks) err(`error: ${formatProblem(p)}`);
    const leaking = [...new Set(leaks.map((p) => planned.seededOnDisk.find((f) => p.path === f.path || p.path.startsWith(`${f.path}#`) || p.path.startsWith(`${f.path} `))?.path ?? p.path))];
    for (const f of leaking) err(`error: ${f}: a seeded secret holds a plaintext value: encrypt it with sops -e -i ${f}`);
    err(`${leaks.length} plaintext value(s) in seeded secrets; nothing written`);
    return EXIT.drift;
  }
  if (!options.check) {
    try {
      await apply(options.root, result.files, planned, options.fs);
    } catch (e) {
      if (e instanceof PartialWriteError) {
        err(`error: ${e.failure.message}`);
        const made = e.done.length === 0 ? "nothing was changed" : `written: ${describeChanges(e.done, false)}`;
        const missing = e.notDone.length === 0 ? "" : `; not written: ${describeChanges(e.notDone, true)}`;
        err(`error: stopped part-way: ${made}${missing}; ${e.indexNote}; run ${rerunCommand(tooling)} again once the cause is fixed`);
        return EXIT.io;
      }
      const io = ioFailure(e);
      if (io === undefined) throw e;
      err(`error: ${io}`);
      return EXIT.io;
    }
  }
  const reshapes = planned.changes.filter((c) => c.kind === "reshape");
  if (options.check) {
    for (const c of planned.changes) out(c.kind === "reshape" || c.kind === "leftover" ? c.message : c.diff.trimEnd());
    if (planned.changes.length > 0) {
      err(`generate --check: ${planned.changes.length} file(s) differ (${summary(planned.changes, true)}); run \`${rerunCommand(tooling)}\``);
      return EXIT.drift;
    }
    out(`generate --check: ${result.files.size} files up to date`);
    reportSecrets(planned.unencryptedSecrets, err);
    return EXIT.ok;
  }
  const written = planned.changes.filter((c) => c.kind !== "reshape");
  out(`generate: ${result.files.size} files, ${summary(written, false) || "no changes"}`);
  reportSecrets(planned.unencryptedSecrets, err);
  for (const c of reshapes) err(`error: ${c.message}`);
  return reshapes.length > 0 ? EXIT.drift : EXIT.ok;
}

/** `<path>: <reason>` for a file-system failure (tagged by the writer, or a bare Node system error). */
function ioFailure(e: unknown): string | undefined {
  if (e instanceof TreeIoError) return e.message;
  const sys = e as NodeJS.ErrnoException | undefined;
  if (sys instanceof Error && typeof sys.code === "string" && typeof sys.syscall === "string") {
    return `${sys.path ?? "(unknown path)"}: ${describeIoError(sys)}`;
  }
  return undefined;
}

const PAST: Record<Change["kind"], string> = {
  create: "created",
  update: "updated",
  prune: "pruned",
  reshape: "to reshape by hand",
  leftover: "leftover temp file(s) removed",
};
const PENDING: Record<Change["kind"], string> = { ...PAST, leftover: "leftover temp file(s) of an interrupted run" };

function summary(changes: readonly Change[], check: boolean): string {
  const counts = new Map<Change["kind"], number>();
  for (const c of changes) counts.set(c.kind, (counts.get(c.kind) ?? 0) + 1);
  return [...counts.entries()].map(([k, n]) => `${n} ${(check ? PENDING : PAST)[k]}`).join(", ");
}

const VERB: Record<Change["kind"], [done: string, todo: string]> = {
  create: ["created", "create"],
  update: ["updated", "update"],
  prune: ["pruned", "prune"],
  reshape: ["reshaped", "reshape"],
  leftover: ["removed leftover", "remove leftover"],
};

/** `created a, b; pruned c` (or `create a, b; prune c` for changes not made). */
function describeChanges(changes: readonly Change[], todo: boolean): string {
  const kinds: Change["kind"][] = ["leftover", "create", "update", "prune", "reshape"];
  return kinds
    .map((k) => [k, changes.filter((c) => c.kind === k).map((c) => c.path)] as const)
    .filter(([, paths]) => paths.length > 0)
    .map(([k, paths]) => `${VERB[k][todo ? 1 : 0]} ${paths.join(", ")}`)
    .join("; ");
}

function reportSecrets(paths: readonly string[], err: (l: string) => void): void {
  for (const p of paths) err(`secret waiting for SOPS encryption: ${p} (fill it in, then: sops -e -i ${p})`);
}

/**
 * When the output root sits inside a Git repository (a `.git` folder or file above it) somewhere other than
 * `gitops.repoDir` says, ArgoCD and Flux would look for the tree at the wrong path: say so (a warning, so a
 * preview rendered into another folder still works). Nothing when there is no repository above the root.
 */
export async function repoDirWarning(repoDir: string, root: string, label: string): Promise<string | undefined> {
  const abs = resolve(root);
  for (let dir = abs; ; dir = dirname(dir)) {
    if (exists(resolve(dir, ".git"))) {
      const at = relative(dir, abs).split(sep).join("/");
      if (at === repoDir) return undefined;
      const show = (p: string): string => (p === "" ? '"" (the repository\'s top folder)' : JSON.stringify(p));
      return (
        `stack.gitops.repoDir: ${show(repoDir)}, but ${label} is ${show(at)} in the Git repository at ${dir}; ` +
        `ArgoCD and Flux read this tree's paths under ${show(repoDir)}: set gitops.repoDir to ${JSON.stringify(at)} if the tree is committed here`
      );
    }
    if (dirname(dir) === dir) return undefined;
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}
