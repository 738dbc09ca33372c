import type { Stack } from "@o11y-gitops/core";
import { LOKI_PUSH_PATH, PROMETHEUS_WRITE_PATH, writeEndpoints } from "@o11y-gitops/ingress";

/** Prometheus remote-write receiver path: the one the external write Ingress exposes. */
export const remoteWritePath = PROMETHEUS_WRITE_PATH;

/** Loki push API path: the one the external write Ingress exposes. */
export const lokiPushPath = LOKI_PUSH_PATH;

/**
 * The external write URLs Docker-host Alloy pushes to, taken from the Ingresses themselves
 * (`https://<stack.hosts.x>.<stack.domain><path>`), so the two can never disagree.
 */
export function dockerWriteUrls(stack: Stack): { remoteWrite: string; lokiPush: string } {
  const [prometheus, loki] = writeEndpoints(stack);
  return { remoteWrite: prometheus.url, lokiPush: loki.url };
}
