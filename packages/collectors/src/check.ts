import { assertNoProblems, stackConfigProblems, type Problem, type Stack } from "@o11y-gitops/core";

/**
 * The stack field only the collectors read: a basic-auth user Alloy can send. The shared fields they rely
 * on are checked once elsewhere: the Loki tenant (Alloy's `tenant_id`, sent as `X-Scope-OrgID`) and the
 * release name by core's `stackConfigProblems`, `retention.remoteWriteBackfill` (the Docker hosts' WAL
 * keepalive) with Prometheus' retention by `checkMetrics` in @o11y-gitops/metrics.
 */
export function checkCollectors(stack: Stack): Problem[] {
  const problems: Problem[] = [];
  const user = stack.secrets.basicAuth.user;
  if (user === "" || user.includes(":")) {
    problems.push({ path: "stack.secrets.basicAuth.user", message: `${JSON.stringify(user)} cannot be a basic-auth user name (empty or contains ":")` });
  }
  return problems;
}

/** What the collector builders assert before building: their own field and core's shared ones. */
export function assertCollectorsStack(stack: Stack): void {
  assertNoProblems([...checkCollectors(stack), ...stackConfigProblems(stack)]);
}
