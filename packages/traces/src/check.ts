import type { Problem, Stack } from "@o11y-gitops/core";
import {
  bucketProblems,
  durationSeconds,
  objectStoreProblems,
  releaseProblems,
  s3SecretProblems,
  volumeProblems,
} from "@o11y-gitops/core";

/** Tempo's block retention in seconds, or the problem with `stack.retention.traces`. */
export function tempoRetentionSeconds(stack: Stack): number | Problem {
  const path = "stack.retention.traces";
  const value = stack.retention.traces;
  const s = durationSeconds(path, value);
  if (typeof s !== "number") return s;
  if (s <= 0) return { path, message: `${JSON.stringify(value)} must be longer than zero` };
  return s;
}

/**
 * Everything Tempo's values are derived from, checked: the traces retention (a positive duration), the
 * object store endpoint/region, the traces bucket, the S3 credentials Secret, the storage class and WAL
 * volume size, and the release name. Returns one problem per bad field; empty when all is well.
 */
export function checkTempo(stack: Stack): Problem[] {
  const out: Problem[] = [];
  const retention = tempoRetentionSeconds(stack);
  if (typeof retention !== "number") out.push(retention);
  out.push(...objectStoreProblems(stack));
  out.push(...bucketProblems("stack.objectStore.buckets.tempo", stack.objectStore.buckets.tempo));
  out.push(...s3SecretProblems(stack));
  out.push(...volumeProblems(stack, "tempoWal"));
  out.push(...releaseProblems("stack.releases.tempo", stack.releases.tempo));
  return out;
}
