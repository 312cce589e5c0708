/**
 * A moment as the API sends it, an ISO 8601 string (tRPC speaks plain JSON), or a Date made here.
 */
export type Moment = Date | string;

/** Milliseconds since the epoch of a moment. */
export function msOf(moment: Moment): number {
  return typeof moment === 'string' ? Date.parse(moment) : moment.getTime();
}

/** "3 minutes ago" style, for request ages and event times. */
export function timeAgo(date: Moment, now: Date = new Date()): string {
  const seconds = Math.round((now.getTime() - msOf(date)) / 1000);
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

/** In the runtime's own time zone unless `timeZone` is given (see components/ui/time.tsx). */
export function formatDateTime(date: Moment, timeZone?: string): string {
  return new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(
    msOf(date),
  );
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

/** One of the worker's samples of an agent (agent.metrics). */
export interface AgentReadingSample {
  at: Moment;
  observedState: string;
  cpuPercent: number | null;
  memoryBytes: number | null;
}

/**
 * A sample's value of `metric`, or null when it is no reading: taken while the agent was not running, or
 * with 0 B of memory, which is what the host reports for a stopped or restarting agent and what docker
 * shows before its first figures (its CPU is 0 then too; a running process never uses 0 bytes). An idle
 * agent's 0 % CPU beside real memory is a reading.
 */
export function readingOf(sample: AgentReadingSample, metric: 'cpuPercent' | 'memoryBytes'): number | null {
  if (sample.observedState !== 'running' || sample.memoryBytes === 0) return null;
  return sample[metric];
}

/**
 * The agent's CPU or memory now: the newest sample's reading if it was taken since the agent last
 * (re)started (`since`: when it became running; null: any time), else null, which the card shows as "—"
 * until the first real sample instead of "0 B" or the previous process's figures.
 */
export function currentReading(
  samples: readonly AgentReadingSample[],
  metric: 'cpuPercent' | 'memoryBytes',
  since: Moment | null,
): number | null {
  const newest = samples.at(-1);
  if (!newest || (since && msOf(newest.at) < msOf(since))) return null;
  return readingOf(newest, metric);
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/** Step error classes in words, for people rather than logs (shared with the attention mails). */
export { errorClassInWords } from '@pocket-smyth/db/run-errors';

/**
 * The first or last millisecond of `day` (YYYY-MM-DD, as a date input gives it) on the clocks of
 * `timeZone`, or of the browser when it is not given: the bounds of a date filter that means whole days
 * where the viewer reads the times.
 */
export function dayBoundary(day: string, edge: 'start' | 'end', timeZone?: string): Date {
  if (edge === 'end') {
    // The moment before the next day starts: "23:59:59.999" can happen twice when the clocks go back at
    // midnight, and the day ends at the second.
    const next = new Date(`${day}T00:00:00.000Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    return new Date(dayBoundary(next.toISOString().slice(0, 10), 'start', timeZone).getTime() - 1);
  }
  if (!timeZone) return new Date(`${day}T00:00:00.000`);
  const asIfUtc = new Date(`${day}T00:00:00.000Z`).getTime();
  // The zone's offset at the guess, and again at the instant that gives: near a daylight-saving change
  // they differ, and where midnight does not exist (the clocks jump from 23:59 to 01:00) only one of the
  // two falls on `day`. The day starts at the earlier one that is on it.
  const first = asIfUtc - zoneOffsetMs(new Date(asIfUtc), timeZone);
  const second = asIfUtc - zoneOffsetMs(new Date(first), timeZone);
  const onDay = [first, second].filter((t) => dayIn(new Date(t), timeZone) === day);
  return new Date(onDay.length > 0 ? Math.min(...onDay) : second);
}

/** YYYY-MM-DD of `at` on `timeZone`'s clocks. */
function dayIn(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

/** How far `timeZone`'s clocks are ahead of UTC at `at`, in ms (whole seconds). */
function zoneOffsetMs(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const onTheClock = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return onTheClock - Math.floor(at.getTime() / 1000) * 1000;
}

/** "60 min ago", "6 h ago": the start of a window that ends now. */
export function windowStartLabel(spanMs: number): string {
  const minutes = Math.round(spanMs / 60_000);
  if (minutes < 1) return `${Math.max(Math.round(spanMs / 1000), 1)} s ago`;
  if (minutes <= 90) return `${minutes} min ago`;
  return `${Math.round(minutes / 60)} h ago`;
}
