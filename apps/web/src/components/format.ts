/** "3 minutes ago" style, for request ages and event times. */
export function timeAgo(date: Date, now: Date = new Date()): string {
  const seconds = Math.round((now.getTime() - date.getTime()) / 1000);
  const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  const steps: [number, Intl.RelativeTimeFormatUnit][] = [
    [60, 'second'],
    [60, 'minute'],
    [24, 'hour'],
    [30, 'day'],
    [12, 'month'],
  ];
  let value = -seconds;
  for (const [size, unit] of steps) {
    if (Math.abs(value) < size) return rtf.format(Math.round(value), unit);
    value /= size;
  }
  return rtf.format(Math.round(value), 'year');
}

export function formatDateTime(date: Date): string {
  return new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 && unit > 0 ? 1 : 0)} ${units[unit]}`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/** Step error classes in words, for people rather than logs. */
export const errorClassInWords: Record<string, string> = {
  host_unreachable: 'The host could not be reached.',
  host_key_mismatch: 'The host’s identity did not match its pinned key, so we did not connect.',
  auth_failed: 'The host refused our SSH key.',
  script_failed: 'The host script reported an error.',
  timeout: 'The step took too long.',
  idp_rejected: 'The identity provider refused the update.',
  idp_unavailable: 'The identity provider was unavailable.',
  email_rejected: 'The mail provider refused the message.',
  email_unavailable: 'The mail provider was unavailable.',
  hosts_unavailable: 'No host could take the agent.',
  no_capacity: 'Every host is full or draining.',
};
