// Private helpers of the infrastructure fragments: problems, durations, reading values with chart defaults.
import { parseDuration, type Duration, type Problem, type Stack } from "@o11y-gitops/core";
import { scrapeIntervalProblems } from "../_retention.js";
import type { InfraChart } from "./shared.js";

/** `"<chart> values: <path>"`, the problem path for a key of a chart's values. */
export function valuesPath(chart: InfraChart, path: string): string {
  return `${chart} values: ${path}`;
}

/** Problems with the stack fields the fragments read (the scrape interval, by the metrics rule). */
export function checkInfraStack(stack: Stack): Problem[] {
  return scrapeIntervalProblems(stack);
}

/**
 * Seconds of a Prometheus duration (`30s`, `1m30s`, `500ms`), or undefined when it is not one.
 * Scrape intervals and timeouts in chart values use this form.
 */
export function promDurationSeconds(value: string): number | undefined {
  if (value === "0") return 0;
  const m = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/.exec(value);
  if (!m || value === "") return undefined;
  const f = [31_536_000, 604_800, 86_400, 3600, 60, 1, 0.001];
  return f.reduce((sum, factor, i) => sum + Number(m[i + 1] ?? 0) * factor, 0);
}

/**
 * The scrape timeout to pair with `interval` when a chart's default timeout is `chartTimeout`: the chart's
 * value unless it exceeds the interval (Prometheus refuses a timeout longer than the interval).
 */
export function scrapeTimeoutFor(interval: Duration, chartTimeout: Duration): Duration {
  const i = parseDuration(interval);
  const t = parseDuration(chartTimeout);
  return i !== undefined && t !== undefined && t > i ? interval : chartTimeout;
}

/** A scrape timeout longer than the scrape interval, reported at `path`. */
export function timeoutProblem(chart: InfraChart, timeoutPath: string, timeout: unknown, intervalPath: string, interval: unknown): Problem[] {
  if (typeof timeout !== "string" || typeof interval !== "string" || timeout === "") return [];
  const t = promDurationSeconds(timeout);
  const i = promDurationSeconds(interval);
  if (t === undefined || i === undefined || t <= i) return [];
  return [
    {
      path: valuesPath(chart, timeoutPath),
      message: `${JSON.stringify(timeout)} exceeds ${intervalPath} ${JSON.stringify(interval)}: Prometheus rejects a scrape timeout longer than the interval`,
    },
  ];
}

/** Reads a value at a dotted path of a plain object, undefined when any step is missing. */
export function at(values: unknown, path: string): unknown {
  let cur: unknown = values;
  for (const seg of path.split(".")) {
    if (cur === null || typeof cur !== "object" || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

/**
 * A boolean switch as Helm sees it after coalescing with the chart's default: unset (or null, which
 * deletes the key) takes the default; anything else is judged by Go template truthiness.
 */
export function flag(values: unknown, path: string, chartDefault: boolean): boolean {
  const v = at(values, path);
  if (v === undefined || v === null) return chartDefault;
  return truthy(v);
}

/** Go template truthiness (`if`): false, 0, "", empty lists and maps are false. */
export function truthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === "") return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === "object") return Object.keys(v).length > 0;
  return true;
}

