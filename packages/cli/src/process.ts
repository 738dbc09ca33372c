// The one wiring of the real process into the CLI: the installed bin, and a repo's own scripts (this repo's
// `pnpm generate` and `pnpm secrets`) use these, so they read, write and end the same way.
import type { CliIO } from "./cli.js";

/**
 * The real process as the CLI's input and output; `sinks` replaces where its output goes (a repo script's
 * tests collect lines). `stdin` is opened when a command reads it (only the secret helpers do): Node sets up
 * process.stdin on first access, a stream and a handle that `generate` has no use for.
 */
export function processIO(cwd: string = process.cwd(), sinks: Partial<Pick<CliIO, "stdout" | "stderr">> = {}): CliIO {
  return {
    cwd,
    get stdin() {
      return process.stdin;
    },
    stdout: sinks.stdout ?? ((t) => process.stdout.write(t)),
    stderr: sinks.stderr ?? ((t) => process.stderr.write(t)),
    env: process.env,
  };
}

/**
 * End the process with `code` once everything written to stdout and stderr has been handed to the
 * operating system, with `exit` handlers run as usual (`process.exit` after a write callback on each).
 *
 * A process left to end by itself also waits for V8's background work: a run that allocated enough to
 * start an incremental garbage collection waits for it to finish, 10–17 ms of a cold `generate` on the
 * machine the bench runs on (for a heap that is about to be freed). Waiting for the write callbacks keeps
 * the output whole where pipes are asynchronous (macOS, Windows); on Linux they are synchronous already.
 */
export function exitWhenFlushed(code: number): void {
  process.exitCode = code;
  let pending = 2;
  const flushed = (): void => {
    pending -= 1;
    if (pending === 0) process.exit(code);
  };
  // A closed stream (EPIPE, `| head`) calls back with its error: the output is as complete as it can be.
  process.stdout.write("", flushed);
  process.stderr.write("", flushed);
}
