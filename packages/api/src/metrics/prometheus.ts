import { RUN_DURATION_BUCKETS_SECONDS, type SystemMetricsSnapshot } from '@pocket-smyth/core';
import { labelValue } from './http-metrics';

/** The database half of `GET /api/metrics` in Prometheus text format (the HTTP half is per instance). */
export function renderSystemMetrics(m: SystemMetricsSnapshot): string {
  const lines: string[] = [];
  const family = (name: string, type: string, help: string) =>
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);

  family('pocket_smyth_agents', 'gauge', 'Agents by the state the worker last observed.');
  for (const a of m.agentsByObservedState) {
    lines.push(`pocket_smyth_agents{observed_state="${labelValue(a.state)}"} ${a.count}`);
  }
  family(
    'pocket_smyth_host_last_poll_age_seconds',
    'gauge',
    'Seconds since each host last answered a poll (absent: never).',
  );
  for (const h of m.hosts) {
    if (h.lastPollAgeSeconds === null) continue;
    lines.push(
      `pocket_smyth_host_last_poll_age_seconds{host="${labelValue(h.name)}",status="${labelValue(h.status)}"} ${h.lastPollAgeSeconds}`,
    );
  }
  family(
    'pocket_smyth_runs',
    'gauge',
    'Agent runs (the jobs provision, restart, stop, deprovision) by kind and outcome.',
  );
  for (const r of m.runsByKindAndStatus) {
    lines.push(`pocket_smyth_runs{kind="${labelValue(r.kind)}",status="${labelValue(r.status)}"} ${r.count}`);
  }
  family(
    'pocket_smyth_run_duration_seconds',
    'histogram',
    'How long finished runs took, by kind and outcome.',
  );
  for (const r of m.runDurations) {
    const labels = `kind="${labelValue(r.kind)}",status="${labelValue(r.status)}"`;
    RUN_DURATION_BUCKETS_SECONDS.forEach((le, i) => {
      lines.push(`pocket_smyth_run_duration_seconds_bucket{${labels},le="${le}"} ${r.buckets[i]}`);
    });
    lines.push(`pocket_smyth_run_duration_seconds_bucket{${labels},le="+Inf"} ${r.count}`);
    lines.push(`pocket_smyth_run_duration_seconds_sum{${labels}} ${r.sumSeconds}`);
    lines.push(`pocket_smyth_run_duration_seconds_count{${labels}} ${r.count}`);
  }
  return `${lines.join('\n')}\n`;
}
