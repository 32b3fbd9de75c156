/** Formats a duration in seconds as `1h02m03s`, `2m05s` or `7s`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) {
    return '?';
  }
  const total = Math.max(0, Math.round(seconds));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = total % 60;
  const pad = (value: number) => String(value).padStart(2, '0');
  if (hours > 0) {
    return `${hours}h${pad(minutes)}m${pad(rest)}s`;
  }
  return minutes > 0 ? `${minutes}m${pad(rest)}s` : `${rest}s`;
}

/** Formats a fraction in [0, 1] as a percentage with one decimal. */
export function formatPercent(fraction: number): string {
  return `${(100 * fraction).toFixed(1)}%`;
}
