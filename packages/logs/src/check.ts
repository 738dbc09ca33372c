import type { Problem, Stack } from "@o11y-gitops/core";
import {
  bucketProblems,
  durationSeconds,
  objectStoreProblems,
  releaseProblems,
  s3SecretProblems,
  tenantProblems,
  volumeProblems,
} from "@o11y-gitops/core";

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
 * Everything Loki's values are derived from, checked: the logs retention (a duration of at least 24h),
 * the tenant (Loki runs with `auth_enabled`, so every client sends it as `X-Scope-OrgID`), the object
 * store endpoint/region, the chunks and ruler buckets, the S3 credentials Secret, the storage class and
 * WAL volume size, and the release name. Returns one problem per bad field; empty when all is well.
 */
export function checkLoki(stack: Stack): Problem[] {
  const out: Problem[] = [];
  const retention = lokiRetentionSeconds(stack);
  if (typeof retention !== "number") out.push(retention);

  out.push(...tenantProblems(stack));
  out.push(...objectStoreProblems(stack));
  out.push(...bucketProblems("stack.objectStore.buckets.lokiChunks", stack.objectStore.buckets.lokiChunks));
  out.push(...bucketProblems("stack.objectStore.buckets.lokiRuler", stack.objectStore.buckets.lokiRuler));
  out.push(...s3SecretProblems(stack));
  out.push(...volumeProblems(stack, "lokiWal"));
  out.push(...releaseProblems("stack.releases.loki", stack.releases.loki));
  return out;
}
