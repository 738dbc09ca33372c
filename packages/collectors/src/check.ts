import { durationSeconds, tenantProblems, type Problem, type Stack } from "@o11y-gitops/core";

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * Stack invariants the collectors rely on: a usable Loki tenant (Alloy's `tenant_id`, sent as
 * `X-Scope-OrgID`), a basic-auth user Alloy can send, a release name usable in Kubernetes object names, and
 * a parseable `retention.remoteWriteBackfill` (the Docker hosts' WAL keepalive; its bounds are checked with
 * Prometheus' retention in @o11y-gitops/metrics).
 */
export function checkCollectors(stack: Stack): Problem[] {
  const problems: Problem[] = [...tenantProblems(stack)];
  const user = stack.secrets.basicAuth.user;
  if (user === "" || user.includes(":")) {
    problems.push({ path: "stack.secrets.basicAuth.user", message: `${JSON.stringify(user)} cannot be a basic-auth user name (empty or contains ":")` });
  }
  if (!DNS_LABEL.test(stack.releases.alloy)) {
    problems.push({ path: "stack.releases.alloy", message: `${JSON.stringify(stack.releases.alloy)} is not a DNS-1123 label (Helm release and Service name)` });
  }
  const backfill = durationSeconds("stack.retention.remoteWriteBackfill", stack.retention.remoteWriteBackfill);
  if (typeof backfill !== "number") problems.push(backfill);
  return problems;
}
