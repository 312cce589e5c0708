/** The browser's own time zone; only meaningful in the browser. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/**
 * Every zone of `all` (the runtime's list), after the zones of `keep` (the stored and the detected one)
 * that it lacks or spells differently — Chromium's list has no "UTC", which is what a UTC browser
 * detects. Each zone once: the list's entries are React keys, and "UTC (detected)" twice was a bug.
 */
export function timeZoneChoices(
  keep: readonly string[],
  all: readonly string[] = typeof Intl.supportedValuesOf === 'function'
    ? Intl.supportedValuesOf('timeZone')
    : [],
): string[] {
  const listed = new Set(all);
  const extra = [...new Set(keep)].filter((zone) => zone && !listed.has(zone));
  return [...extra, ...all.filter((zone, i) => all.indexOf(zone) === i)];
}
