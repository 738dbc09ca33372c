/** What a rendered file is, which decides how the writer treats it. */
export type FileRole =
  /** Regenerated every run; `--check` compares it byte for byte. */
  | "generated"
  /**
   * A Secret skeleton: written once if absent, never overwritten (the user fills and SOPS-encrypts it).
   * Its content is not compared by `--check`, only its shape: a Secret's name, namespace and keys, a
   * dotenv file's variable names (a mismatch is a "reshape" change the user resolves by hand).
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

/**
 * True when `path` is a normalised relative path inside the output root: `/` separators, no leading
 * `/`, no backslash or NUL, and no empty, `.` or `..` segment (so it cannot name the root itself or
 * anything outside it).
 */
export function isInsideRoot(path: string): boolean {
  if (path.includes("\\") || path.includes("\0") || path.startsWith("/")) return false;
  return path.split("/").every((s) => s !== "" && s !== "." && s !== "..");
}

/** Compare strings by UTF-16 code units (like `Array.prototype.sort`'s default): locale-independent. */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
