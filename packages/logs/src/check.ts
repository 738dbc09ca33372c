import { durationSeconds, type Problem, type Stack } from "@o11y-gitops/core";

/** Loki's compactor refuses retention periods below one day (one index table). */
export const LOKI_MIN_RETENTION_SECONDS = 24 * 3600;

/** The retention Loki enforces, in seconds, or the problem with `stack.retention.logs`. */
export function lokiRetentionSeconds(stack: Stack): number | Problem {
  const path = "stack.retention.logs";
  const value = stack.retention.logs;
  const s = durationSeconds(path, value);
  if (typeof s !== "number") return s;
  if (s < LOKI_MIN_RETENTION_SECONDS) {
    return { path, message: `${JSON.stringify(value)} is below Loki's 24h minimum retention period` };
  }
  return s;
}

/**
 * The field only Loki reads, checked: the logs retention (a duration of at least 24h). The shared fields
 * Loki's values are also derived from (the tenant, which Loki enforces with `auth_enabled`; the object
 * store endpoint/region, the chunks and ruler buckets, the S3 credentials Secret, the storage class and
 * WAL volume size, the release name) are checked once by core's `stackConfigProblems`. Empty when all is well.
 */
export function checkLoki(stack: Stack): Problem[] {
  const retention = lokiRetentionSeconds(stack);
  return typeof retention === "number" ? [] : [retention];
}
