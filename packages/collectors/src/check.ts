import type { Problem, Stack } from "@o11y-gitops/core";

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * Stack invariants the collectors rely on: a usable Loki tenant (Alloy's `tenant_id`, sent as
 * `X-Scope-OrgID`), a basic-auth user Alloy can send, a release name usable in Kubernetes object names,
 * and a list of Docker hosts without repeats.
 */
export function checkCollectors(stack: Stack): Problem[] {
  const problems: Problem[] = [];
  const tenant = stack.lokiTenant;
  if (tenant === "") {
    problems.push({ path: "stack.lokiTenant", message: "is empty; Alloy's loki.write tenant_id (X-Scope-OrgID) needs a tenant" });
  } else if (!/^[\x21-\x7e]+$/.test(tenant) || tenant.includes("|")) {
    problems.push({ path: "stack.lokiTenant", message: `${JSON.stringify(tenant)} is not a single Loki tenant id (printable ASCII without spaces or "|")` });
  }
  const user = stack.secrets.basicAuth.user;
  if (user === "" || user.includes(":")) {
    problems.push({ path: "stack.secrets.basicAuth.user", message: `${JSON.stringify(user)} cannot be a basic-auth user name (empty or contains ":")` });
  }
  if (!DNS_LABEL.test(stack.releases.alloy)) {
    problems.push({ path: "stack.releases.alloy", message: `${JSON.stringify(stack.releases.alloy)} is not a DNS-1123 label (Helm release and Service name)` });
  }
  const seen = new Set<string>();
  stack.dockerHosts.forEach((h, i) => {
    if (seen.has(h)) problems.push({ path: `stack.dockerHosts[${i}]`, message: `${JSON.stringify(h)} is listed twice` });
    seen.add(h);
  });
  return problems;
}
