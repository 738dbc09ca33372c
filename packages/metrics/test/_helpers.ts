// Test helpers for the metrics package: stack variants and a walk over values objects.
import type { Stack } from "@o11y-gitops/core";
import { stack as homelab } from "../../../stack.config.js";

export { homelab };

/** A copy of the homelab stack with one change. */
export function withStack(patch: (s: Stack) => Stack): Stack {
  return patch(structuredClone(homelab) as Stack);
}

/** The homelab stack with other retention strings (taken as given: they may be malformed on purpose). */
export function withRetention(r: Partial<Record<keyof Stack["retention"], string>>): Stack {
  return withStack((s) => ({ ...s, retention: { ...s.retention, ...r } as Stack["retention"] }));
}

export { leaves, pathsContaining } from "../../../test-support/values.js";
