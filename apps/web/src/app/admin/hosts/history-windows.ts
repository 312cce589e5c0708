/**
 * The hosts page's chart windows, and where each card's choice is kept: the `hours` search param,
 * one `hostId:hours` value per card not on the default hour (`?hours=h1:6&hours=h2:24`), so the
 * server renders the chosen window and a reload or shared link shows the same charts.
 */
export const windows = [
  { hours: 1, short: '1 h', words: 'the last hour' },
  { hours: 6, short: '6 h', words: 'the last 6 hours' },
  { hours: 24, short: '24 h', words: 'the last 24 hours' },
] as const;

export type WindowHours = (typeof windows)[number]['hours'];

/** Each host's chosen window from the `hours` param; a host not in it, or given nonsense, gets 1 h. */
export function chosenWindows(param: string | string[] | undefined): Map<string, WindowHours> {
  const chosen = new Map<string, WindowHours>();
  for (const value of [param ?? []].flat()) {
    const at = value.lastIndexOf(':');
    const w = windows.find((x) => String(x.hours) === value.slice(at + 1));
    if (at > 0 && w) chosen.set(value.slice(0, at), w.hours);
  }
  return chosen;
}

/** The current query string (`location.search`) with one host's window set; the default hour is left out. */
export function withWindow(search: string, hostId: string, hours: WindowHours): string {
  const params = new URLSearchParams(search);
  const others = params.getAll('hours').filter((v) => !v.startsWith(`${hostId}:`));
  params.delete('hours');
  for (const v of others) params.append('hours', v);
  if (hours !== 1) params.append('hours', `${hostId}:${hours}`);
  const query = params.toString();
  return query ? `?${query}` : '';
}
