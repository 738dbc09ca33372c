import { formatProblem, StackError } from "./problems.js";
import { render, type RenderInput } from "./render.js";
import { apply, plan } from "./writer.js";

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

/** Exit codes: 0 ok, 1 `--check` found differences, 2 invalid input (nothing written). */
export const EXIT = { ok: 0, drift: 1, invalid: 2 } as const;

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
  const planned = await plan(options.root, result.files);
  if (options.check) {
    for (const c of planned.changes) out(c.diff.trimEnd());
    if (planned.changes.length > 0) {
      err(`generate --check: ${planned.changes.length} file(s) differ (${summary(planned.changes)}); run \`pnpm generate\``);
      return EXIT.drift;
    }
    out(`generate --check: ${result.files.size} files up to date`);
    reportSecrets(planned.unencryptedSecrets, err);
    return EXIT.ok;
  }
  await apply(options.root, result.files, planned);
  out(`generate: ${result.files.size} files, ${summary(planned.changes) || "no changes"}`);
  reportSecrets(planned.unencryptedSecrets, err);
  return EXIT.ok;
}

function summary(changes: readonly { kind: string }[]): string {
  const counts = new Map<string, number>();
  for (const c of changes) counts.set(c.kind, (counts.get(c.kind) ?? 0) + 1);
  return [...counts.entries()].map(([k, n]) => `${n} ${k === "prune" ? "pruned" : `${k}d`}`).join(", ");
}

function reportSecrets(paths: readonly string[], err: (l: string) => void): void {
  for (const p of paths) err(`secret waiting for SOPS encryption: ${p} (fill it in, then: sops -e -i ${p})`);
}
