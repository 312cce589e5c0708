/**
 * HTTP request metrics of one process, for `GET /api/metrics` (docs/ARCHITECTURE.md, "Health"):
 * requests by route template, method and status, with a latency histogram. In memory, per instance, as
 * Prometheus expects (it scrapes each instance and sums); reset when the process restarts.
 */
export const LATENCY_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

interface Series {
  route: string;
  method: string;
  status: string;
  count: number;
  sum: number;
  /** Cumulative counts per bucket of LATENCY_BUCKETS_SECONDS. */
  buckets: number[];
}

export interface HttpMetrics {
  observe(sample: { route: string; method: string; status: number; seconds: number }): void;
  /** The series in Prometheus text exposition format. */
  render(): string;
}

/** A label value as Prometheus text needs it: backslash, quote and newline escaped. */
export function labelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** At most this many distinct series: a route template is bounded, but a bug must not grow memory. */
const MAX_SERIES = 2_000;

export function createHttpMetrics(): HttpMetrics {
  const series = new Map<string, Series>();
  return {
    observe({ route, method, status, seconds }) {
      const key = `${route}\u0000${method}\u0000${status}`;
      let s = series.get(key);
      if (!s) {
        if (series.size >= MAX_SERIES) return;
        s = {
          route,
          method,
          status: String(status),
          count: 0,
          sum: 0,
          buckets: LATENCY_BUCKETS_SECONDS.map(() => 0),
        };
        series.set(key, s);
      }
      s.count++;
      s.sum += seconds;
      LATENCY_BUCKETS_SECONDS.forEach((le, i) => {
        if (seconds <= le) s.buckets[i]!++;
      });
    },
    render() {
      const lines = [
        '# HELP pocket_smyth_http_requests_total HTTP requests answered by this instance, by route template, method and status.',
        '# TYPE pocket_smyth_http_requests_total counter',
      ];
      const sorted = [...series.values()].sort((a, b) =>
        `${a.route} ${a.method} ${a.status}`.localeCompare(`${b.route} ${b.method} ${b.status}`),
      );
      const labels = (s: Series) =>
        `route="${labelValue(s.route)}",method="${labelValue(s.method)}",status="${labelValue(s.status)}"`;
      for (const s of sorted) lines.push(`pocket_smyth_http_requests_total{${labels(s)}} ${s.count}`);
      lines.push(
        '# HELP pocket_smyth_http_request_duration_seconds Time to answer, by route template, method and status.',
        '# TYPE pocket_smyth_http_request_duration_seconds histogram',
      );
      for (const s of sorted) {
        LATENCY_BUCKETS_SECONDS.forEach((le, i) => {
          lines.push(
            `pocket_smyth_http_request_duration_seconds_bucket{${labels(s)},le="${le}"} ${s.buckets[i]}`,
          );
        });
        lines.push(`pocket_smyth_http_request_duration_seconds_bucket{${labels(s)},le="+Inf"} ${s.count}`);
        lines.push(`pocket_smyth_http_request_duration_seconds_sum{${labels(s)}} ${s.sum}`);
        lines.push(`pocket_smyth_http_request_duration_seconds_count{${labels(s)}} ${s.count}`);
      }
      return `${lines.join('\n')}\n`;
    },
  };
}
