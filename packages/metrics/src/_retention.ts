import { durationSeconds, type Problem, type Stack } from "@o11y-gitops/core";
import {
  BLOCK_PERIOD_HOURS,
  DOWNSAMPLING_ENABLED,
  MIN_5M_RETENTION_HOURS,
  MIN_RAW_RETENTION_HOURS,
} from "./_constants.js";

const HOUR = 3600;

/** Shortest useful `remoteWriteBackfill`: Prometheus' in-order head accepts about 1h without a window. */
const MIN_BACKFILL_HOURS = 1;

/**
 * Strictly parse one stack duration, recording core's parse problem (and returning undefined) when it is
 * malformed.
 */
function parsed(path: string, value: string, problems: Problem[]): number | undefined {
  const s = durationSeconds(path, value);
  if (typeof s === "number") return s;
  problems.push(s);
  return undefined;
}

/**
 * The scrape interval (`stack.scrapeInterval`): a duration longer than zero. The one rule for the field,
 * shared by the metrics check and the infrastructure monitoring fragments.
 */
export function scrapeIntervalProblems(stack: Stack): Problem[] {
  const problems: Problem[] = [];
  const scrape = parsed("stack.scrapeInterval", stack.scrapeInterval, problems);
  if (scrape === 0) problems.push({ path: "stack.scrapeInterval", message: `${JSON.stringify(stack.scrapeInterval)} must be longer than 0s` });
  return problems;
}

/** `48h`, `10d`: the shortest exact form, for messages about limits. */
function formatHours(hours: number): string {
  return hours % 24 === 0 ? `${hours / 24}d` : `${hours}h`;
}

/**
 * Retention and interval rules of Prometheus and the Thanos compactor, on the stack's strings:
 * - every duration parses strictly (`7d`, `40h`; `7 days` is an error);
 * - Prometheus keeps at least 2 × the 2h block period locally, so the sidecar can upload completed blocks;
 * - with downsampling on, the compactor refuses to start with raw retention < 40h or 5m retention < 10d;
 * - raw ≤ 5m ≤ 1h (a `0d` compactor retention means "keep forever" and so is longer than anything);
 * - the remote-write backfill window is at least 1h and at most the local retention.
 */
export function retentionProblems(stack: Stack): Problem[] {
  const problems: Problem[] = scrapeIntervalProblems(stack);
  const r = stack.retention;
  const p = "stack.retention";

  const local = parsed(`${p}.prometheusLocal`, r.prometheusLocal, problems);
  const minLocalHours = 2 * BLOCK_PERIOD_HOURS;
  if (local !== undefined && local < minLocalHours * HOUR) {
    problems.push({
      path: `${p}.prometheusLocal`,
      message: `${JSON.stringify(r.prometheusLocal)} is below ${formatHours(minLocalHours)} (2 × the ${BLOCK_PERIOD_HOURS}h block period): Prometheus would delete blocks before the Thanos sidecar uploads them`,
    });
  }

  const backfill = parsed(`${p}.remoteWriteBackfill`, r.remoteWriteBackfill, problems);
  if (backfill !== undefined && backfill < MIN_BACKFILL_HOURS * HOUR) {
    problems.push({
      path: `${p}.remoteWriteBackfill`,
      message: `${JSON.stringify(r.remoteWriteBackfill)} is below ${MIN_BACKFILL_HOURS}h: Prometheus' head block already accepts samples about that old without an out-of-order window`,
    });
  }
  if (backfill !== undefined && local !== undefined && backfill > local) {
    problems.push({
      path: `${p}.remoteWriteBackfill`,
      message: `${JSON.stringify(r.remoteWriteBackfill)} exceeds stack.retention.prometheusLocal ${JSON.stringify(r.prometheusLocal)}: Prometheus would delete backfilled samples as it accepts them`,
    });
  }

  const raw = parsed(`${p}.metricsRaw`, r.metricsRaw, problems);
  const m5 = parsed(`${p}.metrics5m`, r.metrics5m, problems);
  const h1 = parsed(`${p}.metrics1h`, r.metrics1h, problems);
  // Thanos: 0d keeps that resolution forever.
  const forever = (s: number | undefined): number | undefined => (s === 0 ? Number.POSITIVE_INFINITY : s);
  const [rawS, m5S, h1S] = [forever(raw), forever(m5), forever(h1)];

  if (DOWNSAMPLING_ENABLED) {
    if (rawS !== undefined && rawS < MIN_RAW_RETENTION_HOURS * HOUR) {
      problems.push({
        path: `${p}.metricsRaw`,
        message: `${JSON.stringify(r.metricsRaw)} is below Thanos' ${formatHours(MIN_RAW_RETENTION_HOURS)} minimum for raw retention while downsampling is on`,
      });
    }
    if (m5S !== undefined && m5S < MIN_5M_RETENTION_HOURS * HOUR) {
      problems.push({
        path: `${p}.metrics5m`,
        message: `${JSON.stringify(r.metrics5m)} is below Thanos' ${formatHours(MIN_5M_RETENTION_HOURS)} minimum for 5m retention while downsampling is on`,
      });
    }
  }
  if (rawS !== undefined && m5S !== undefined && m5S < rawS) {
    problems.push({
      path: `${p}.metrics5m`,
      message: `${JSON.stringify(r.metrics5m)} is shorter than the raw retention ${JSON.stringify(r.metricsRaw)} (Thanos needs raw ≤ 5m ≤ 1h)`,
    });
  }
  if (m5S !== undefined && h1S !== undefined && h1S < m5S) {
    problems.push({
      path: `${p}.metrics1h`,
      message: `${JSON.stringify(r.metrics1h)} is shorter than the 5m retention ${JSON.stringify(r.metrics5m)} (Thanos needs raw ≤ 5m ≤ 1h)`,
    });
  }
  return problems;
}
