import type { ReactNode } from 'react';
import {
  CircleAlert,
  CircleCheck,
  CircleDot,
  CircleMinus,
  Clock,
  type Icon,
  RefreshCw,
} from '~/components/icons';
import { type Tone, toneOf } from '../status-tone';

const tones = {
  neutral: 'bg-border text-text',
  ok: 'bg-ok/15 text-ok',
  warn: 'bg-warn/15 text-warn',
  danger: 'bg-danger/15 text-danger',
  info: 'bg-info/15 text-info',
  accent: 'bg-accent/15 text-accent',
} as const;

export type BadgeTone = keyof typeof tones;

export function Badge({
  tone = 'neutral',
  icon: Icon,
  children,
}: {
  tone?: BadgeTone;
  icon?: Icon;
  children: ReactNode;
}) {
  return (
    <span
      className={`inline-flex items-center gap-1 rounded-full px-2.5 py-0.5 text-xs font-medium ${tones[tone]}`}
    >
      {Icon ? <Icon aria-hidden="true" className="size-3.5 shrink-0" strokeWidth={2.25} /> : null}
      {children}
    </span>
  );
}

/** The shape beside the colour, so a status does not rest on colour alone. */
const toneIcons: Record<Tone, Icon> = {
  ok: CircleCheck,
  info: RefreshCw,
  warn: Clock,
  danger: CircleAlert,
  neutral: CircleMinus,
};

/** A status word in its tone (components/status-tone.ts), the same everywhere it appears. */
export function StatusBadge({ status }: { status: string }) {
  const tone = toneOf(status);
  return (
    <Badge tone={tone} icon={status === 'running' ? CircleDot : toneIcons[tone]}>
      {status}
    </Badge>
  );
}
