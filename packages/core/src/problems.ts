/** One problem with the input: a config or values path, and what was expected vs found. */
export interface Problem {
  /** Where: `stack.retention.metricsRaw`, or `loki values: loki.storage.type`. */
  path: string;
  message: string;
}

/** Thrown by builders and checks; carries every problem found, printed one per line. */
export class StackError extends Error {
  readonly problems: readonly Problem[];
  constructor(problems: readonly Problem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "StackError";
    this.problems = problems;
  }
}

/** One line for a problem: `<path>: <message>`, as generate prints it after `error: `. */
export function formatProblem(p: Problem): string {
  return `${p.path}: ${p.message}`;
}

/** Throw a StackError when `problems` is non-empty. */
export function assertNoProblems(problems: readonly Problem[]): void {
  if (problems.length > 0) throw new StackError(problems);
}
