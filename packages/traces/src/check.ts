import { durationSeconds, type Problem, type Stack } from "@o11y-gitops/core";

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
 * The field only Tempo reads, checked: the traces retention (a positive duration). The shared fields
 * Tempo's values are also derived from (the object store endpoint/region, the traces bucket, the S3
 * credentials Secret, the storage class and WAL volume size, the release name) are checked once by core's
 * `stackConfigProblems`. Empty when all is well.
 */
export function checkTempo(stack: Stack): Problem[] {
  const retention = tempoRetentionSeconds(stack);
  return typeof retention === "number" ? [] : [retention];
}
