// Rendered objects as the checks see them: plain data, plus the job they came from.
import type { RenderJob } from "./plan.js";

/** One object of a render. `__source` (not enumerable) is the chart template that produced it. */
export interface RenderedObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

/** The result of rendering one job. */
export interface Rendered {
  /** What was rendered. */
  job: RenderJob;
  /** The rendered objects (empty when Helm refused). */
  objects: RenderedObject[];
  /** Helm's own message when the chart refused to render. */
  error?: string;
  /** Wall time of the `helm template` call, ms. */
  ms: number;
  /** The rendered stream as Helm printed it (for --out). */
  text: string;
}

/** A finding of a check, attributed to the job it concerns. */
export interface Finding {
  /** The job's summary name (`RenderJob.name`). */
  job: string;
  /** The check that found it. */
  check: CheckName;
  /** One line, naming the object and the value. */
  message: string;
}

/** The checks, in the order they run and are summarised. */
export const CHECKS = ["render", "schema", "wiring", "selection", "seed", "dead-values"] as const;
/** One of `CHECKS`. */
export type CheckName = (typeof CHECKS)[number];

/** The namespace an object lands in: its own, else the release's (Helm's `--namespace`). */
export function namespaceOf(o: RenderedObject, job: RenderJob): string {
  return o.metadata?.namespace ?? job.namespace;
}

/** `Kind namespace/name`, how objects are named in messages. */
export function describe(o: RenderedObject, job: RenderJob): string {
  return `${o.kind ?? "?"} ${namespaceOf(o, job)}/${o.metadata?.name ?? "?"}`;
}

/** Every object of the given kind across renders, with its job. */
export function ofKind(renders: readonly Rendered[], kind: string): { o: RenderedObject; job: RenderJob }[] {
  return renders.flatMap((r) => r.objects.filter((o) => o.kind === kind).map((o) => ({ o, job: r.job })));
}
