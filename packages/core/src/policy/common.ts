/** What every policy rule shares: field paths, the problem collector and small readers. */
import type { Problem } from "../problems.js";

export type Segment = string | number;

export { fieldPath } from "@o11y-gitops/schema-errors";

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

export function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

export class Collector {
  readonly errors: Problem[] = [];
  readonly warnings: Problem[] = [];
  private readonly seen = new Set<string>();
  /** Record a violation once (two checks reaching the same field with the same finding report it once). */
  error(path: string, message: string): void {
    const key = `${path}\u0000${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.errors.push({ path, message });
  }
}

/** Names a field of the current file: segments → `"<file>#<doc> <field path>"`. */
export type At = (segments: readonly Segment[]) => string;
