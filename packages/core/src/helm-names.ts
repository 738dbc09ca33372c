/** Helm's `trunc n | trimSuffix "-"` (charts apply it to every `<fullname>-<component>` name too). @default n 63 */
export function truncTrim(s: string, n = 63): string {
  const t = s.slice(0, n);
  return t.endsWith("-") ? t.slice(0, -1) : t;
}

/**
 * The usual chart `fullname` helper (no fullnameOverride/nameOverride): the release name when it already
 * contains the chart name, else `<release>-<chart>`, cut to `max` characters with a trailing `-` removed.
 * Service names of the charts derive from it, so addresses we point at are the ones the charts create.
 * @default max 63
 */
export function helmFullname(release: string, chart: string, max = 63): string {
  return truncTrim(release.includes(chart) ? release : `${release}-${chart}`, max);
}
