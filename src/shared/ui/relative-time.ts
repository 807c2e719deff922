const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'} ago`;

/** "just now", "5 minutes ago", "yesterday", "3 days ago", "2 months ago", "1 year ago". */
export function relativeTime(when: string | number | Date, now: number): string {
  const then = new Date(when).getTime();
  if (Number.isNaN(then)) return 'at an unknown time';
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  const minutes = Math.floor(seconds / 60);
  const hours = Math.floor(minutes / 60);
  const days = Math.floor(hours / 24);
  if (minutes < 1) return 'just now';
  if (hours < 1) return plural(minutes, 'minute');
  if (days < 1) return plural(hours, 'hour');
  if (days === 1) return 'yesterday';
  if (days < 31) return plural(days, 'day');
  if (days < 365) return plural(Math.floor(days / 30.44), 'month');
  return plural(Math.floor(days / 365.25), 'year');
}
