// How the pinned charts name their objects for a given release (their `fullname` helpers), so the
// Service names we point at are the ones the charts actually create.

/** Helm's `trunc n | trimSuffix "-"`. */
function truncTrim(s: string, n: number): string {
  const t = s.slice(0, n);
  return t.endsWith("-") ? t.slice(0, -1) : t;
}

/**
 * The usual Helm fullname rule: the release name when it already contains the chart name, else
 * `<release>-<chart>`, truncated to `max` characters with a trailing `-` removed.
 */
function helmFullname(release: string, chart: string, max: number): string {
  return truncTrim(release.includes(chart) ? release : `${release}-${chart}`, max);
}

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
