// How the pinned charts name their objects for a given release (their `fullname` helpers), so the
// Service names we point at are the ones the charts actually create.
import { helmFullname, truncTrim } from "@o11y-gitops/core";

/**
 * `kube-prometheus-stack.fullname` (chart 81.x `_helpers.tpl`): truncated to 26 characters because the
 * chart appends suffixes of up to 37 characters (`-prometheus`, `-alertmanager`, `-thanos-discovery`).
 */
export function kpsFullname(release: string): string {
  return helmFullname(release, "kube-prometheus-stack", 26);
}

/** The grafana subchart's `grafana.fullname` inside the kube-prometheus-stack release (63 characters). */
export function kpsGrafanaFullname(release: string): string {
  return helmFullname(release, "grafana", 63);
}

/** Bitnami `common.names.fullname` for the thanos chart (63 characters). */
export function bitnamiThanosFullname(release: string): string {
  return helmFullname(release, "thanos", 63);
}

/**
 * A Bitnami Thanos component's name (`thanos.query-frontend.fullname`, …): `<fullname>-<component>`, cut
 * again to 63 characters with a trailing `-` removed (thanos 17.x `_helpers.tpl`).
 */
export function bitnamiThanosComponentName(release: string, component: string): string {
  return truncTrim(`${bitnamiThanosFullname(release)}-${component}`, 63);
}
