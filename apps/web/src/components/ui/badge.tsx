import type { ReactNode } from 'react';

const tones = {
  neutral: 'bg-border text-text',
  ok: 'bg-ok/15 text-ok',
  warn: 'bg-warn/15 text-warn',
  danger: 'bg-danger/15 text-danger',
  accent: 'bg-accent/15 text-accent',
} as const;

export type BadgeTone = keyof typeof tones;

export function Badge({ tone = 'neutral', children }: { tone?: BadgeTone; children: ReactNode }) {
  return (
    <span
      className={`inline-flex items-center rounded-full px-2.5 py-0.5 text-xs font-medium ${tones[tone]}`}
    >
      {children}
    </span>
  );
}

const statusTone: Record<string, BadgeTone> = {
  active: 'ok',
  running: 'ok',
  pending: 'warn',
  onboarding: 'neutral',
  provisioning: 'accent',
  restarting: 'accent',
  rejected: 'danger',
  revoked: 'danger',
  failed: 'danger',
  stopped: 'neutral',
  absent: 'neutral',
  deprovisioning: 'accent',
  succeeded: 'ok',
  queued: 'warn',
  cancelled: 'neutral',
  skipped: 'neutral',
  sent: 'ok',
  local: 'neutral',
};

export function StatusBadge({ status }: { status: string }) {
  return <Badge tone={statusTone[status] ?? 'neutral'}>{status}</Badge>;
}
