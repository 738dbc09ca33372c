import type { Stack } from "@o11y-gitops/core";

/**
 * Prometheus remote-write receiver path. Must equal the path the external write Ingress exposes
 * (`PROMETHEUS_WRITE_PATH` in @o11y-gitops/ingress; the collectors tests assert they agree).
 */
export const remoteWritePath = "/api/v1/write";

/** Loki push API path. Must equal the Ingress path (`LOKI_PUSH_PATH` in @o11y-gitops/ingress). */
export const lokiPushPath = "/loki/api/v1/push";

/**
 * The external write URLs Docker-host Alloy pushes to: `https://<stack.hosts.x>.<stack.domain><path>`.
 */
export function dockerWriteUrls(stack: Stack): { remoteWrite: string; lokiPush: string } {
  return {
    remoteWrite: `https://${stack.hosts.prometheusWrite}.${stack.domain}${remoteWritePath}`,
    lokiPush: `https://${stack.hosts.lokiPush}.${stack.domain}${lokiPushPath}`,
  };
}
