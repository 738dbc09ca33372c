import type { ServiceEndpoint, Stack } from "@o11y-gitops/core";
import { LOKI_PUSH_PATH, lokiEndpoints } from "@o11y-gitops/logs";
import { metricsEndpoints, PROMETHEUS_REMOTE_WRITE_PATH } from "@o11y-gitops/metrics";

/** Prometheus remote-write receiver path (`--web.enable-remote-write-receiver`). */
export const PROMETHEUS_WRITE_PATH = PROMETHEUS_REMOTE_WRITE_PATH;

/** Loki push API path (owned by @o11y-gitops/logs). */
export { LOKI_PUSH_PATH };

/** Every path exposed outside the cluster; nothing else (no query API) is reachable from outside. */
export const WRITE_PATHS: readonly string[] = [PROMETHEUS_WRITE_PATH, LOKI_PUSH_PATH];

/** Names of the external write endpoints (also the Ingress names). */
export type WriteEndpointName = "prometheus-remote-write" | "loki-push";

/** One authenticated external write endpoint. */
export interface WriteEndpoint<N extends WriteEndpointName = WriteEndpointName> {
  /** Ingress name, e.g. `loki-push`. */
  name: N;
  /** Fully qualified host, `<stack.hosts.x>.<stack.domain>`. */
  host: string;
  /** The one exact path exposed on `host`. */
  path: string;
  /** What clients (Docker-host Alloy) push to: `https://<host><path>`. */
  url: string;
  /** The in-cluster Service port the Ingress forwards to. */
  backend: ServiceEndpoint;
}

/**
 * The external write endpoints, in a fixed order: Prometheus remote-write, then Loki push. Hosts come from
 * `stack.hosts` + `stack.domain`, backends from the metrics and logs packages' Service names.
 */
export function writeEndpoints(
  stack: Stack,
): readonly [WriteEndpoint<"prometheus-remote-write">, WriteEndpoint<"loki-push">] {
  const promHost = `${stack.hosts.prometheusWrite}.${stack.domain}`;
  const lokiHost = `${stack.hosts.lokiPush}.${stack.domain}`;
  return [
    {
      name: "prometheus-remote-write",
      host: promHost,
      path: PROMETHEUS_WRITE_PATH,
      url: `https://${promHost}${PROMETHEUS_WRITE_PATH}`,
      backend: metricsEndpoints(stack).prometheus,
    },
    {
      name: "loki-push",
      host: lokiHost,
      path: LOKI_PUSH_PATH,
      url: `https://${lokiHost}${LOKI_PUSH_PATH}`,
      backend: lokiEndpoints(stack).http,
    },
  ];
}

/** One write endpoint by name (for consumers that need a single URL, e.g. the Docker-host Alloy config). */
export function writeEndpoint<N extends WriteEndpointName>(stack: Stack, name: N): WriteEndpoint<N> {
  const found = writeEndpoints(stack).find((e) => e.name === name);
  if (!found) throw new Error(`unknown write endpoint "${name}"`);
  return found as WriteEndpoint<N>;
}

/** The write endpoints switched on in `stack.components.writeEndpoints`, in the same order. */
export function selectedWriteEndpoints(stack: Stack): WriteEndpoint[] {
  const [prometheus, loki] = writeEndpoints(stack);
  const on = stack.components.writeEndpoints;
  return [...(on.prometheus ? [prometheus] : []), ...(on.loki ? [loki] : [])];
}
