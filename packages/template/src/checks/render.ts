// Check 1: every chart renders; a chart that refuses its values is reported with Helm's own message.
import type { Finding, Rendered } from "../objects.js";

export function renderFindings(renders: readonly Rendered[]): Finding[] {
  return renders.filter((r) => r.error !== undefined).map((r) => ({ job: r.job.name, check: "render" as const, message: `helm template failed: ${r.error}` }));
}
