import type { ReactNode } from 'react';
import type { Icon } from '~/components/icons';

/** A list or table with nothing in it yet: a quiet icon and one line that says so, and what comes next. */
export function EmptyState({ icon: Icon, children }: { icon: Icon; children: ReactNode }) {
  return (
    <div className="flex items-center gap-3 rounded-md border border-dashed border-border px-4 py-3 text-sm text-muted">
      <Icon aria-hidden="true" className="size-5 shrink-0" />
      <p>{children}</p>
    </div>
  );
}
