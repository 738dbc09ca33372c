// Facts about the pinned loki chart (grafana-community 6.57.0) that the builder and the endpoints share.
import { helmFullname } from "@o11y-gitops/core";

/** The chart's name, as its `loki.name` helper returns it (no nameOverride, enterprise off). */
export const LOKI_CHART_NAME = "loki";

/**
 * Loki's HTTP port: set as `loki.server.http_listen_port` and published by the chart's single-binary
 * Service under the same number (its `http-metrics` port reads that value).
 */
export const LOKI_HTTP_PORT = 3100;


/**
 * `loki.singleBinaryFullname` (= `loki.fullname` without overrides): the release name when it already
 * contains `loki`, else `<release>-loki`, cut to 63 characters. The single-binary StatefulSet and its
 * Service carry this name.
 */
export function lokiFullname(release: string): string {
  return helmFullname(release, LOKI_CHART_NAME);
}
