const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 } as const;
const DURATION = /^(0|[1-9][0-9]*)(s|m|h|d|w|y)$/;

/**
 * Parse a duration in the strict single-unit form the stack config uses (`30s`, `40h`, `7d`, `26w`).
 * Returns seconds, or undefined for anything else (`7 days`, `1h30m`, `7D`, `-1d`, ``).
 */
export function parseDuration(value: string): number | undefined {
  const m = DURATION.exec(value);
  if (!m) return undefined;
  return Number(m[1]) * UNIT_SECONDS[m[2] as keyof typeof UNIT_SECONDS];
}

/** The duration in hours, for configs that only take hours (e.g. Loki `retention_period: 720h`). */
export function durationToHours(value: string): number | undefined {
  const s = parseDuration(value);
  return s === undefined ? undefined : s / 3600;
}
