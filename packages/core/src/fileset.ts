/** What a rendered file is, which decides how the writer treats it. */
export type FileRole =
  /** Regenerated every run; `--check` compares it byte for byte. */
  | "generated"
  /**
   * A Secret skeleton: written once if absent, never overwritten (the user fills and SOPS-encrypts it),
   * and not compared by `--check`.
   */
  | "seed-once";

export interface RenderedFile {
  /** Path relative to the output root, with `/` separators, e.g. `kubernetes/apps/monitoring/loki.yaml`. */
  path: string;
  content: string;
  role: FileRole;
}

/** The whole rendered output, keyed by path. Two producers claiming one path is an error. */
export type FileSet = ReadonlyMap<string, RenderedFile>;
