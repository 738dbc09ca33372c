import type { Stack } from "@o11y-gitops/core";

/**
 * Which hops of the pipeline exist for the stack's `components` (one owner for the alerts and the
 * dashboard): a `loki.write` in the cluster's or the Docker hosts' Alloy, the Docker hosts' remote write,
 * the cluster's OTLP exporter, Prometheus' remote-write receiver.
 */
export function pipelineHops(stack: Stack): {
  lokiWrite: boolean;
  dockerMetrics: boolean;
  otlpExport: boolean;
  /** Something remote-writes into Prometheus: the write endpoint, or Tempo's metrics generator. */
  remoteWriteReceiver: boolean;
} {
  const c = stack.components;
  return {
    remoteWriteReceiver: c.writeEndpoints.prometheus || c.tempo,
    lokiWrite: c.loki && (c.k8sCollectors || (c.dockerHosts && c.writeEndpoints.loki)),
    dockerMetrics: c.dockerHosts && c.writeEndpoints.prometheus,
    otlpExport: c.tempo && c.k8sCollectors,
  };
}
