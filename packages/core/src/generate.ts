import { formatProblem, StackError } from "./problems.js";
import { render, type RenderInput } from "./render.js";
import { apply, describeIoError, InvalidIndexError, plan, TreeIoError, type Change, type Plan } from "./writer.js";

/** Options of `runGenerate`. */
export interface GenerateOptions {
  /** Output root: the repository folder holding `kubernetes/`. */
  root: string;
  /** Compare only: print a unified diff of every difference, exit 1 if any, write nothing. */
  check: boolean;
  /** Where to print results and diffs. @default a line on process.stdout */
  out?: (line: string) => void;
  /** Where to print problems, warnings and notes. @default a line on process.stderr */
  err?: (line: string) => void;
}

/**
 * Exit codes of `runGenerate` (and `pnpm generate`):
 * - `ok` 0: the tree is up to date (`--check`) or was written.
 * - `drift` 1: `--check` found differences (nothing written), or a seeded file's shape (Secret name,
 *   namespace, keys; dotenv variable names) no longer matches the generator's (never overwritten: edit
 *   or delete it).
 * - `invalid` 2: invalid input — the stack, rendered files or ownership index (`.generated-files.json`);
 *   nothing written.
 * - `io` 3: the tree could not be read or written (a folder where a file belongs, a read-only file
 *   system, ...); one `error: <path>: <reason>` line. A write may have stopped part-way; the ownership
 *   index is written last, so the next run redoes what is missing.
 */
export const EXIT = { ok: 0, drift: 1, invalid: 2, io: 3 } as const;

/**
 * Build the input (components may throw StackError on invalid config), render, validate, then check or
 * write. Validation of the whole FileSet happens before the first write: invalid input writes nothing.
 */
export async function runGenerate(build: () => RenderInput, options: GenerateOptions): Promise<number> {
  const out = options.out ?? ((l: string) => process.stdout.write(`${l}\n`));
  const err = options.err ?? ((l: string) => process.stderr.write(`${l}\n`));
  let input: RenderInput;
  try {
    input = build();
  } catch (e) {
    if (e instanceof StackError) {
      for (const p of e.problems) err(`error: ${formatProblem(p)}`);
      err(`${e.problems.length} problem(s); nothing written`);
      return EXIT.invalid;
    }
    throw e;
  }
  const result = render(input);
  if (result.problems.length > 0) {
    for (const p of result.problems) err(`error: ${formatProblem(p)}`);
    err(`${result.problems.length} problem(s); nothing written`);
    return EXIT.invalid;
  }
  for (const note of result.notes) err(`note: ${note}`);
  for (const w of result.warnings) err(`warning: ${formatProblem(w)}`);
  let planned: Plan;
  try {
    planned = await plan(options.root, result.files);
    if (!options.check) await apply(options.root, result.files, planned);
  } catch (e) {
    if (e instanceof InvalidIndexError) {
      err(`error: ${e.message}; nothing written`);
      return EXIT.invalid;
    }
    const io = ioFailure(e);
    if (io === undefined) throw e;
    err(`error: ${io}`);
    return EXIT.io;
  }
  const reshapes = planned.changes.filter((c) => c.kind === "reshape");
  if (options.check) {
    for (const c of planned.changes) out(c.kind === "reshape" ? c.message : c.diff.trimEnd());
    if (planned.changes.length > 0) {
      err(`generate --check: ${planned.changes.length} file(s) differ (${summary(planned.changes)}); run \`pnpm generate\``);
      return EXIT.drift;
    }
    out(`generate --check: ${result.files.size} files up to date`);
    reportSecrets(planned.unencryptedSecrets, err);
    return EXIT.ok;
  }
  const written = planned.changes.filter((c) => c.kind !== "reshape");
  out(`generate: ${result.files.size} files, ${summary(written) || "no changes"}`);
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

const PAST: Record<Change["kind"], string> = { create: "created", update: "updated", prune: "pruned", reshape: "to reshape by hand" };

function summary(changes: readonly Change[]): string {
  const counts = new Map<Change["kind"], number>();
  for (const c of changes) counts.set(c.kind, (counts.get(c.kind) ?? 0) + 1);
  return [...counts.entries()].map(([k, n]) => `${n} ${PAST[k]}`).join(", ");
}

function reportSecrets(paths: readonly string[], err: (l: string) => void): void {
  for (const p of paths) err(`secret waiting for SOPS encryption: ${p} (fill it in, then: sops -e -i ${p})`);
}
