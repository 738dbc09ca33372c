/** What a rendered file is, which decides how the writer treats it. */
export type FileRole =
  /** Regenerated every run; `--check` compares it byte for byte. */
  | "generated"
  /**
   * A Secret skeleton: written once if absent, never overwritten (the user fills and SOPS-encrypts it),
   * and not compared by `--check`.
   */
  | "seed-once";

/** One file of the rendered tree: where it goes, its bytes, and how the writer treats it. */
export interface RenderedFile {
  /** Path relative to the output root, with `/` separators, e.g. `kubernetes/apps/monitoring/loki.yaml`. */
  path: string;
  /** The whole file, UTF-8, ending with a newline. */
  content: string;
  role: FileRole;
}

/** The whole rendered output, keyed by path. Two producers claiming one path is an error. */
export type FileSet = ReadonlyMap<string, RenderedFile>;
